"""The new inbox entries of issue 9: follow requests and their acceptance (Follows tab), and
notices from the site (Notices tab): a data export ready, messages from the moderators (one
sentence per action, the moderators' reason, a link while the content exists). Each is shown
by the page and the API alike, escaped, counted unread, and told once."""

from datetime import timedelta

import pytest
from django.db import reset_queries
from django.test import Client
from django.utils import timezone

from accounts import events as accounts_events
from accounts import services as accounts_services
from accounts.models import DataExport, DataExportStatus
from moderation import events as moderation_events
from moderation.models import ModerationAction
from notifications import selectors
from notifications.models import Notification, NotificationKind, NotificationTab
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"
LIST = "/api/v1/notifications/"
EVIL = '<img src=x onerror="alert(1)">'


@pytest.fixture
def mei(db):
    return UserFactory(handle="mei", display_name="Mei")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def api(api_client, mei):
    api_client.force_authenticate(user=mei)
    return api_client


@pytest.fixture
def notice(django_capture_on_commit_callbacks, mei):
    """`notice(action, target=..., reason=..., **details)`: send `moderation_notice` to Mei as
    the moderation services do (after commit), and run the task it enqueues."""

    def send(action, *, target=None, reason="", audit_entry_id=None, **details):
        if target is None:
            target_type, target_id = "accounts.user", mei.pk
        else:
            meta = target._meta
            target_type, target_id = f"{meta.app_label}.{meta.model_name}", target.pk
        if audit_entry_id is not None:
            details["audit_entry_id"] = audit_entry_id
        with django_capture_on_commit_callbacks(execute=True):
            moderation_events.moderation_notice.send(
                sender=None,
                recipient_id=mei.pk,
                action=action,
                reason=reason,
                target_type=target_type,
                target_id=target_id,
                details=details,
            )

    return send


# --- Follow requests ------------------------------------------------------------------------


def test_follow_request_entry_with_accept_and_decline(run_events, mei):
    accounts_services.profile_update(user=mei, is_private=True)
    sam = UserFactory(handle="sam", display_name="Sam <b>")
    run_events(accounts_services.follow_create, follower=sam, followee=mei)

    html = signed_in(mei).get(INBOX, {"tab": "follows"}).content.decode()
    assert 'data-kind="follow_request"' in html and "asked to follow you" in html
    assert 'data-testid="accept-request"' in html and 'data-testid="decline-request"' in html
    assert "/follow-requests/sam/accept/" in html
    assert 'data-testid="follow-requests-link"' in html
    assert "Sam &lt;b&gt;" in html and "Sam <b>" not in html

    body = signed_in(mei).get(LIST, {"tab": "follows"}).json()
    (entry,) = body["results"]
    assert entry["kind"] == "follow_request" and entry["follow_request_pending"] is True
    assert [a["handle"] for a in entry["actors"]] == ["sam"]
    assert body["unread"]["follows"] == 1


def test_accepting_from_the_inbox_tells_the_requester(run_events, mei):
    accounts_services.profile_update(user=mei, is_private=True)
    sam = UserFactory(handle="sam")
    run_events(accounts_services.follow_create, follower=sam, followee=mei)
    with_hx = signed_in(mei)
    run_events(accounts_services.follow_request_accept, owner=mei, requester=sam)

    sam_html = signed_in(sam).get(INBOX, {"tab": "follows"}).content.decode()
    assert 'data-kind="follow_accepted"' in sam_html
    assert "accepted your request to follow them" in sam_html
    entry = signed_in(sam).get(LIST).json()["results"][0]
    assert entry["kind"] == "follow_accepted" and entry["actors"][0]["handle"] == "mei"
    assert entry["follow_request_pending"] is None

    # Mei's side: the request became a follow ("started following you"), no buttons left.
    mei_html = with_hx.get(INBOX, {"tab": "follows"}).content.decode()
    assert 'data-kind="follow"' in mei_html and 'data-kind="follow_request"' not in mei_html


def test_a_read_request_entry_keeps_no_buttons_once_answered(run_events, mei):
    accounts_services.profile_update(user=mei, is_private=True)
    sam = UserFactory(handle="sam")
    run_events(accounts_services.follow_create, follower=sam, followee=mei)
    Notification.objects.filter(recipient=mei).update(read_at=timezone.now())
    run_events(accounts_services.follow_request_decline, owner=mei, requester=sam)

    html = signed_in(mei).get(INBOX, {"tab": "follows"}).content.decode()
    assert 'data-kind="follow_request"' in html
    assert 'data-testid="accept-request"' not in html
    entry = signed_in(mei).get(LIST).json()["results"][0]
    assert entry["follow_request_pending"] is False
    assert not Notification.objects.filter(recipient=sam).exists()


