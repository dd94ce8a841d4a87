"""API tokens: the token's user is answered from the cache, and revoking a token, suspending
the account or editing it takes effect on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _auth_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("api:me")).status_code == 200
    return sum("authtoken_token" in q["sql"] for q in context.captured_queries)


def test_token_user_is_cached_after_the_first_request():
    user = UserFactory()
    client = _client(services.auth_token_obtain(user=user))
    assert _auth_queries(client) == 1
    assert _auth_queries(client) == 0


def test_revoked_token_stops_working_at_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _client(services.auth_token_obtain(user=user))
    assert client.get(reverse("api:me")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.auth_tokens_revoke(user=user)
    assert client.get(reverse("api:me")).status_code == 401


def test_suspended_user_token_stops_working_at_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _client(services.auth_token_obtain(user=user))
    assert client.get(reverse("api:me")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.user_suspend(user=user)
    assert client.get(reverse("api:me")).status_code == 401


def test_profile_edit_is_seen_on_the_next_request(django_capture_on_commit_callbacks):
    user = UserFactory(display_name="Before")
    client = _client(services.auth_token_obtain(user=user))
    assert client.get(reverse("api:me")).json()["display_name"] == "Before"
    with django_capture_on_commit_callbacks(execute=True):
        user.display_name = "After"
        user.save()
    assert client.get(reverse("api:me")).json()["display_name"] == "After"


def test_activity_of_a_token_user_is_written_once_not_on_every_request():
    # The cached copy of the row kept an old `last_active_at`, so every request within the
    # cache's lifetime ran the (no-op) UPDATE again.
    user = UserFactory(last_active_at=None)
    client = _client(services.auth_token_obtain(user=user))

    def updates() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("api:me")).status_code == 200
        return sum(q["sql"].startswith("UPDATE") for q in context.captured_queries)

    assert updates() == 1
    assert [updates() for _ in range(3)] == [0, 0, 0]
    user.refresh_from_db()
    assert user.last_active_at is not None
