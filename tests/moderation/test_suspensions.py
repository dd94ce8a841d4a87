"""Suspensions: for a period or permanently; sessions and API tokens end; a clear message at
sign-in; the beat task lifts timed ones; audit entries and notices."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User, UserSession
from accounts.services import auth_token_obtain
from accounts.services.deletion import account_delete
from moderation.models import AuditLogEntry, ModerationAction
from moderation.services.suspensions import (
    account_suspend,
    account_unsuspend,
    suspensions_expire,
)
from moderation.tasks import suspensions_expire_task
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(handle="mod", is_staff=True)


def _suspend(moderator, user, until=None, reason="spam"):
    return account_suspend(moderator=moderator, user=user, until=until, reason=reason)


def test_account_suspend_permanent_writes_audit_and_notice(
    moderator, user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = _suspend(moderator, user, reason="Repeated spam")
    user.refresh_from_db()
    assert not user.is_active and user.suspended_until is None
    assert entry.action == ModerationAction.SUSPEND
    assert (entry.moderator, entry.target_owner, entry.target_id) == (moderator, user, user.pk)
    assert entry.reason == "Repeated spam" and entry.details == {"until": None}
    assert captured_events.of("user_suspended") == [{"user_id": user.pk}]
    [notice] = captured_events.of("moderation_notice")
    assert notice["recipient_id"] == user.pk
    assert notice["action"] == "suspend"
    assert notice["target_type"] == "accounts.user"
    assert notice["details"]["audit_entry_id"] == entry.pk


def test_account_suspend_for_a_period(moderator, user):
    until = timezone.now() + timedelta(days=3)
    entry = _suspend(moderator, user, until=until)
    user.refresh_from_db()
    assert user.suspended_until == until
    assert entry.details == {"until": until.isoformat()}


@pytest.mark.parametrize("case", ["past", "self", "staff"])
def test_account_suspend_refuses(moderator, user, case):
    target, until, field = user, None, "user"
    if case == "past":
        until, field = timezone.now() - timedelta(minutes=1), "until"
    elif case == "self":
        target = moderator
    else:
        target = UserFactory(handle="other_mod", is_staff=True)
    with pytest.raises(ValidationError) as exc:
        _suspend(moderator, target, until=until)
    assert field in exc.value.message_dict
    target.refresh_from_db()
    assert target.is_active
    assert not AuditLogEntry.objects.exists()


def test_account_suspend_ends_sessions_and_tokens(moderator, user, client, api_client):
    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert client.get(reverse("api:me")).status_code == 200
    assert UserSession.objects.filter(user_id=user.pk).count() == 1
    other_session = UserFactory(handle="carol")
    client2 = type(client)()
    client2.post(reverse("account_login"), {"login": "carol", "password": PASSWORD})
    token = auth_token_obtain(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get(reverse("api:me")).status_code == 200  # token now cached

    _suspend(moderator, user)

    assert not UserSession.objects.filter(user_id=user.pk).exists()
    assert not Token.objects.filter(user=user).exists()
    assert client.get(reverse("api:me")).status_code in (401, 403)
    response = api_client.get(reverse("api:me"))
    assert response.status_code == 401
    # Someone else's session is untouched.
    assert UserSession.objects.filter(user_id=other_session.pk).count() == 1
    assert client2.get(reverse("api:me")).json()["handle"] == "carol"


def test_suspended_login_says_until_when(moderator, user, client):
    until = timezone.now() + timedelta(days=2)
    _suspend(moderator, user, until=until)
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_permanently_suspended_login_and_token_say_so(moderator, user, client, api_client):
    _suspend(moderator, user)
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert "Your account is suspended permanently." in response.content.decode()
    response = api_client.post(
        reverse("api:auth-token"), {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "suspended permanently" in str(response.json())
    # A wrong password still says nothing about the account.
    response = client.post(reverse("account_login"), {"login": "alice", "password": "nope"})
    assert "suspended" not in response.content.decode()


def test_account_unsuspend_restores(
    moderator, user, client, captured_events, django_capture_on_commit_callbacks
):
    _suspend(moderator, user, until=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        entry = account_unsuspend(moderator=moderator, user=user, reason="Appeal accepted")
    user.refresh_from_db()
    assert user.is_active and user.suspended_until is None
    assert entry.action == ModerationAction.UNSUSPEND
    assert captured_events.of("user_unsuspended") == [{"user_id": user.pk}]
    assert captured_events.of("moderation_notice")[0]["action"] == "unsuspend"
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_account_unsuspend_refuses_an_active_account(moderator, user):
    with pytest.raises(ValidationError) as exc:
        account_unsuspend(moderator=moderator, user=user, reason="")
    assert "user" in exc.value.message_dict


def test_suspensions_expire_lifts_only_those_due(moderator, user, other_user):
    permanent = UserFactory(handle="carol")
    later = timezone.now() + timedelta(hours=1)
    _suspend(moderator, user, until=timezone.now() + timedelta(minutes=5))
    _suspend(moderator, other_user, until=later)
    _suspend(moderator, permanent)
    assert suspensions_expire(now=timezone.now() + timedelta(minutes=10)) == 1
    user.refresh_from_db()
    other_user.refresh_from_db()
    permanent.refresh_from_db()
    assert user.is_active and user.suspended_until is None
    assert not other_user.is_active and other_user.suspended_until == later
    assert not permanent.is_active
    entry = AuditLogEntry.objects.filter(action=ModerationAction.UNSUSPEND).get()
    assert entry.moderator is None and entry.target_id == user.pk


def test_suspensions_expire_task_runs_the_service(moderator, user):
    _suspend(moderator, user, until=timezone.now() + timedelta(seconds=1))
    User.objects.filter(pk=user.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert suspensions_expire_task.apply().get() == 1
    user.refresh_from_db()
    assert user.is_active


def test_beat_schedule_names_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["moderation-suspensions-expire"]
    assert entry["task"] == suspensions_expire_task.name


# --- Admin: suspended accounts ----------------------------------------------------------------


def test_admin_lists_suspended_accounts_with_reason_and_lifts_them(
    moderator, user, other_user, client, captured_events, django_capture_on_commit_callbacks
):
    moderator.is_superuser = True
    moderator.save()
    until = timezone.now() + timedelta(days=2)
    _suspend(moderator, user, until=until, reason="Spam links")
    _suspend(moderator, other_user, reason="Harassment")
    account_delete(user=UserFactory(handle="closed"))  # closed, its erase not run yet
    client.force_login(moderator)
    url = reverse("admin:moderation_suspendedaccount_changelist")
    html = client.get(url).content.decode()
    assert "Spam links" in html and "Harassment" in html and "Permanently" in html
    assert "closed" not in html  # closed by its owner: not a suspension
    ids = [str(user.pk), str(other_user.pk)]
    ask = client.post(url, {"action": "lift", "_selected_action": ids})
    assert 'data-testid="suspension-lift-form"' in ask.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "lift", "_selected_action": ids, "confirm": "yes", "reason": "OK"}
        )
    assert done.status_code == 302
    assert User.objects.filter(pk__in=ids, is_active=True).count() == 2
    assert AuditLogEntry.objects.filter(action=ModerationAction.UNSUSPEND).count() == 2
    assert len(captured_events.of("user_unsuspended")) == 2


def test_admin_moderator_group_can_see_and_lift(moderator, user, client):
    from django.contrib.auth.models import Group

    _suspend(moderator, user)
    person = UserFactory(handle="helper", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderator"))
    client.force_login(person)
    url = reverse("admin:moderation_suspendedaccount_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "lift", "_selected_action": [user.pk], "confirm": "yes"})
    user.refresh_from_db()
    assert user.is_active
