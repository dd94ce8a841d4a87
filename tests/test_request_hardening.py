"""Hostile or unlucky requests get a 4xx/503 in the right shape, never a 500.

Control characters (PostgreSQL refuses NUL), JSON nested too deep to parse, an API path that
matches no route, Redis down under the throttles, and a forged X-Forwarded-For.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def assert_api_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert sorted(body["errors"]) == sorted(fields)
    return body


# --- Control characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/tags/%00/", "/@%00/", "/notes/%00/", "/tags/caf%01e/", "/search/%7F/", "/%C2%85/"],
)
def test_control_character_in_page_path_is_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/users/%00/", "/api/v1/users/%00/notes/", "/api/v1/users/a%1Fb/follow/"],
)
def test_control_character_in_api_path_is_json_404(api_client, path):
    assert_api_error(api_client.get(path), 404)


@pytest.mark.parametrize("query", ["q=%00", "q=caf%00e", "cursor=%1B", "q=x&lang=%00"])
def test_control_character_in_page_query_is_400(client, query):
    response = client.get(f"/search/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_control_character_in_api_query_is_json_400_naming_the_parameter(api_client):
    body = assert_api_error(api_client.get("/api/v1/notes/?cursor=%00&page=1"), 400, "cursor")

    assert body["errors"]["cursor"] == ["Control characters are not allowed."]


def test_control_character_in_form_field_is_400(client):
    response = client.post(
        "/accounts/login/",
        "login=al%00ice&password=secret-pass",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400


def test_api_still_reads_a_form_body_the_middleware_looked_at(api_client, user, password):
    response = api_client.post(
        "/api/v1/auth/token/",
        f"username=alice&password={password}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert response.json()["token"]


def test_line_breaks_and_tabs_in_query_are_fine(client):
    assert client.get("/?q=two%0Alines%09tab").status_code == 200


# --- Bodies the parser cannot take --------------------------------------------------------


def test_deeply_nested_json_is_json_400(auth_api_client):
    response = auth_api_client.post(
        "/api/v1/notes/", data="[" * 100_000, content_type="application/json"
    )

    body = assert_api_error(response, 400)
    assert "JSON" in body["detail"]


def test_deeply_nested_json_to_an_anonymous_endpoint_is_json_400(api_client):
    response = api_client.post(
        "/api/v1/auth/token/", data='{"a":' * 50_000, content_type="application/json"
    )

    assert_api_error(response, 400)


# --- Paths that match no route ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/notes/x/like/", "/api/v1/nothing/", "/api/v2/notes/", "/api/"]
)
def test_unmatched_api_path_is_json_404(api_client, path):
    assert_api_error(api_client.get(path), 404)
    assert_api_error(api_client.post(path, {}, format="json"), 404)


def test_api_path_without_slash_still_redirects_to_the_route(api_client):
    response = api_client.get("/api/v1/me")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/me/"


def test_unmatched_page_path_keeps_the_html_404(client):
    response = client.get("/nothing/here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- Redis down ---------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    # Port 1 has nothing listening: every cache call (the throttle counters) fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


@pytest.mark.parametrize("path", ["/api/v1/notes/", "/api/v1/media/"])
def test_api_write_with_redis_down_is_json_503_with_retry_after(auth_api_client, redis_down, path):
    response = auth_api_client.post(path, {"title": "Hi"}, format="json")

    body = assert_api_error(response, 503)
    assert int(response["Retry-After"]) > 0
    assert "try again" in body["detail"]


# --- The client's address -----------------------------------------------------------------


@pytest.fixture
def anon_limit_two(monkeypatch):
    # Throttle classes copy the rates when DRF is imported; lower the anonymous one here.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/min"},
    )


def test_forged_forwarded_for_does_not_reset_the_anonymous_throttle(api_client, anon_limit_two):
    NoteFactory()
    statuses = [
        api_client.get("/api/v1/notes/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_one_trusted_proxy_the_forwarded_client_is_throttled(
    api_client, anon_limit_two, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def get(forwarded_for: str) -> int:
        return api_client.get("/api/v1/notes/", HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    # nginx appends the address it saw; anything a client put before it is not trusted.
    assert [get("203.0.113.1"), get("198.51.100.7, 203.0.113.1")] == [200, 200]
    assert get("203.0.113.1") == 429
    assert get("203.0.113.2") == 200


def test_allauth_reads_the_client_address_with_the_same_proxy_count(settings):
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1", REMOTE_ADDR="10.0.0.2"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert get_adapter(request).get_client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_adapter(request).get_client_ip(request) == "203.0.113.1"
