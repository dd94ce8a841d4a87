"""A closed account is never reactivated.

Closing (the owner's deletion, or staff removing the account in the admin) marks the account
closed (`deleted_at`) in the same transaction that deactivates it; the erase task removes it a
little later. In between — or for good if the erase failed — lifting its suspension (by a
moderator or the expiry task) must not bring it back, nor may it be suspended, sign in or use
a token; the admins show it closed. The erase still runs, and runs again harmlessly."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.services import auth_token_obtain
from accounts.services.deletion import account_delete
from accounts.tasks import account_erase_task
from moderation.models import AuditLogEntry, ModerationAction, SuspendedAccount
from moderation.services.removal import account_remove
from moderation.services.suspensions import (
    account_suspend,
    account_unsuspend,
    suspensions_expire,
)
from moderation.tasks import suspensions_expire_task
from tests.factories import PASSWORD, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

REINSTATE_REFUSED = "This account was closed; it cannot be reinstated."


def _closed_while_suspended(moderator, user, *, until):
    """`user` suspended until `until`, then removed by staff: closed, its erase not run yet
    (the on-commit callbacks of the test's transaction never run)."""
    account_suspend(moderator=moderator, user=user, until=until, reason="spam")
    account_remove(moderator=moderator, user=user)
    user.refresh_from_db()
    return user


def _assert_closed(user):
    user.refresh_from_db()
    assert user.is_closed and user.deleted_at is not None
    assert not user.is_active
    assert not user.has_usable_password()


# --- Closing marks the account ----------------------------------------------------------


def test_owner_deletion_marks_the_account_closed(user):
    assert not user.is_closed
    before = timezone.now()
    account_delete(user=user)
    _assert_closed(user)
    assert before <= user.deleted_at <= timezone.now()
    assert User.objects.closed().filter(pk=user.pk).exists()
    assert not User.objects.suspended().filter(pk=user.pk).exists()


def test_staff_removal_marks_a_suspended_account_closed(moderator, user):
    _closed_while_suspended(moderator, user, until=None)
    _assert_closed(user)
    assert AuditLogEntry.objects.filter(action=ModerationAction.DELETE).count() == 1


def test_removing_a_closed_account_again_keeps_its_closing_time(moderator, user):
    account_delete(user=user)
    user.refresh_from_db()
    closed_at = user.deleted_at
    account_remove(moderator=moderator, user=user)  # e.g. to retry a failed erase
    user.refresh_from_db()
    assert user.deleted_at == closed_at and not user.is_active


# --- Lifting a suspension never reopens it --------------------------------------------------


def test_unsuspend_refuses_a_closed_account_and_it_stays_closed(
    moderator, user, captured_events, django_capture_on_commit_callbacks
):
    stale = User.objects.get(pk=user.pk)  # the moderator's page, loaded before the closing
    _closed_while_suspended(moderator, user, until=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        account_unsuspend(moderator=moderator, user=stale, reason="Appeal accepted")
    assert exc.value.message_dict == {"user": [REINSTATE_REFUSED]}
    _assert_closed(user)
    assert not AuditLogEntry.objects.filter(action=ModerationAction.UNSUSPEND).exists()
    assert captured_events.of("user_unsuspended") == []


def test_expiry_task_skips_a_closed_account_whose_suspension_ran_out(moderator, user):
    other = UserFactory(handle="carol")
    _closed_while_suspended(moderator, user, until=timezone.now() + timedelta(minutes=5))
    account_suspend(
        moderator=moderator, user=other, until=timezone.now() + timedelta(minutes=5), reason="x"
    )
    User.objects.filter(pk__in=[user.pk, other.pk]).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )

    assert suspensions_expire_task.apply().get() == 1  # only Carol's
    _assert_closed(user)
    other.refresh_from_db()
    assert other.is_active
    lifted = AuditLogEntry.objects.filter(action=ModerationAction.UNSUSPEND).get()
    assert lifted.target_id == other.pk
    assert suspensions_expire(now=timezone.now() + timedelta(days=1)) == 0  # and again


def test_suspending_a_closed_account_is_refused(moderator, user):
    account_delete(user=user)
    with pytest.raises(ValidationError) as exc:
        account_suspend(moderator=moderator, user=user, until=None, reason="spam")
    assert exc.value.message_dict == {"user": ["This account was closed; it cannot be suspended."]}
    _assert_closed(user)
    assert user.suspended_until is None
    assert not AuditLogEntry.objects.filter(action=ModerationAction.SUSPEND).exists()


def test_desk_suspending_the_author_of_a_closed_account_says_why(moderator, user):
    from moderation.services.actions import target_owners_suspend_many

    note = NoteFactory(author=user)
    account_delete(user=user)
    outcome = target_owners_suspend_many(
        moderator=moderator, targets=[note], until=None, reason="Spam links"
    )
    assert outcome.done == 0
    assert outcome.failed == [(note, "This account was closed; it cannot be suspended.")]
    _assert_closed(user)


def test_the_database_refuses_to_reactivate_a_closed_account(user):
    account_delete(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
    _assert_closed(user)


# --- The erase still runs -------------------------------------------------------------------


def test_erase_runs_on_a_closed_account_after_a_refused_lift(moderator, user):
    note = NoteFactory(author=user)
    _closed_while_suspended(moderator, user, until=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        account_unsuspend(moderator=moderator, user=user, reason="")
    account_erase_task(user_id=user.pk)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not type(note).objects.filter(pk=note.pk).exists()
    account_erase_task(user_id=user.pk)  # redelivered: nothing left, nothing fails
    with pytest.raises(ValidationError) as exc:  # a lift racing the erase: clear, no 500
        account_unsuspend(moderator=moderator, user=user, reason="")
    assert exc.value.message_dict == {"user": ["This account no longer exists."]}


def test_erase_leaves_a_suspended_account_alone(moderator, user):
    """The task erases what is marked closed, not whatever is inactive."""
    account_suspend(moderator=moderator, user=user, until=None, reason="spam")
    account_erase_task(user_id=user.pk)
    user.refresh_from_db()
    assert not user.is_active and not user.is_closed


def test_accounts_closed_before_the_marker_are_marked_by_the_migration():
    """The migration's backfill: inactive with an unusable password (how a closing looked
    before `deleted_at`) is closed; a suspended account (usable password) is not."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0011_user_deleted_at")
    old_closed = UserFactory(handle="old_closed")
    suspended = UserFactory(handle="suspended")
    User.objects.filter(pk=old_closed.pk).update(is_active=False, password="!unusable")
    User.objects.filter(pk=suspended.pk).update(is_active=False)

    migration.mark_closed_accounts(apps, None)

    old_closed.refresh_from_db()
    suspended.refresh_from_db()
    assert old_closed.is_closed and not suspended.is_closed


# --- Sign-in and tokens ---------------------------------------------------------------------


def test_closed_account_sign_in_says_it_no_longer_exists(user, client, api_client):
    account_delete(user=user)
    # The closing made the password unusable: the usual answer, which reveals nothing.
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "no longer exists" not in response.content.decode()
    # Even with a password set on it afterwards, the account does not come back.
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD))
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This account no longer exists." in page and "suspended" not in page
    assert "_auth_user_id" not in client.session
    response = api_client.post(
        reverse("api:auth-token"), {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "This account no longer exists." in str(response.json())
    assert not Token.objects.filter(user=user).exists()


def test_closed_account_token_is_refused(user, api_client):
    token = auth_token_obtain(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get(reverse("api:me")).status_code == 200  # the token is now cached
    account_delete(user=user)
    assert api_client.get(reverse("api:me")).status_code == 401
    # A token made for it afterwards (by hand in the admin, say) is refused too.
    again = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {again.key}")
    assert api_client.get(reverse("api:me")).status_code == 401


# --- The admins ---------------------------------------------------------------------------


def test_admin_lift_of_an_account_closed_meanwhile_says_it_cannot_be_reinstated(
    moderator, user, other_user, client
):
    account_suspend(moderator=moderator, user=user, until=None, reason="spam")
    account_suspend(moderator=moderator, user=other_user, until=None, reason="spam")
    client.force_login(moderator)
    url = reverse("admin:moderation_suspendedaccount_changelist")
    ids = [str(user.pk), str(other_user.pk)]
    asked = client.post(url, {"action": "lift", "_selected_action": ids})
    assert 'data-testid="suspension-lift-form"' in asked.content.decode()
    account_remove(moderator=moderator, user=user)  # closed before the lift is confirmed

    done = client.post(
        url,
        {"action": "lift", "_selected_action": ids, "confirm": "yes", "reason": "OK"},
        follow=True,
    )

    said = {(m.level, m.message) for m in done.context["messages"]}
    assert (messages.SUCCESS, "Lifted 1 suspension.") in said
    assert (messages.WARNING, f"@alice: {REINSTATE_REFUSED}") in said
    _assert_closed(user)
    other_user.refresh_from_db()
    assert other_user.is_active
    assert not SuspendedAccount.objects.suspended().filter(pk=user.pk).exists()
    assert "@alice" not in client.get(url).content.decode()


def test_user_admin_shows_a_closed_account_as_closed_and_read_only(moderator, user, client):
    account_delete(user=user)
    client.force_login(moderator)
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert '<td class="field-state">Closed</td>' in listing
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    assert "Closed: the account is being erased; it cannot be reinstated." in page
    assert 'name="handle"' not in page and 'name="_save"' not in page  # view only
    response = client.post(url, {"handle": "back", "email": "back@example.org"})
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[user.pk])
    assert client.get(password).status_code == 403
    user.refresh_from_db()
    assert user.handle == "alice" and user.is_closed


def test_user_admin_states_of_open_accounts(moderator, user, other_user, client):
    account_suspend(moderator=moderator, user=other_user, until=None, reason="spam")
    client.force_login(moderator)
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert '<td class="field-state">Active</td>' in listing
    assert '<td class="field-state">Suspended</td>' in listing
    assert '<td class="field-state">Closed</td>' not in listing


# --- The race itself, on two connections ----------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_a_lift_waiting_on_the_closing_is_refused_once_it_commits():
    """A moderator lifts the suspension while staff remove the account: the lift waits for the
    closing's row lock, then sees the account closed and refuses; the erase (eager here, right
    after the closing commits) removes the account, which was never active in between."""
    moderator = UserFactory(handle="mod", is_staff=True, is_superuser=True)
    person = UserFactory(handle="alice")
    account_suspend(moderator=moderator, user=person, until=None, reason="spam")
    locked, release = threading.Event(), threading.Event()

    def close():
        try:
            with transaction.atomic():
                account_remove(moderator=moderator, user=person)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def lift():
        try:
            account_unsuspend(moderator=moderator, user=User(pk=person.pk), reason="Appeal")
        except ValidationError as exc:
            return exc.message_dict["user"][0]
        finally:
            connections.close_all()
        return "lifted"

    with ThreadPoolExecutor(max_workers=2) as pool:
        closing = pool.submit(close)
        assert locked.wait(timeout=30)
        lifting = pool.submit(lift)
        _wait_for_a_lock_wait()  # the lift is blocked on the closing's row lock
        release.set()
        closing.result(timeout=30)
        said = lifting.result(timeout=30)

    assert said in (REINSTATE_REFUSED, "This account no longer exists.")
    assert not User.objects.filter(pk=person.pk).exists()  # erased
    assert not AuditLogEntry.objects.filter(action=ModerationAction.UNSUSPEND).exists()


def _wait_for_a_lock_wait(timeout: float = 10) -> None:
    """Return once some other connection of this database waits for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the lift never waited for the closing's lock")
