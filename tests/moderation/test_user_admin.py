"""The user admin as moderation runs it: suspensions only through the desk (with a reason,
logged), an account deleted here closed like its owner's own deletion — sessions and tokens
dead, content and photos gone — and logged; privacy left to its owner."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import FollowRequest, User
from accounts.services import auth_token_obtain
from moderation.models import AuditLogEntry, ModerationAction
from moderation.services.suspensions import account_suspend
from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    admin = UserFactory(handle="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_active_and_private_are_not_edited_here(client, superuser):
    mei = UserFactory(handle="mei", is_private=True)
    FollowRequest.objects.create(requester=UserFactory(), target=mei)
    page = client.get(change_url(mei)).content.decode()
    desk = reverse(
        "admin:moderation_report_target",
        kwargs={"type_id": ContentType.objects.get_for_model(User).pk, "target_id": mei.pk},
    )
    assert 'data-testid="user-moderate"' in page and desk in page
    assert 'name="is_active"' not in page and 'name="is_private"' not in page
    response = client.post(
        change_url(mei),
        {
            "handle": "mei",
            "email": mei.email,
            "display_name": "Mei",
            "avatar_color": "#ff2442",
            "languages": "[]",
            "read_languages": "[]",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            # A ticked-off "active" and "private" are ignored: not fields of this form.
            "is_private": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mei.refresh_from_db()
    assert mei.is_active and mei.is_private and mei.display_name == "Mei"
    assert FollowRequest.objects.filter(target=mei).count() == 1
    assert not AuditLogEntry.objects.exists()


def test_a_suspended_account_links_to_lifting_it(client, superuser):
    sam = UserFactory(handle="sam")
    account_suspend(moderator=superuser, user=sam, until=None, reason="spam")
    page = client.get(change_url(sam)).content.decode()
    assert reverse("admin:moderation_suspendedaccount_changelist") + "?q=sam" in page


def test_deleting_an_account_here_closes_it_everywhere_and_is_logged(
    client, superuser, django_capture_on_commit_callbacks
):
    sam = UserFactory(handle="sam")
    note = NoteFactory(author=sam)
    token = auth_token_obtain(user=sam).key
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_delete", args=[sam.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=sam.pk).exists()
    assert not Note.objects.filter(pk=note.pk).exists()
    from rest_framework.authtoken.models import Token

    assert not Token.objects.filter(key=token).exists()
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.moderator_id, entry.details) == (
        ModerationAction.DELETE,
        superuser.pk,
        {"account": "sam"},
    )


def test_bulk_delete_removes_each_and_never_oneself(
    client, superuser, django_capture_on_commit_callbacks
):
    sam, ann = UserFactory(handle="sam"), UserFactory(handle="ann")
    account_suspend(moderator=superuser, user=ann, until=None, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [sam.pk, ann.pk, superuser.pk],
                "post": "yes",
            },
            follow=True,
        )
    assert response.status_code == 200
    # A suspended account is removed too; the administrator's own is not.
    assert list(User.objects.values_list("handle", flat=True)) == ["root"]
    assert "Close your own account from your settings." in response.content.decode()
    assert AuditLogEntry.objects.filter(action=ModerationAction.DELETE).count() == 2


def test_moderators_cannot_delete_accounts(client):
    from django.contrib.auth.models import Group

    moderator = UserFactory(handle="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    assert not moderator.has_perm("accounts.delete_user")
    client.force_login(moderator)
    sam = UserFactory(handle="sam")
    response = client.post(reverse("admin:accounts_user_delete", args=[sam.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=sam.pk).exists()
    assert Permission.objects.filter(codename="view_user", group__name="Moderator").exists()
