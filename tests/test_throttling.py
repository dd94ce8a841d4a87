"""The API's anonymous and per-user rate limits: DRF's rules, one cache round trip each way."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class CountingCache:
    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.inner, name)


@pytest.fixture
def counted(monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr(SimpleRateThrottle, "cache", counting)
    return counting


def test_anonymous_and_user_histories_are_read_and_written_once(counted):
    assert APIClient().get("/api/v1/notes/").status_code == 200
    assert counted.calls == ["get_many", "set_many"]


def test_signed_in_reader_is_counted_per_user(counted, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "2/min"}
    )
    client = APIClient()
    client.force_authenticate(UserFactory())
    statuses = [client.get("/api/v1/notes/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(client.get("/api/v1/notes/")["Retry-After"]) > 0
    # Another reader has their own history.
    other = APIClient()
    other.force_authenticate(UserFactory())
    assert other.get("/api/v1/notes/").status_code == 200


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="the one-round-trip path is for a Redis cache; the other path is tested above",
)
def test_on_redis_the_window_is_one_script_call_per_request(monkeypatch):
    import redis

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/min"}
    )
    calls = []
    original = redis.Redis.evalsha

    def counting_evalsha(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "evalsha", counting_evalsha)
    client = APIClient()
    # A first request (another address) loads the script into a Redis that lacks it.
    assert client.get("/api/v1/notes/", REMOTE_ADDR="203.0.113.8").status_code == 200
    calls.clear()
    statuses = [client.get("/api/v1/notes/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(calls) == 3
    wait = int(client.get("/api/v1/notes/")["Retry-After"])
    assert 0 < wait <= 60
    # Another address has its own window.
    assert client.get("/api/v1/notes/", REMOTE_ADDR="203.0.113.9").status_code == 200
