"""Keyword rules on notes and comments, end to end: refused text is a 400 naming the field
(API and form) and nothing is stored; held content is visible to its author only — not in
feeds, Discover, tag pages, search, threads or the API for anyone else — until a moderator
approves it (published and fanned out) or rejects it (hidden with the reason); every decision
is in the audit log, single and bulk. The review queue and the rules in Django admin."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from feeds.store import get_store
from moderation.models import AuditLogEntry, HeldContent, HoldStatus, KeywordAction, KeywordRule
from moderation.services import holds as hold_services
from moderation.services.keywords import keyword_rule_create
from notes import services as note_services
from notes.models import Comment, Note, NoteImage, NoteStatus
from tests.api import assert_error
from tests.factories import FollowFactory, NoteFactory, NoteImageFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""


@pytest.fixture
def feeds(settings):
    """The home feeds in the test Redis."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: REDIS_URL is not set")
    settings.FEEDS_REDIS_URL = settings.REDIS_URL
    settings.FEEDS_REDIS_CLUSTER = False
    store = get_store()
    store.flush()
    yield store
    store.flush()


@pytest.fixture
def alice():
    return UserFactory(handle="alice", languages=["en"], read_languages=["en"])


@pytest.fixture
def bob():
    return UserFactory(handle="bob", languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def carol():
    return UserFactory(handle="carol")


@pytest.fixture
def moderator():
    return UserFactory(handle="mod", is_staff=True, is_superuser=True)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rule(term, *, language="", action=KeywordAction.HOLD, message=""):
    return keyword_rule_create(
        moderator=None, term=term, language=language, action=action, message=message
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def post_note(client, user, **fields):
    media = NoteImageFactory(owner=user, pending=True)
    return client.post("/api/v1/notes/", {"media_ids": [media.pk], **fields}, format="json")


# --- Hold, then approve ---------------------------------------------------------------------


def test_english_term_holds_english_note_for_everyone_but_its_author_until_approved(
    feeds, alice, bob, carol, moderator, captured_events, django_capture_on_commit_callbacks
):
    FollowFactory(follower=bob, followee=alice)
    rule("cheap followers", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_note(
            api(alice), alice, title="Growth tips", body="Get CHEAP followers today #growth"
        )
    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert note.status == NoteStatus.HELD and note.published_at is None
    hold = HeldContent.objects.get()
    assert (hold.status, hold.matched_term, hold.matched_in, hold.author) == (
        HoldStatus.PENDING,
        "cheap followers",
        "original",
        alice,
    )
    assert "note_published" not in captured_events.names()  # no fan-out, no mentions

    # Nobody else sees it, anywhere.
    for viewer in (bob, carol, None):
        client = api(viewer)
        assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 404
        assert note.pk not in ids(client.get("/api/v1/feeds/discover/"))
        assert note.pk not in ids(client.get("/api/v1/tags/growth/notes/"))
        assert note.pk not in ids(client.get("/api/v1/users/alice/notes/"))
        assert note.pk not in ids(client.get("/api/v1/search/", {"q": "followers"}))
    assert note.pk not in ids(api(bob).get("/api/v1/feeds/home/"))
    assert feeds.timeline_members(bob.pk) == []
    assert browser(bob).get(f"/notes/{note.pk}/").status_code == 404
    assert f'data-note-id="{note.pk}"' not in Client().get("/").content.decode()
    assert f'data-note-id="{note.pk}"' not in browser(bob).get("/tags/growth/").content.decode()

    # Its author does, marked as waiting for review.
    mine = api(alice).get(f"/api/v1/notes/{note.pk}/")
    assert mine.status_code == 200 and mine.json()["status"] == "held"
    page = browser(alice).get(f"/notes/{note.pk}/").content.decode()
    assert 'data-status="held"' in page and "Waiting for review" in page
    assert note.pk in ids(api(alice).get("/api/v1/users/alice/notes/"))

    captured_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert hold_services.hold_approve(moderator=moderator, hold=hold) is True
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED and note.published_at is not None
    assert feeds.timeline_members(bob.pk) == [note.pk]  # fanned out as a publication is
    assert note.pk in ids(api(bob).get("/api/v1/feeds/home/"))
    assert note.pk in ids(api(carol).get("/api/v1/tags/growth/notes/"))
    assert api(carol).get(f"/api/v1/notes/{note.pk}/").status_code == 200
    assert captured_events.of("note_published") == [
        {"note_id": note.pk, "author_id": alice.pk, "visibility": "public"}
    ]
    [notice] = captured_events.of("moderation_notice")
    assert (notice["recipient_id"], notice["action"], notice["target_id"]) == (
        alice.pk,
        "approve",
        note.pk,
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.moderator, entry.target_id, entry.target_owner) == (
        "approve",
        moderator,
        note.pk,
        alice,
    )
    assert entry.details["term"] == "cheap followers"
    hold.refresh_from_db()
    assert (hold.status, hold.decided_by) == (HoldStatus.APPROVED, moderator)
    # Deciding twice does nothing more.
    assert hold_services.hold_approve(moderator=moderator, hold=hold) is False
    assert AuditLogEntry.objects.count() == 1


def test_chinese_term_holds_chinese_comment_for_everyone_but_its_author_until_approved(
    alice, bob, carol, moderator, captured_events, django_capture_on_commit_callbacks
):
    rule("加微信", language="zh-Hans")
    note = NoteFactory(author=alice, title="Dali old town")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(bob).post(
            f"/api/v1/notes/{note.pk}/comments/", {"body": "想要的话加微信私聊我"}
        )
    assert response.status_code == 201, response.content
    assert response.json()["moderation"] == {"held": True}
    comment = Comment.objects.get()
    assert comment.is_held
    assert "comment_created" not in captured_events.names()  # nobody notified
    note.refresh_from_db()
    assert note.comment_count == 0

    def thread(viewer):
        response = api(viewer).get(f"/api/v1/notes/{note.pk}/comments/")
        assert response.status_code == 200
        return [(c["id"], c["moderation"]) for c in response.json()["results"]]

    assert thread(alice) == [] and thread(carol) == [] and thread(None) == []
    assert thread(bob) == [(comment.pk, {"held": True})]
    assert api(carol).get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert note.pk not in ids(api(carol).get("/api/v1/search/", {"q": "加微信"}))
    page = browser(bob).get(f"/notes/{note.pk}/").content.decode()
    assert 'data-testid="comment-held"' in page
    assert "私聊我" not in browser(alice).get(f"/notes/{note.pk}/").content.decode()

    [hold] = HeldContent.objects.all()
    with django_capture_on_commit_callbacks(execute=True):
        hold_services.hold_approve(moderator=moderator, hold=hold)
    assert thread(alice) == [(comment.pk, None)] and thread(carol) == [(comment.pk, None)]
    note.refresh_from_db()
    assert note.comment_count == 1
    [created] = captured_events.of("comment_created")
    assert (created["comment_id"], created["note_author_id"], created["author_id"]) == (
        comment.pk,
        alice.pk,
        bob.pk,
    )


def test_any_language_rule_holds_text_in_either_language(alice, bob):
    rule("spam")
    note = NoteFactory(author=alice)
    english = note_services.comment_create(author=bob, note=note, body="This is spam")
    chinese = note_services.comment_create(author=bob, note=note, body="这是spam吧")
    fine = note_services.comment_create(author=bob, note=note, body="Spammy is a word")
    assert (english.is_held, chinese.is_held, fine.is_held) == (True, True, False)


def test_held_reply_under_a_shown_comment_keeps_the_counters_right(alice, bob, moderator):
    rule("加微信")
    note = NoteFactory(author=alice)
    top = note_services.comment_create(author=alice, note=note, body="Welcome!")
    reply = note_services.comment_create(author=bob, note=note, body="加微信", parent=top)
    assert reply.is_held
    top.refresh_from_db()
    note.refresh_from_db()
    assert (top.reply_count, note.comment_count) == (0, 1)
    [hold] = HeldContent.objects.all()
    hold_services.hold_approve(moderator=moderator, hold=hold)
    top.refresh_from_db()
    note.refresh_from_db()
    assert (top.reply_count, note.comment_count) == (1, 2)


def test_edit_that_matches_holds_a_published_note_and_withdraws_it(
    alice, bob, captured_events, django_capture_on_commit_callbacks
):
    rule("cheap followers")
    note = NoteFactory(author=alice, body="A walk by the river.")
    with django_capture_on_commit_callbacks(execute=True):
        note_services.note_update(note=note, body="Cheap followers here")
    note.refresh_from_db()
    assert note.status == NoteStatus.HELD
    assert captured_events.of("note_withdrawn") == [
        {"note_id": note.pk, "author_id": alice.pk, "visibility": None}
    ]
    assert api(bob).get(f"/api/v1/notes/{note.pk}/").status_code == 404


# --- Refuse ---------------------------------------------------------------------------------


def test_refused_note_is_a_400_naming_the_field_over_the_api_and_stores_nothing(alice):
    rule("scam", action=KeywordAction.REFUSE, message="No scams, please.")
    response = post_note(api(alice), alice, title="Total SCAM", body="nothing else")
    body = assert_error(response, 400, "title")
    assert body["errors"]["title"] == ["No scams, please."]
    assert not Note.objects.exists() and not HeldContent.objects.exists()
    assert NoteImage.objects.get().note_id is None  # the upload waits, unattached


def test_refused_note_form_shows_the_message_and_stores_nothing(alice):
    rule("骗子", action=KeywordAction.REFUSE, message="不可以骂人。")
    media = NoteImageFactory(owner=alice, pending=True)
    response = browser(alice).post(
        "/notes/new/",
        {"title": "你好", "body": "他是骗子", "visibility": "public", "media_ids": [media.pk]},
    )
    assert response.status_code == 400
    assert "不可以骂人。" in response.content.decode()
    assert not Note.objects.exists()


def test_refused_comment_is_a_400_over_the_api_and_an_error_in_the_form(alice, bob):
    rule("idiot", action=KeywordAction.REFUSE)
    note = NoteFactory(author=alice)
    response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": "You IDIOT"})
    body = assert_error(response, 400, "body")
    assert "not allowed" in body["errors"]["body"][0]
    page = browser(bob).post(f"/notes/{note.pk}/comments/", {"body": "idiot!"}, **HTMX)
    assert "not allowed" in page.content.decode()
    assert not Comment.objects.exists()


def test_refused_edit_keeps_the_note_as_it_was(alice):
    rule("scam", action=KeywordAction.REFUSE)
    note = NoteFactory(author=alice, body="Fine text")
    response = api(alice).patch(f"/api/v1/notes/{note.pk}/", {"body": "a scam"}, format="json")
    assert_error(response, 400, "body")
    note.refresh_from_db()
    assert (note.body, note.status) == ("Fine text", NoteStatus.PUBLISHED)


# --- Reject, bulk, audit ----------------------------------------------------------------------


def test_reject_hides_the_content_with_the_reason_and_logs_it(
    alice, bob, moderator, captured_events, django_capture_on_commit_callbacks
):
    rule("加微信", message="请勿留联系方式。")
    note = NoteFactory(author=alice)
    comment = note_services.comment_create(author=bob, note=note, body="加微信")
    hold = HeldContent.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        hold_services.hold_reject(moderator=moderator, hold=hold, reason="")
    comment.refresh_from_db()
    assert comment.is_hidden and not comment.is_held  # hidden by moderators, no longer held
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.reason, entry.target_id) == (
        "reject",
        "请勿留联系方式。",
        comment.pk,
    )
    [notice] = captured_events.of("moderation_notice")
    assert (notice["recipient_id"], notice["action"], notice["reason"]) == (
        bob.pk,
        "reject",
        "请勿留联系方式。",
    )
    note.refresh_from_db()
    assert note.comment_count == 0
    assert api(alice).get(f"/api/v1/notes/{note.pk}/comments/").json()["results"] == []
    # Its author reads it hidden, with the reason, and may appeal once.
    own = api(bob).get(f"/api/v1/comments/{comment.pk}/")
    assert own.status_code == 200
    moderation = own.json()["moderation"]
    assert (moderation["hidden"], moderation["reason"], moderation["can_appeal"]) == (
        True,
        "请勿留联系方式。",
        True,
    )
    assert api(alice).get(f"/api/v1/comments/{comment.pk}/").status_code == 404


def test_rejected_note_is_hidden_and_stays_out_of_every_list(alice, carol, moderator):
    rule("cheap followers")
    note = NoteFactory(author=alice, body="cheap followers", processing=True)
    note_services.note_update(note=note, body="cheap followers!")
    hold = HeldContent.objects.get()
    hold_services.hold_reject(moderator=moderator, hold=hold, reason="Selling followers")
    note.refresh_from_db()
    assert note.is_hidden
    assert AuditLogEntry.objects.get().reason == "Selling followers"
    assert api(carol).get(f"/api/v1/notes/{note.pk}/").status_code == 404


def test_bulk_decisions_write_one_audit_entry_per_target_with_one_batch(alice, bob, moderator):
    rule("spam")
    note = NoteFactory(author=alice)
    comments = [
        note_services.comment_create(author=bob, note=note, body=f"spam {n}") for n in range(3)
    ]
    holds = list(HeldContent.objects.order_by("pk"))
    assert hold_services.holds_approve(moderator=moderator, holds=holds[:2]) == 2
    assert hold_services.holds_reject(moderator=moderator, holds=holds, reason="Spam") == 1
    entries = list(AuditLogEntry.objects.order_by("pk"))
    assert [(e.action, e.target_id) for e in entries] == [
        ("approve", comments[0].pk),
        ("approve", comments[1].pk),
        ("reject", comments[2].pk),
    ]
    assert entries[0].details["batch"] == entries[1].details["batch"] != entries[2].details["batch"]


# --- Admin ------------------------------------------------------------------------------------


def test_admin_rule_form_records_its_author_and_screens_at_once(alice, bob, moderator):
    client = browser(moderator)
    response = client.post(
        reverse("admin:moderation_keywordrule_add"),
        {
            "term": " Giveaway ",
            "language": "en",
            "action": "hold",
            "message": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    created = KeywordRule.objects.get()
    assert (created.term, created.language, created.created_by) == ("Giveaway", "en", moderator)
    note = NoteFactory(author=alice)
    assert note_services.comment_create(author=bob, note=note, body="giveaway!").is_held
    bad = client.post(
        reverse("admin:moderation_keywordrule_add"),
        {"term": "   ", "language": "", "action": "hold"},
    )
    assert bad.status_code == 200 and KeywordRule.objects.count() == 1


def test_admin_queue_previews_and_decides_single_and_bulk(alice, bob, moderator):
    rule("spam")
    note = NoteFactory(author=alice)
    first = note_services.comment_create(author=bob, note=note, body="spam <b>one</b>")
    second = note_services.comment_create(author=bob, note=note, body="spam two")
    third = note_services.comment_create(author=bob, note=note, body="spam three")
    client = browser(moderator)
    changelist = reverse("admin:moderation_heldcontent_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    text = page.content.decode()
    assert "spam &lt;b&gt;one&lt;/b&gt;" in text and "Original text" in text

    hold = HeldContent.objects.get(target_id=first.pk)
    change = reverse("admin:moderation_heldcontent_change", args=[hold.pk])
    assert 'data-testid="held-approve"' in client.get(change).content.decode()
    response = client.post(change, {"_reject": "1", "reason": "Advertising"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_hidden

    holds = HeldContent.objects.filter(target_id__in=[second.pk, third.pk])
    selected = [str(pk) for pk in holds.values_list("pk", flat=True)]
    response = client.post(changelist, {"action": "approve", "_selected_action": selected})
    assert response.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[second.pk, third.pk]).values_list("is_held", flat=True)
    ) == {False}
    assert sorted(AuditLogEntry.objects.values_list("action", flat=True)) == [
        "approve",
        "approve",
        "reject",
    ]
    # The queue opens on pending items: none left.
    assert "spam two" not in client.get(changelist).content.decode()
    assert "spam two" in client.get(changelist, {"status": "all"}).content.decode()


def test_admin_bulk_reject_asks_for_a_reason_first(alice, bob, moderator):
    rule("spam")
    note = NoteFactory(author=alice)
    comment = note_services.comment_create(author=bob, note=note, body="spam")
    hold = HeldContent.objects.get()
    client = browser(moderator)
    changelist = reverse("admin:moderation_heldcontent_changelist")
    data = {"action": "reject", "_selected_action": [str(hold.pk)]}
    confirm = client.post(changelist, data)
    assert (
        confirm.status_code == 200 and 'data-testid="held-reject-form"' in confirm.content.decode()
    )
    comment.refresh_from_db()
    assert comment.is_held  # nothing decided yet
    client.post(changelist, {**data, "confirm": "yes", "reason": "Spam links"})
    comment.refresh_from_db()
    assert comment.is_hidden
    assert AuditLogEntry.objects.get().reason == "Spam links"


def test_admin_queue_needs_the_permission_to_decide(alice, bob):
    rule("spam")
    note = NoteFactory(author=alice)
    note_services.comment_create(author=bob, note=note, body="spam")
    hold = HeldContent.objects.get()
    viewer = UserFactory(handle="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            codename="view_heldcontent",
            content_type=ContentType.objects.get_for_model(HeldContent),
        )
    )
    client = browser(viewer)
    change = reverse("admin:moderation_heldcontent_change", args=[hold.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"_approve": "1"}).status_code == 403
    hold.refresh_from_db()
    assert hold.status == HoldStatus.PENDING


def test_admin_queue_costs_the_same_queries_whatever_its_size(
    alice, bob, moderator, django_assert_max_num_queries
):
    rule("spam")
    note = NoteFactory(author=alice)
    client = browser(moderator)
    changelist = reverse("admin:moderation_heldcontent_changelist")

    def post(n):
        for i in range(n):
            note_services.comment_create(author=bob, note=note, body=f"spam {i}")
        held = NoteFactory(author=alice, body="spam", processing=True)
        note_services.note_update(note=held, body="spam!")

    post(2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(changelist).status_code == 200
    post(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(changelist).status_code == 200


def test_deleting_held_content_drops_its_pending_hold(alice, bob):
    rule("spam")
    note = NoteFactory(author=alice)
    top = note_services.comment_create(author=alice, note=note, body="Welcome")
    reply = note_services.comment_create(author=bob, note=note, body="spam", parent=top)
    other = note_services.comment_create(author=bob, note=note, body="more spam")
    assert HeldContent.objects.count() == 2
    note_services.comment_delete(actor=alice, comment=top)  # takes its held reply along
    assert list(HeldContent.objects.values_list("target_id", flat=True)) == [other.pk]
    assert not Comment.objects.filter(pk=reply.pk).exists()
    held_note = NoteFactory(author=alice, processing=True)
    note_services.note_update(note=held_note, body="spam")
    assert HeldContent.objects.count() == 2
    note_services.note_delete(note=note)  # its held comment goes with it
    note_services.note_delete(note=held_note)
    assert not HeldContent.objects.exists()