def test_a_cancelled_request_leaves_the_unread_inbox(run_events, mei):
    accounts_services.profile_update(user=mei, is_private=True)
    sam = UserFactory(handle="sam")
    run_events(accounts_services.follow_create, follower=sam, followee=mei)
    assert selectors.unread_counts(recipient=mei).follows == 1
    run_events(accounts_services.follow_delete, follower=sam, followee=mei)
    assert not Notification.objects.filter(recipient=mei).exists()
    assert selectors.unread_counts(recipient=mei).follows == 0


# --- Data export ------------------------------------------------------------------------------


def test_export_ready_notice_in_the_inbox_and_the_api(django_capture_on_commit_callbacks, mei):
    export = DataExport.objects.create(
        user=mei, status=DataExportStatus.READY, expires_at=timezone.now() + timedelta(days=7)
    )
    for _twice in range(2):  # a task delivered twice tells it once
        with django_capture_on_commit_callbacks(execute=True):
            accounts_events.data_export_ready.send(
                sender=DataExport, user_id=mei.pk, export_id=export.pk
            )
    (entry,) = Notification.objects.filter(recipient=mei)
    assert (entry.kind, entry.tab, entry.actor_id) == ("export_ready", "notices", mei.pk)
    assert entry.data == {"export_id": export.pk}

    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert 'data-kind="export_ready"' in html
    assert "Your data export is ready to download." in html
    assert 'href="/settings/#export"' in html

    body = signed_in(mei).get(LIST, {"tab": "notices"}).json()
    (item,) = body["results"]
    assert item["text"] == "Your data export is ready to download."
    assert item["url"] == "http://testserver/settings/#export"
    assert item["data"] == {"export_id": export.pk}
    assert item["actors"] == [] and item["actor_count"] == 0
    assert body["unread"]["notices"] == 1 and body["unread"]["total"] == 1


def test_export_not_ready_or_not_theirs_tells_nothing(django_capture_on_commit_callbacks, mei):
    pending = DataExport.objects.create(user=mei)
    someone_elses = DataExport.objects.create(user=UserFactory(), status=DataExportStatus.READY)
    with django_capture_on_commit_callbacks(execute=True):
        for export in (pending, someone_elses):
            accounts_events.data_export_ready.send(
                sender=DataExport, user_id=mei.pk, export_id=export.pk
            )
    assert not Notification.objects.exists()


# --- Moderation messages --------------------------------------------------------------------

SENTENCES = [
    (ModerationAction.HIDE, "note", "The moderators hid your note “Dumplings”."),
    (
        ModerationAction.UNHIDE,
        "note",
        "The moderators restored your note “Dumplings”: it is visible again.",
    ),
    (ModerationAction.DELETE, "note", "The moderators deleted your note “Dumplings”."),
    (ModerationAction.WARN, "note", "The moderators warned you about your note “Dumplings”."),
    (ModerationAction.WARN, "user", "The moderators sent you a warning."),
    (
        ModerationAction.APPROVE,
        "note",
        "The moderators approved your note “Dumplings”: others can see it now.",
    ),
    (
        ModerationAction.REJECT,
        "note",
        "The moderators rejected your note “Dumplings”: it will not be published.",
    ),
    (
        ModerationAction.APPEAL_GRANT,
        "note",
        "The moderators granted your appeal: your note “Dumplings” is visible again.",
    ),
    (
        ModerationAction.APPEAL_DENY,
        "note",
        "The moderators denied your appeal about your note “Dumplings”.",
    ),
    (ModerationAction.HIDE, "comment", "The moderators hid your comment “So good &lt;3”."),
    (ModerationAction.SUSPEND, "user", "The moderators suspended your account permanently."),
    (ModerationAction.UNSUSPEND, "user", "The moderators lifted the suspension of your account."),
]


@pytest.mark.parametrize(("action", "kind", "sentence"), SENTENCES)
def test_each_moderation_message_in_the_inbox_and_the_api(action, kind, sentence, notice, mei):
    note = NoteFactory(author=mei, title="Dumplings")
    target = {"note": note, "user": None}.get(kind)
    if kind == "comment":
        from notes import services as notes_services

        target = notes_services.comment_create(author=mei, note=note, body="So good <3")
    notice(action, target=target, reason=f"Spam {EVIL}", audit_entry_id=1)

    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert f'data-action="{action}"' in html
    assert sentence in html
    assert "Spam &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert EVIL not in html

    (item,) = signed_in(mei).get(LIST, {"tab": "notices"}).json()["results"]
    assert item["kind"] == "moderation" and item["tab"] == "notices"
    assert item["text"] == sentence.replace("&lt;", "<")
    assert item["data"]["action"] == action
    assert item["data"]["reason"] == f"Spam {EVIL}"  # plain text: the client escapes it
    assert item["data"]["target_kind"] == kind


