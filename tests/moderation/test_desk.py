"""The moderation desk in Django admin: the queue of open reports grouped by target (counts,
reasons, oldest first among equals), a target's page with its preview (photos, original text,
language, translation into the moderator's language), the decisions single and bulk (each
through the services, one audit entry per target), the read-only audit log, and who may do
what (the Moderator group; non-staff to the login; staff without the permission 403)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation.models import AuditLogEntry, Report, ReportStatus
from moderation.services.reports import report_create
from notes import services as note_services
from notes.models import Note
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import (
    FakeProviderServer,
    configure,
    fake_translation,
    libretranslate_answer,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/report/"
AUDIT = "/admin/moderation/auditlogentry/"
ZH_TITLE = "便宜的粉丝，私信我"
ZH_BODY = "关注我就送礼物，点链接"


@pytest.fixture
def moderator():
    person = UserFactory(handle="mod", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderator"))
    return person


@pytest.fixture
def desk(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def author():
    return UserFactory(handle="mei", languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def reporters():
    return [UserFactory(handle=f"r{i}") for i in range(4)]


def _report(target, people, reason="spam"):
    return [report_create(reporter=p, target=target, reason=reason) for p in people]


def _target_url(target) -> str:
    content_type = ContentType.objects.get_for_model(target)
    return reverse(
        "admin:moderation_report_target",
        kwargs={"type_id": content_type.pk, "target_id": target.pk},
    )


def _rows(html: str) -> list[str]:
    return html.split('data-testid="queue-target"')[1:]


# --- Who may ------------------------------------------------------------------------------------


def test_moderator_group_has_only_what_the_desk_needs():
    group = Group.objects.get(name="Moderator")
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert {
        "moderation.view_report",
        "moderation.change_report",
        "moderation.view_auditlogentry",
    } <= perms
    assert {"notes.view_note", "notes.view_comment", "accounts.view_user"} <= perms
    # Nobody's content is deleted in admin; the slang glossary's terms (reference data the
    # moderators keep, audited) are the one thing they may delete.
    deletes = {p for p in perms if p.split(".")[1].startswith("delete_")}
    assert deletes <= {"translations.delete_glossaryterm"}
    assert "moderation.change_auditlogentry" not in perms and "notes.change_note" not in perms
    assert "accounts.change_user" not in perms


def test_non_staff_are_sent_to_the_admin_login(author, reporters):
    note = NoteFactory(author=author)
    _report(note, reporters[:1])
    person = Client()
    person.force_login(reporters[1])
    for client in (Client(), person):
        for url in (QUEUE, _target_url(note), AUDIT):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/"), response["Location"]
    assert (
        person.post(_target_url(note), {"decision": "hide", "hide-reason": "x"}).status_code == 302
    )
    assert not Note.objects.get(pk=note.pk).is_hidden


def test_staff_without_the_permission_get_403(author, reporters):
    note = NoteFactory(author=author)
    (report,) = _report(note, reporters[:1])
    staff = Client()
    staff.force_login(UserFactory(handle="intern", is_staff=True))
    assert staff.get(QUEUE).status_code == 403
    assert staff.get(_target_url(note)).status_code == 403
    assert staff.get(AUDIT).status_code == 403
    hide = {"decision": "hide", "hide-reason": "spam"}
    assert staff.post(_target_url(note), hide).status_code == 403
    bulk = {
        "action": "hide_content",
        "_selected_action": [report.pk],
        "confirm": "1",
        "reason": "x",
    }
    assert staff.post(QUEUE, bulk).status_code == 403
    # seeing the desk is not deciding
    viewer = UserFactory(handle="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_report"))
    watcher = Client()
    watcher.force_login(viewer)
    assert watcher.get(QUEUE).status_code == 200
    page = watcher.get(_target_url(note))
    assert page.status_code == 200 and 'data-testid="desk-decisions"' not in page.content.decode()
    assert watcher.post(_target_url(note), hide).status_code == 403
    assert "hide_content" not in watcher.get(QUEUE).content.decode()
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert Report.objects.get().status == ReportStatus.OPEN
    assert not AuditLogEntry.objects.exists()


# --- The queue ----------------------------------------------------------------------------------


def test_queue_groups_open_reports_by_target_most_reported_first(desk, author, reporters):
    once = NoteFactory(author=author, title="once")
    thrice = NoteFactory(author=author, title="thrice")
    comment = note_services.comment_create(author=author, note=once, body="twice comment")
    _report(once, reporters[:1])
    _report(comment, reporters[:2], reason="harassment")
    _report(thrice, reporters[:2])
    report_create(reporter=reporters[2], target=thrice, reason="hate")
    _report(author, reporters[3:], reason="hate")  # the person, once, after "once"
    closed = NoteFactory(author=author, title="decided")
    (done,) = _report(closed, reporters[:1])
    Report.objects.filter(pk=done.pk).update(status=ReportStatus.DISMISSED)

    html = desk.get(QUEUE).content.decode()
    assert "Moderation queue: what people reported, most reported first" in html
    rows = _rows(html)
    assert len(rows) == 4  # one per target with open reports
    firsts = [row[:200] for row in rows]
    assert "thrice" in firsts[0] and "twice comment" in firsts[1]
    assert "once" in firsts[2] and "@mei" in firsts[3]
    assert "decided" not in html
    assert "Spam (2), Hate (1)" in rows[0]
    cover = thrice.images.get()
    assert f"/admin/notes/note/{thrice.pk}/images/{cover.pk}/grid.webp" in rows[0]
    assert "Harassment (2)" in rows[1]


def test_queue_page_costs_the_same_queries_whatever_its_size(desk, author, reporters):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(QUEUE).status_code == 200
        return len(queries)

    for i in range(2):
        note = NoteFactory(author=author, title=f"n{i}")
        _report(note, reporters[: i + 1])
        _report(note_services.comment_create(author=author, note=note, body=f"c{i}"), reporters[:1])
    _report(author, reporters[:1])
    small = count()
    for i in range(6):
        note = NoteFactory(author=author, title=f"m{i}", images=2)
        _report(note, reporters[:2])
        commenter = UserFactory()
        _report(
            note_services.comment_create(author=commenter, note=note, body=f"d{i}"), reporters[:1]
        )
        _report(commenter, reporters[:1])
    assert count() == small
    assert small <= 16


# --- A target's page ----------------------------------------------------------------------------


def test_target_page_previews_photos_text_language_and_translation(
    desk, author, reporters, settings, django_capture_on_commit_callbacks
):
    settings.TRANSLATION_PROVIDER_SELF_HOSTED = False
    note = NoteFactory(author=author, title=ZH_TITLE, body=ZH_BODY, language="zh-Hans", images=2)
    _report(note, reporters[:2])
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        # The translation is asked for on the first view (its task runs after commit)...
        with django_capture_on_commit_callbacks(execute=True):
            first = desk.get(_target_url(note), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "The translation is on its way" in first
        assert server.calls
        # ...and shown from the cache on the next.
        html = desk.get(_target_url(note), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ZH_TITLE in html and ZH_BODY in html
    assert "Original (Simplified Chinese)" in html
    assert fake_translation(ZH_TITLE, "en") in html and fake_translation(ZH_BODY, "en") in html
    assert "Machine translation · LibreTranslate" in html
    for image in note.images.all():
        assert (
            reverse(
                "admin:notes_note_image",
                kwargs={"note_id": note.pk, "image_id": image.pk, "kind": "grid"},
            )
            in html
        )
    image = note.images.first()
    rendition = desk.get(
        reverse(
            "admin:notes_note_image",
            kwargs={"note_id": note.pk, "image_id": image.pk, "kind": "grid"},
        )
    )
    assert rendition.status_code == 200  # the Moderator group may see the photos
    assert "2 open reports" in html and "@r0" in html and "@r1" in html


def test_target_page_without_a_provider_says_so_and_escapes_text(desk, author, reporters, settings):
    settings.TRANSLATION_PROVIDER = ""
    note = NoteFactory(author=author, title="<script>alert(1)</script>", body="hi", language="en")
    _report(note, reporters[:1])
    html = desk.get(_target_url(note), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_target_page_shows_an_accepted_community_translation_without_a_provider(
    desk, author, reporters, settings
):
    """As for readers, the community's translation wins (the quick start has no provider, and
    its demo comments have human translations); a moderator reading it is not a reader served."""
    from translations.services import community_translation_accept, community_translation_suggest
    from translations.usage import usage_by_day

    settings.TRANSLATION_PROVIDER = ""
    note = NoteFactory(author=author, title="Hot pot night", language="en")
    comment = note_services.comment_create(author=UserFactory(), note=note, body=ZH_BODY)
    _report(comment, reporters[:1])
    suggestion = community_translation_suggest(
        user=UserFactory(handle="helper"),
        content=comment,
        source_text=comment.body,
        language="en",
        text="Follow me for a gift, click the link",
    )
    community_translation_accept(
        user=comment.author, suggestion=suggestion, content_author_id=comment.author_id
    )
    html = desk.get(_target_url(comment), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ZH_BODY in html and "Follow me for a gift, click the link" in html
    assert "Community translation · @helper" in html
    assert "not set up" not in html
    today = timezone.localdate()
    assert usage_by_day(start=today, end=today) == {}


# --- Decisions, one at a time -------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["hide", "delete", "warn", "dismiss"])
def test_single_decision_on_the_target_page(desk, moderator, author, reporters, decision):
    note = NoteFactory(author=author, title="scam")
    note_id = note.pk
    _report(note, reporters[:3])
    response = desk.post(
        _target_url(note), {"decision": decision, f"{decision}-reason": "Scam link"}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    (entry,) = AuditLogEntry.objects.all()
    assert (entry.action, entry.target_id, entry.moderator) == (decision, note_id, moderator)
    assert entry.reason == "Scam link" and len(entry.details["reports"]) == 3
    status = "dismissed" if decision == "dismiss" else "actioned"
    assert set(Report.objects.values_list("status", flat=True)) == {status}
    stored = Note.objects.filter(pk=note_id).first()
    if decision == "delete":
        assert stored is None
    else:
        assert stored.is_hidden is (decision == "hide")


def test_single_decision_needs_a_reason_and_stores_nothing_without(desk, author, reporters):
    note = NoteFactory(author=author)
    _report(note, reporters[:1])
    response = desk.post(_target_url(note), {"decision": "hide", "hide-reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert not AuditLogEntry.objects.exists()
    assert desk.post(_target_url(note), {"decision": "explode"}).status_code == 403


def test_suspend_the_author_for_7_days_from_a_report_of_a_person(
    desk, moderator, author, reporters
):
    _report(author, reporters[:2], reason="harassment")
    response = desk.post(
        _target_url(author),
        {"decision": "suspend", "suspend-reason": "Harassment", "suspend-period": "7d"},
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.is_active
    expected = timezone.now() + timedelta(days=7)
    assert abs(author.suspended_until - expected) < timedelta(minutes=1)
    (entry,) = AuditLogEntry.objects.all()
    assert (entry.action, entry.target_id, entry.reason) == ("suspend", author.pk, "Harassment")
    assert set(Report.objects.values_list("status", "decision")) == {("actioned", "suspend")}


def test_suspend_permanently(desk, author, reporters):
    note = NoteFactory(author=author)
    _report(note, reporters[:1])
    desk.post(
        _target_url(note),
        {"decision": "suspend", "suspend-reason": "Spam bot", "suspend-period": "forever"},
    )
    author.refresh_from_db()
    assert not author.is_active and author.suspended_until is None


# --- Decisions in bulk ----------------------------------------------------------------------------


def test_bulk_hide_asks_for_a_reason_then_logs_one_entry_per_target(
    desk, moderator, author, reporters
):
    notes = [NoteFactory(author=author, title=f"wave {i}") for i in range(3)]
    rows = [_report(note, reporters[: i + 1])[0] for i, note in enumerate(notes)]
    selected = {"action": "hide_content", "_selected_action": [r.pk for r in rows]}
    ask = desk.post(QUEUE, selected)
    assert ask.status_code == 200
    assert 'data-testid="desk-decide-form"' in ask.content.decode()
    assert not Note.objects.filter(is_hidden=True).exists()
    missing = desk.post(QUEUE, {**selected, "confirm": "yes", "reason": ""})
    assert missing.status_code == 200 and not AuditLogEntry.objects.exists()
    done = desk.post(QUEUE, {**selected, "confirm": "yes", "reason": "spam wave"})
    assert done.status_code == 302
    assert Note.objects.filter(is_hidden=True).count() == 3
    entries = list(AuditLogEntry.objects.all())
    assert sorted(e.target_id for e in entries) == sorted(n.pk for n in notes)
    assert {(e.action, e.reason, e.moderator_id) for e in entries} == {
        ("hide", "spam wave", moderator.pk)
    }
    assert len({e.details["batch"] for e in entries}) == 1
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()
    assert _rows(desk.get(QUEUE).content.decode()) == []


@pytest.mark.parametrize(
    "action", ["dismiss_reports", "delete_content", "warn_authors", "suspend_authors"]
)
def test_each_bulk_action_writes_its_entries(desk, author, reporters, action):
    other = UserFactory(handle="spammer")
    notes = [NoteFactory(author=author), NoteFactory(author=other)]
    rows = [_report(note, reporters[:2])[0] for note in notes]
    data = {
        "action": action,
        "_selected_action": [r.pk for r in rows],
        "confirm": "yes",
        "reason": "reviewed",
        "period": "1d",
    }
    assert desk.post(QUEUE, data).status_code == 302
    decision = action.split("_")[0]
    entries = AuditLogEntry.objects.all()
    assert entries.count() == 2 and {e.action for e in entries} == {decision}
    if decision == "suspend":  # logged on each person
        assert {e.target_id for e in entries} == {author.pk, other.pk}
    else:
        assert {e.target_id for e in entries} == {n.pk for n in notes}
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()


def test_bulk_hide_skips_people_and_dismisses_reports_of_gone_content(desk, author, reporters):
    note = NoteFactory(author=author)
    (person_row,) = _report(author, reporters[:1])
    (note_row,) = _report(note, reporters[:1])
    gone = NoteFactory(author=author)
    (gone_row,) = _report(gone, reporters[:1])
    Note.objects.filter(pk=gone.pk).delete()
    response = desk.post(
        QUEUE,
        {
            "action": "hide_content",
            "_selected_action": [person_row.pk, note_row.pk, gone_row.pk],
            "confirm": "yes",
            "reason": "spam",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "1 person skipped" in text and "1 reported item is gone" in text
    assert list(AuditLogEntry.objects.values_list("action", "target_id")) == [("hide", note.pk)]
    desk.post(
        QUEUE,
        {
            "action": "dismiss_reports",
            "_selected_action": [gone_row.pk],
            "confirm": "yes",
            "reason": "",
        },
    )
    assert Report.objects.get(pk=gone_row.pk).status == ReportStatus.DISMISSED


# --- The audit log --------------------------------------------------------------------------------


def test_audit_log_is_read_only_filterable_and_searchable(desk, moderator, author, reporters):
    note = NoteFactory(author=author, title="findme")
    _report(note, reporters[:1])
    desk.post(_target_url(note), {"decision": "hide", "hide-reason": "Spam link"})
    entry = AuditLogEntry.objects.get()
    listing = desk.get(AUDIT)
    assert listing.status_code == 200 and "findme" in listing.content.decode()
    assert "findme" in desk.get(AUDIT, {"action__exact": "hide"}).content.decode()
    assert "findme" not in desk.get(AUDIT, {"action__exact": "warn"}).content.decode()
    assert "findme" in desk.get(AUDIT, {"moderator__id__exact": moderator.pk}).content.decode()
    assert "findme" in desk.get(AUDIT, {"q": "Spam link"}).content.decode()
    assert desk.get(f"{AUDIT}add/").status_code == 403
    change = desk.get(f"{AUDIT}{entry.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert desk.post(f"{AUDIT}{entry.pk}/change/", {"reason": "edited"}).status_code == 403
    assert desk.post(f"{AUDIT}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLogEntry.objects.get().reason == "Spam link"


def test_a_chinese_reading_moderator_gets_an_english_note_in_chinese(
    desk, author, reporters, settings, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=author, title="Buy followers", body="Cheap, DM me", language="en")
    _report(note, reporters[:1])
    url = _target_url(note)
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        with django_capture_on_commit_callbacks(execute=True):
            desk.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = desk.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert {call.body["target"] for call in server.calls} == {"zh"}  # LibreTranslate's code
    assert fake_translation("Buy followers", "zh") in html
    assert fake_translation("Cheap, DM me", "zh") in html


def test_queue_filters_by_kind_and_a_reports_page_is_its_targets(desk, author, reporters):
    note = NoteFactory(author=author, title="a note")
    (note_report,) = _report(note, reporters[:1])
    _report(author, reporters[1:2])
    notes_only = desk.get(QUEUE, {"kind": "note"}).content.decode()
    people_only = desk.get(QUEUE, {"kind": "user"}).content.decode()
    assert len(_rows(notes_only)) == 1 and "a note" in notes_only
    assert len(_rows(people_only)) == 1 and "@mei" in _rows(people_only)[0]
    response = desk.get(f"{QUEUE}{note_report.pk}/change/")
    assert response.status_code == 302 and response["Location"] == _target_url(note)
    assert desk.get(f"{QUEUE}999999/change/").status_code == 404
