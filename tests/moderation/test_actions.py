"""The moderators' decisions as services (`moderation.services.actions`): each closes the target's
open reports, writes one audit entry per target, tells the person concerned after commit
(`moderation_notice`), and acts through the notes services — a hidden note is gone from every
page, feed, search and the API at once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.test import APIClient

from moderation.models import AuditLogEntry, ModerationAction, Report, ReportStatus
from moderation.services import actions
from moderation.services.reports import report_create
from notes import services as note_services
from notes.models import Comment, Hashtag, Note
from notes.search import note_search_document_update
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(handle="mod", is_staff=True)


@pytest.fixture
def author():
    return UserFactory(handle="mei")


@pytest.fixture
def reporters():
    return [UserFactory(handle=f"r{i}") for i in range(3)]


def _note(author, title="lantern festival", tag="lantern") -> Note:
    note = NoteFactory(author=author, title=title, body="Night market lanterns")
    hashtag, _ = Hashtag.objects.get_or_create(name=tag, defaults={"display_name": tag})
    note.hashtags.add(hashtag)
    note_search_document_update(note)
    return note


def _reported(target, reporters, reason="spam"):
    return [report_create(reporter=r, target=target, reason=reason) for r in reporters]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["id"] for item in (body["results"] if isinstance(body, dict) else body)]


def test_content_hide_closes_reports_logs_once_and_tells_the_author(
    moderator, author, reporters, captured_events, django_capture_on_commit_callbacks
):
    note = _note(author)
    other = _note(author, title="other")
    reports = _reported(note, reporters)
    untouched = report_create(reporter=reporters[0], target=other, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        entry = actions.content_hide(moderator=moderator, target=note, reason="Selling followers")
    note.refresh_from_db()
    assert note.is_hidden
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]):
        assert report.status == ReportStatus.ACTIONED
        assert report.decided_by == moderator and report.decided_at is not None
        assert report.decision == ModerationAction.HIDE
    assert Report.objects.get(pk=untouched.pk).status == ReportStatus.OPEN
    (logged,) = AuditLogEntry.objects.all()
    assert logged == entry
    assert (logged.moderator, logged.moderator_handle, logged.action) == (moderator, "mod", "hide")
    assert logged.target_type == ContentType.objects.get_for_model(Note)
    assert (logged.target_id, logged.target_owner_id) == (note.pk, author.pk)
    assert logged.reason == "Selling followers"
    assert sorted(logged.details["reports"]) == sorted(r.pk for r in reports)
    (notice,) = captured_events.of("moderation_notice")
    assert notice["recipient_id"] == author.pk and notice["action"] == "hide"
    assert notice["reason"] == "Selling followers" and notice["target_id"] == note.pk
    assert notice["details"]["audit_entry_id"] == entry.pk


def test_hidden_note_is_gone_from_every_list_search_tag_page_and_the_api(
    moderator, author, django_capture_on_commit_callbacks
):
    note = _note(author)
    reader = UserFactory(handle="reader")
    page, api = Client(), APIClient()
    page.force_login(reader)
    api.force_authenticate(reader)

    def seen() -> dict[str, bool]:
        return {
            "note api": api.get(f"/api/v1/notes/{note.pk}/").status_code == 200,
            "note page": page.get(note.get_absolute_url()).status_code == 200,
            "search api": note.pk in _ids(api.get("/api/v1/search/?q=lantern&type=notes")),
            "search page": note.title in page.get("/search/?q=lantern").content.decode(),
            "tag api": note.pk in _ids(api.get("/api/v1/tags/lantern/notes/")),
            "tag page": note.get_absolute_url() in page.get("/tags/lantern/").content.decode(),
            "discover": note.pk in _ids(api.get("/api/v1/feeds/discover/")),
            "profile": note.pk in _ids(api.get(f"/api/v1/users/{author.handle}/notes/")),
        }

    assert all(seen().values()), seen()
    with django_capture_on_commit_callbacks(execute=True):
        actions.content_hide(moderator=moderator, target=note, reason="spam")
    assert not any(seen().values()), seen()
    with django_capture_on_commit_callbacks(execute=True):
        actions.content_unhide(moderator=moderator, target=note, reason="on appeal")
    assert all(seen().values()), seen()
    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == ["unhide", "hide"]


def test_hidden_comment_leaves_the_thread(moderator, author, reporters):
    note = _note(author)
    commenter = UserFactory(handle="troll")
    comment = note_services.comment_create(author=commenter, note=note, body="you are all idiots")
    _reported(comment, reporters, reason="harassment")
    api = APIClient()
    thread = f"/api/v1/notes/{note.pk}/comments/"
    assert comment.pk in _ids(api.get(thread))
    entry = actions.content_hide(moderator=moderator, target=comment, reason="insults")
    assert comment.pk not in _ids(api.get(thread))
    assert api.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert entry.target_owner_id == commenter.pk
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()


def test_content_delete_logs_what_it_was_then_deletes(moderator, author, reporters):
    note = _note(author, title="fake giveaway")
    note_id = note.pk
    _reported(note, reporters)
    entry = actions.content_delete(moderator=moderator, target=note, reason="scam")
    assert not Note.objects.filter(pk=note_id).exists()
    entry.refresh_from_db()
    assert (entry.action, entry.target_id, entry.target_repr) == (
        "delete",
        note_id,
        "fake giveaway",
    )
    assert entry.target_owner_id == author.pk
    assert set(Report.objects.values_list("status", "decision")) == {("actioned", "delete")}


def test_dismiss_closes_reports_as_dismissed_and_tells_nobody(
    moderator, author, reporters, captured_events, django_capture_on_commit_callbacks
):
    note = _note(author)
    _reported(note, reporters)
    with django_capture_on_commit_callbacks(execute=True):
        entry = actions.reports_dismiss(moderator=moderator, target=note)
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert entry.action == "dismiss" and entry.reason == ""
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert captured_events.of("moderation_notice") == []
    # a new report after a dismissal is a new open one
    report_create(reporter=reporters[0], target=note, reason="spam")


def test_warn_about_a_comment_and_a_person(
    moderator, author, reporters, captured_events, django_capture_on_commit_callbacks
):
    note = _note(author)
    comment = note_services.comment_create(author=reporters[0], note=note, body="rude")
    report_create(reporter=author, target=comment, reason="harassment")
    report_create(reporter=reporters[1], target=author, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        about = actions.target_owner_warn(moderator=moderator, target=comment, reason="Be kind")
        person = actions.target_owner_warn(moderator=moderator, target=author, reason="No ads")
    assert (about.target_type.model_class(), about.target_owner_id) == (Comment, reporters[0].pk)
    assert (person.target_id, person.target_owner_id) == (author.pk, author.pk)
    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert set(Report.objects.values_list("status", "decision")) == {("actioned", "warn")}
    notices = captured_events.of("moderation_notice")
    assert [(n["recipient_id"], n["action"]) for n in notices] == [
        (reporters[0].pk, "warn"),
        (author.pk, "warn"),
    ]


def test_reason_is_required_and_bounded(moderator, author):
    from django.core.exceptions import ValidationError

    note = _note(author)
    for reason in ["", "   ", "x" * 501]:
        with pytest.raises(ValidationError) as caught:
            actions.content_hide(moderator=moderator, target=note, reason=reason)
        assert "reason" in caught.value.message_dict
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert not AuditLogEntry.objects.exists()


def test_bulk_hide_writes_one_entry_per_target_with_a_shared_batch(moderator, author, reporters):
    notes = [_note(author, title=f"spam {i}") for i in range(3)]
    for note in notes:
        _reported(note, reporters[:2])
    outcome = actions.content_hide_many(moderator=moderator, targets=notes, reason="spam wave")
    assert outcome.done == 3 and not outcome.failed
    entries = list(AuditLogEntry.objects.order_by("target_id"))
    assert [e.target_id for e in entries] == sorted(n.pk for n in notes)
    assert {e.action for e in entries} == {"hide"}
    assert len({e.details["batch"] for e in entries}) == 1
    assert all(len(e.details["reports"]) == 2 for e in entries)
    assert Note.objects.filter(is_hidden=True).count() == 3
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()


def test_bulk_suspend_suspends_each_author_once_and_closes_every_report(
    moderator, author, reporters
):
    notes = [_note(author, title=f"spam {i}") for i in range(2)]
    for note in notes:
        _reported(note, reporters[:1])
    outcome = actions.target_owners_suspend_many(
        moderator=moderator, targets=notes, until=None, reason="spam account"
    )
    assert outcome.done == 2 and not outcome.failed
    author.refresh_from_db()
    assert not author.is_active
    (entry,) = AuditLogEntry.objects.all()
    assert (entry.action, entry.target_id, entry.moderator) == ("suspend", author.pk, moderator)
    assert set(Report.objects.values_list("status", "decision")) == {("actioned", "suspend")}


def test_bulk_reports_a_refusal_per_target_and_does_the_rest(moderator, author, reporters):
    staff_author = UserFactory(handle="staffer", is_staff=True)
    mine, theirs = _note(author), _note(staff_author, title="staff note")
    outcome = actions.target_owners_suspend_many(
        moderator=moderator, targets=[theirs, mine], until=None, reason="spam"
    )
    assert outcome.done == 1
    assert [target for target, _why in outcome.failed] == [theirs]
    author.refresh_from_db()
    staff_author.refresh_from_db()
    assert not author.is_active and staff_author.is_active


def test_notes_admin_hide_unhide_and_delete_are_audited(
    admin_client, admin_user, author, reporters
):
    """The notes and comments lists in admin decide through the same services as the desk."""
    note = _note(author)
    _reported(note, reporters[:1])
    changelist = "/admin/notes/note/"
    admin_client.post(changelist, {"action": "hide_notes", "_selected_action": [note.pk]})
    admin_client.post(changelist, {"action": "unhide_notes", "_selected_action": [note.pk]})
    comment = note_services.comment_create(author=reporters[0], note=note, body="rude")
    admin_client.post(
        "/admin/notes/comment/", {"action": "hide_comments", "_selected_action": [comment.pk]}
    )
    admin_client.post(f"/admin/notes/note/{note.pk}/delete/", {"post": "yes"})
    assert not Note.objects.filter(pk=note.pk).exists()
    logged = list(
        AuditLogEntry.objects.order_by("id").values_list("action", "target_id", "moderator")
    )
    assert logged == [
        ("hide", note.pk, admin_user.pk),
        ("unhide", note.pk, admin_user.pk),
        ("hide", comment.pk, admin_user.pk),
        ("delete", note.pk, admin_user.pk),
    ]
    assert Report.objects.get().decision == "hide"


def test_hidden_note_leaves_a_followers_home_timeline(
    moderator, author, settings, django_capture_on_commit_callbacks
):
    """Hidden through the desk's service, a note pushed into a follower's Redis timeline is
    taken out of it (not only filtered when read)."""
    from django.utils import timezone

    from feeds.home import home_feed_page
    from tests.factories import FollowFactory
    from tests.feeds.conftest import _store_on

    if not settings.REDIS_URL:
        pytest.skip("needs Redis: REDIS_URL is not set")
    store = _store_on(settings, settings.REDIS_URL, cluster=False)
    try:
        follower = UserFactory(handle="fan", last_active_at=timezone.now())
        FollowFactory(follower=follower, followee=author)

        def home() -> list[int]:
            return [n.pk for n in home_feed_page(viewer=follower, cursor=None, size=20).items]

        assert home() == []  # builds the (empty) timeline
        note = NoteFactory(author=author, visibility="private", body="Night market")
        with django_capture_on_commit_callbacks(execute=True):
            note_services.note_update(note=note, visibility="public", body="Night market")
        assert store.timeline_members(follower.pk) == [note.pk]
        assert home() == [note.pk]
        with django_capture_on_commit_callbacks(execute=True):
            actions.content_hide(moderator=moderator, target=note, reason="spam")
        assert store.timeline_members(follower.pk) == []
        assert home() == []
    finally:
        store.flush()