def test_moderation_message_links_to_content_while_it_exists(notice, mei):
    note = NoteFactory(author=mei, title="Dumplings")
    notice(ModerationAction.HIDE, target=note, reason="Spam", audit_entry_id=1)
    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert f'href="/notes/{note.pk}/" data-testid="notice-link"' in html
    item = signed_in(mei).get(LIST).json()["results"][0]
    assert item["url"] == f"http://testserver/notes/{note.pk}/"

    note_id = note.pk
    note.delete()
    notice(ModerationAction.DELETE, target=note, reason="Spam", audit_entry_id=2)
    # Deleted: both messages stay, keep the title they had, and link nowhere.
    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert html.count('data-kind="moderation"') == 2
    assert 'data-testid="notice-link"' not in html
    assert f"/notes/{note_id}/" not in html
    assert "The moderators hid your note “Dumplings”." in html
    items = signed_in(mei).get(LIST).json()["results"]
    assert [i["url"] for i in items] == [None, None]


def test_a_suspension_is_told_with_its_end(notice, mei):
    until = timezone.now() + timedelta(days=3)
    notice(ModerationAction.SUSPEND, until=until.isoformat(), audit_entry_id=5)
    text = signed_in(mei).get(LIST).json()["results"][0]["text"]
    assert text.startswith("The moderators suspended your account until ")
    assert str(until.year) in text


def test_the_suspension_service_tells_the_person(django_capture_on_commit_callbacks, mei):
    from moderation.services.suspensions import account_suspend

    moderator = UserFactory(handle="mod", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        account_suspend(moderator=moderator, user=mei, until=None, reason="Spam <b>")
    (entry,) = Notification.objects.filter(recipient=mei)
    assert entry.kind == NotificationKind.MODERATION and entry.data["action"] == "suspend"
    assert entry.data["reason"] == "Spam <b>" and entry.data["target_kind"] == "user"


def test_a_moderation_message_is_told_once_per_decision(notice, mei):
    note = NoteFactory(author=mei)
    notice(ModerationAction.HIDE, target=note, reason="Spam", audit_entry_id=7)
    notice(ModerationAction.HIDE, target=note, reason="Spam", audit_entry_id=7)
    Notification.objects.update(read_at=timezone.now())
    notice(ModerationAction.HIDE, target=note, reason="Spam", audit_entry_id=7)
    assert Notification.objects.filter(recipient=mei).count() == 1
    # Without an audit entry each event is its own message.
    notice(ModerationAction.WARN)
    notice(ModerationAction.WARN)
    assert Notification.objects.filter(recipient=mei).count() == 3


def test_notices_count_unread_and_mark_read(notice, mei, api):
    notice(ModerationAction.WARN, reason="Be kind", audit_entry_id=1)
    notice(ModerationAction.WARN, reason="Be kind", audit_entry_id=2)
    body = api.get(LIST).json()
    assert body["unread"]["notices"] == 2 and body["unread"]["total"] == 2
    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert 'data-testid="tab-notices"' in html
    read = api.post("/api/v1/notifications/read/", {"tab": "notices"}, format="json").json()
    assert read["marked"] == 2 and read["unread"]["notices"] == 0


def test_notices_tab_is_a_valid_api_filter_and_bad_tabs_are_400(api):
    assert api.get(LIST, {"tab": "notices"}).status_code == 200
    response = api.get(LIST, {"tab": "nope"})
    assert response.status_code == 400 and "tab" in response.json()["errors"]


def test_empty_notices_tab_says_what_comes_there(mei):
    html = signed_in(mei).get(INBOX, {"tab": "notices"}).content.decode()
    assert "Messages from the site and its moderators show up here." in html


def test_notices_tab_queries_do_not_grow_with_the_page(notice, mei, django_assert_max_num_queries):
    client = signed_in(mei)
    note = NoteFactory(author=mei, title="One")
    notice(ModerationAction.HIDE, target=note, reason="Spam", audit_entry_id=1)
    notice(ModerationAction.WARN, audit_entry_id=2)
    client.get(INBOX, {"tab": "notices"})  # warms the unread counts
    reset_queries()
    with django_assert_max_num_queries(14) as small:
        client.get(INBOX, {"tab": "notices"})
    budget = len(small)
    for number in range(3, 21):
        target = NoteFactory(author=mei, title=f"Note {number}")
        notice(ModerationAction.HIDE, target=target, reason="Spam", audit_entry_id=number)
    client.get(INBOX, {"tab": "notices"})
    reset_queries()
    with django_assert_max_num_queries(budget):
        response = client.get(INBOX, {"tab": "notices"})
    assert response.content.decode().count('data-testid="notification"') == 20


def test_notices_tab_is_in_the_tabs(mei):
    assert NotificationTab.NOTICES in dict(NotificationTab.choices)
    html = signed_in(mei).get(INBOX).content.decode()
    assert 'href="?tab=notices"' in html
