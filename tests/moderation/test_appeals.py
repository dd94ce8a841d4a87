"""Appeals: the author of hidden content sees why and appeals once per hide decision (page,
htmx, API); moderators grant or deny in the admin, single and bulk; the API shows the author
(only) the `moderation` object."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from moderation.hidden import hidden_status
from moderation.models import Appeal, AppealStatus, AuditLogEntry, ModerationAction
from moderation.services.appeals import appeal_create, appeal_deny, appeal_grant
from notes import services as notes_services
from notes.services import comments as comment_services
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def author(db):
    return UserFactory(handle="mei")


@pytest.fixture
def note(author):
    return NoteFactory(author=author, title="Dumplings at home", body="Recipe inside")


@pytest.fixture
def comment(run_events, note):
    return run_events(
        comment_services.comment_create, author=UserFactory(handle="ann"), note=note, body="Buy now"
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Services -----------------------------------------------------------------------------


def test_appeal_create_once_per_hide_decision(author, note, hide, run_events, moderator):
    entry = hide(note, reason="Looks like an advert")
    appeal = appeal_create(author=author, target=note, text="  It is a recipe.  ")
    assert (appeal.hide_entry, appeal.author, appeal.text) == (entry, author, "It is a recipe.")
    assert appeal.status == AppealStatus.OPEN
    with pytest.raises(ValidationError) as exc:
        appeal_create(author=author, target=note, text="Again")
    assert exc.value.message_dict == {"target": ["You have already appealed this decision."]}
    # Unhidden, then hidden again: a new decision, a new appeal.
    run_events(notes_services.note_unhide, target=note)
    hide(note, reason="Still an advert")
    note.refresh_from_db()
    assert appeal_create(author=author, target=note, text="Really a recipe").pk != appeal.pk


@pytest.mark.parametrize("case", ["someone_else", "not_hidden", "no_decision"])
def test_appeal_create_refuses_what_cannot_be_appealed(author, note, hide, run_events, case):
    appellant = author
    if case == "someone_else":
        hide(note)
        appellant = UserFactory()
    elif case == "no_decision":  # hidden before the audit log existed: nothing to appeal
        run_events(notes_services.note_hide, target=note)
        note.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        appeal_create(author=appellant, target=note, text="Please")
    assert list(exc.value.message_dict) == ["target"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("text", "message"), [("   ", "Say why"), ("x" * 1001, "at most 1000")])
def test_appeal_create_checks_the_text(author, note, hide, text, message):
    hide(note)
    with pytest.raises(ValidationError) as exc:
        appeal_create(author=author, target=note, text=text)
    assert message in exc.value.message_dict["text"][0]
    assert not Appeal.objects.exists()


def test_appeal_grant_shows_the_note_again_logs_and_tells(
    author, note, hide, moderator, run_events, captured_events
):
    hide(note)
    appeal = appeal_create(author=author, target=note, text="A recipe")
    entry = run_events(appeal_grant, moderator=moderator, appeal=appeal, reason="Fair enough")
    note.refresh_from_db()
    appeal.refresh_from_db()
    assert not note.is_hidden
    assert (appeal.status, appeal.decided_by) == (AppealStatus.GRANTED, moderator)
    assert entry.action == ModerationAction.APPEAL_GRANT and entry.target_owner == author
    assert entry.details["appeal_id"] == appeal.pk
    [notice] = captured_events.of("moderation_notice")
    assert (notice["recipient_id"], notice["action"]) == (author.pk, "appeal_grant")
    assert notice["reason"] == "Fair enough" and notice["target_type"] == "notes.note"
    with pytest.raises(ValidationError) as exc:
        appeal_grant(moderator=moderator, appeal=appeal)
    assert "already been decided" in exc.value.message_dict["appeal"][0]


def test_appeal_deny_keeps_it_hidden_and_needs_a_reason(
    author, note, hide, moderator, run_events, captured_events
):
    hide(note)
    appeal = appeal_create(author=author, target=note, text="A recipe")
    with pytest.raises(ValidationError) as exc:
        appeal_deny(moderator=moderator, appeal=appeal, reason=" ")
    assert "reason" in exc.value.message_dict
    run_events(appeal_deny, moderator=moderator, appeal=appeal, reason="Links to a shop")
    note.refresh_from_db()
    appeal.refresh_from_db()
    assert note.is_hidden and appeal.status == AppealStatus.DENIED
    assert AuditLogEntry.objects.filter(action=ModerationAction.APPEAL_DENY).count() == 1
    assert captured_events.of("moderation_notice")[0]["action"] == "appeal_deny"
    status = hidden_status(note)
    assert status.appeal.status == "denied" and not status.can_appeal


# --- The author's view: page, htmx, no JavaScript -----------------------------------------


def test_note_page_shows_the_author_the_reason_and_others_a_404(author, note, hide):
    hide(note, reason="Looks like an advert <b>")
    page = signed_in(author).get(note.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hidden by moderators: Looks like an advert &lt;b&gt;" in html
    assert 'data-testid="appeal-form"' in html and "Dumplings at home" in html
    assert signed_in(UserFactory()).get(note.get_absolute_url()).status_code == 404
    assert Client().get(note.get_absolute_url()).status_code == 404


def test_appeal_without_javascript_redirects_back_with_the_status(author, note, hide):
    hide(note)
    client = signed_in(author)
    form = {"target_type": "note", "target_id": note.pk, "text": "It is a recipe"}
    response = client.post(reverse("moderation:appeal"), form)
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    html = client.get(response.url).content.decode()
    assert "Your appeal was sent" in html
    assert 'data-status="open"' in html and 'data-testid="appeal-form"' not in html
    # Once only: a second post is refused with a message, and nothing is stored.
    again = client.post(reverse("moderation:appeal"), form, follow=True)
    assert "You have already appealed this decision." in again.content.decode()
    assert Appeal.objects.count() == 1


def test_appeal_with_htmx_answers_the_banner(author, note, hide):
    hide(note)
    client = signed_in(author)
    url = reverse("moderation:appeal")
    empty = client.post(url, {"target_type": "note", "target_id": note.pk, "text": ""}, **HTMX)
    assert empty.status_code == 200 and "Say why" in empty.content.decode()
    done = client.post(url, {"target_type": "note", "target_id": note.pk, "text": "Hi"}, **HTMX)
    assert done.status_code == 200
    assert 'data-status="open"' in done.content.decode()
    assert "<html" not in done.content.decode()


@pytest.mark.parametrize("who", ["stranger", "visitor"])
def test_appeal_page_post_refuses_others(note, hide, who):
    hide(note)
    client = signed_in(UserFactory()) if who == "stranger" else Client()
    form = {"target_type": "note", "target_id": note.pk, "text": "Mine"}
    response = client.post(reverse("moderation:appeal"), form)
    assert response.status_code == 302
    assert not Appeal.objects.exists()


def test_the_author_sees_their_hidden_comment_above_the_thread(note, comment, hide):
    hide(comment, reason="Selling things")
    commenter = comment.author
    html = signed_in(commenter).get(note.get_absolute_url()).content.decode()
    assert 'data-testid="hidden-comment"' in html
    assert "Hidden by moderators: Selling things" in html and "Buy now" in html
    for reader in (note.author, UserFactory()):
        other = signed_in(reader).get(note.get_absolute_url()).content.decode()
        assert "Buy now" not in other and 'data-testid="hidden-comment"' not in other


# --- API ----------------------------------------------------------------------------------


def api_as(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_api_note_and_comment_show_moderation_to_their_author_only(note, comment, hide):
    hide(note, reason="Advert")
    body = api_as(note.author).get(f"/api/v1/notes/{note.pk}/").json()
    assert body["id"] == note.pk
    assert body["moderation"]["hidden"] is True and body["moderation"]["reason"] == "Advert"
    assert body["moderation"]["can_appeal"] is True and body["moderation"]["appeal"] is None
    assert api_as(UserFactory()).get(f"/api/v1/notes/{note.pk}/").status_code == 404

    notes_services.note_unhide(target=note)
    hide(comment, reason="Spam")
    mine = api_as(comment.author).get(f"/api/v1/comments/{comment.pk}/").json()
    assert mine["id"] == comment.pk and mine["moderation"]["reason"] == "Spam"
    assert api_as(note.author).get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    # A visible note carries no moderation object.
    assert "moderation" not in api_as(note.author).get(f"/api/v1/notes/{note.pk}/").json()


def test_api_appeal_create_and_its_errors(note, comment, hide):
    hide(comment)
    client = api_as(comment.author)
    response = client.post(
        "/api/v1/appeals/",
        {"target_type": "comment", "target_id": comment.pk, "text": "Not spam"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "open"
    again = client.post(
        "/api/v1/appeals/",
        {"target_type": "comment", "target_id": comment.pk, "text": "Not spam"},
        format="json",
    )
    assert again.status_code == 400 and "target_id" in again.json()["errors"]
    mine = client.get(f"/api/v1/comments/{comment.pk}/").json()["moderation"]
    assert mine["appeal"]["status"] == "open" and mine["can_appeal"] is False

    hide(note)
    form = {"target_type": "note", "target_id": note.pk, "text": "x"}
    stranger = api_as(UserFactory()).post("/api/v1/appeals/", form, format="json")
    assert stranger.status_code == 400 and "target_id" in stranger.json()["errors"]
    form = {"target_type": "board", "target_id": note.pk, "text": ""}
    bad = api_as(note.author).post("/api/v1/appeals/", form, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"target_type"}
    empty = api_as(note.author).post(
        "/api/v1/appeals/", {"target_type": "note", "target_id": note.pk, "text": ""}, format="json"
    )
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    assert Appeal.objects.count() == 1
    from rest_framework.test import APIClient

    assert APIClient().post("/api/v1/appeals/", {}, format="json").status_code in (401, 403)


# --- Admin --------------------------------------------------------------------------------


def _appeals(hide, n=3):
    made = []
    for i in range(n):
        note = NoteFactory(author=UserFactory(), title=f"Note {i}")
        hide(note, reason=f"Reason {i}")
        made.append(appeal_create(author=note.author, target=note, text=f"Appeal {i}"))
    return made


def test_admin_queue_lists_open_appeals_with_reason_and_moderator(
    moderator, hide, django_assert_max_num_queries
):
    appeals = _appeals(hide, 3)
    client = signed_in(moderator)
    url = reverse("admin:moderation_appeal_changelist")
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    for i in range(3):
        assert f"Reason {i}" in html and f"Appeal {i}" in html and f"Note {i}" in html
    assert html.count("mod") >= 3
    _appeals(hide, 6)
    with django_assert_max_num_queries(14):
        client.get(url)
    detail = client.get(reverse("admin:moderation_appeal_change", args=[appeals[0].pk]))
    assert 'data-testid="appeal-content"' in detail.content.decode()
    assert 'data-testid="appeal-grant"' in detail.content.decode()


def test_admin_grant_one_from_its_page(moderator, hide):
    [appeal] = _appeals(hide, 1)
    client = signed_in(moderator)
    url = reverse("admin:moderation_appeal_change", args=[appeal.pk])
    response = client.post(url, {"_grant": "1", "reason": "OK"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.GRANTED
    assert not appeal.target.is_hidden


def test_admin_bulk_deny_needs_a_reason_then_logs_each(moderator, hide):
    appeals = _appeals(hide, 2)
    client = signed_in(moderator)
    url = reverse("admin:moderation_appeal_changelist")
    ids = [str(a.pk) for a in appeals]
    ask = client.post(url, {"action": "deny", "_selected_action": ids})
    assert ask.status_code == 200 and 'data-testid="appeal-decide-form"' in ask.content.decode()
    no_reason = client.post(
        url, {"action": "deny", "_selected_action": ids, "confirm": "yes", "reason": ""}
    )
    assert no_reason.status_code == 200
    assert not Appeal.objects.exclude(status=AppealStatus.OPEN).exists()
    done = client.post(
        url, {"action": "deny", "_selected_action": ids, "confirm": "yes", "reason": "Adverts"}
    )
    assert done.status_code == 302
    assert set(Appeal.objects.values_list("status", flat=True)) == {AppealStatus.DENIED}
    assert AuditLogEntry.objects.filter(action=ModerationAction.APPEAL_DENY).count() == 2


def test_admin_bulk_grant(moderator, hide):
    appeals = _appeals(hide, 2)
    client = signed_in(moderator)
    url = reverse("admin:moderation_appeal_changelist")
    ids = [str(a.pk) for a in appeals]
    client.post(url, {"action": "grant", "_selected_action": ids, "confirm": "yes", "reason": ""})
    assert set(Appeal.objects.values_list("status", flat=True)) == {AppealStatus.GRANTED}
    assert AuditLogEntry.objects.filter(action=ModerationAction.APPEAL_GRANT).count() == 2


def test_admin_staff_without_permission_cannot_decide(hide):
    [appeal] = _appeals(hide, 1)
    staff = UserFactory(is_staff=True)
    client = signed_in(staff)
    url = reverse("admin:moderation_appeal_change", args=[appeal.pk])
    assert client.post(url, {"_grant": "1"}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_content_rejected_on_review_can_be_appealed_like_a_hide(author, note, moderator):
    from moderation.registry import registry
    from moderation.services.audit import audit_record

    registry.actions_for(type(note)).hide(target=note)
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.REJECT,
        target=note,
        target_owner=author,
        reason="Contact details",
    )
    note.refresh_from_db()
    status = hidden_status(note)
    assert status.reason == "Contact details" and status.can_appeal
    assert appeal_create(author=author, target=note, text="No contact details").hide_entry == entry


def test_hidden_comments_cost_the_note_page_nothing_unless_the_reader_has_some(note, hide):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    writer, other = UserFactory(), UserFactory()
    for i in range(3):
        hide(comment_services.comment_create(author=writer, note=note, body=f"Spam {i}"))

    def count(user) -> int:
        client = signed_in(user)
        client.get(note.get_absolute_url())  # the reader's activity is recorded once
        with CaptureQueriesContext(connection) as queries:
            html = client.get(note.get_absolute_url()).content.decode()
        return len(queries), html.count('data-testid="hidden-comment"')

    # The same thread for both; the writer also gets their three hidden comments, marked:
    # two queries (the comments, their hide decisions) whatever their number.
    assert count(other)[1] == 0 and count(writer)[1] == 3
    assert count(writer)[0] == count(other)[0] + 2
