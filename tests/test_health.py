"""`/healthz/`: database, cache and, with Redis configured, the Celery broker."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.test import RequestFactory
from health_check.views import HealthCheckView

from rednote.health import health_checks

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["Database(alias='default')"] == "OK"
    assert report["Cache(alias='default')"] == "OK"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_html_page_for_people(client):
    response = client.get("/healthz/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Database" in response.content


def test_healthz_without_redis_has_no_broker_check(settings):
    settings.REDIS_URL = ""

    assert [check.__name__ for check in health_checks()] == ["Database", "Cache"]


@pytest.mark.redis
def test_healthz_reports_broker_with_redis(client, redis_url):
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    broker = [name for name in response.json() if name.startswith("Redis(")]
    assert len(broker) == 1
    assert response.json()[broker[0]] == "OK"


def test_healthz_fails_when_broker_unreachable(settings):
    # Port 9 (discard) has nothing listening: the probe must fail fast and say so.
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    view = HealthCheckView.as_view(checks=health_checks())
    request = RequestFactory().get("/healthz/", HTTP_ACCEPT="application/json")

    response = async_to_sync(view)(request)

    assert response.status_code == 500
    report = json.loads(response.content)
    assert report["Database(alias='default')"] == "OK"
    assert report["Redis(db=0, host='127.0.0.1', port=9)"].endswith(
        "Unable to connect to Redis: Connection Error"
    )
