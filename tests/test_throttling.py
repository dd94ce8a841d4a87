"""The API's anonymous and per-user rate limits: DRF's rules, one cache round trip each way."""

import pytest
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
