"""Reporting a note, a comment or a person: `POST /api/v1/reports/` and the site's report form
(a page without JavaScript, a dialog with htmx). One open report per person and target; bad
input, one's own content, something one may not see and the rate limit store nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from moderation.models import Report, ReportStatus
from moderation.services.reports import report_create
from notes import services as note_services
from notes.models import Comment, Note, Visibility
from tests.api import assert_error
from tests.factories import BlockFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def author():
    return UserFactory(handle="mei", display_name="Mei")


@pytest.fixture
def reporter():
    return UserFactory(handle="sam", display_name="Sam")


@pytest.fixture
def note(author):
    return NoteFactory(author=author, title="Cheap followers here", body="DM me")


@pytest.fixture
def comment(note, author):
    return note_services.comment_create(author=author, note=note, body="Buy now, cheap!")


@pytest.fixture
def api(reporter):
    client = APIClient()
    client.force_authenticate(reporter)
    return client


@pytest.fixture
def browser(reporter):
    client = Client()
    client.force_login(reporter)
    return client


def _rate(monkeypatch, rate: str) -> None:
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "reports": rate},
    )


# --- API -------------------------------------------------------------------------------------


def test_api_reports_a_note(api, note, reporter, author):
    response = api.post(
        URL, {"target_type": "note", "target_id": note.pk, "reason": "spam", "text": "  ads "}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target_type"] == "note" and body["target_id"] == note.pk
    assert body["reason"] == "spam" and body["text"] == "ads" and body["status"] == "open"
    report = Report.objects.get()
    assert report.reporter == reporter and report.target == note
    assert report.target_owner == author
    assert report.target_type == ContentType.objects.get_for_model(Note)


def test_api_reports_a_comment_and_a_person_by_id_or_handle(api, comment, author):
    assert (
        api.post(
            URL, {"target_type": "comment", "target_id": comment.pk, "reason": "harassment"}
        ).status_code
        == 201
    )
    by_handle = api.post(
        URL, {"target_type": "user", "handle": "MEI", "reason": "hate", "text": "slurs"}
    )
    assert by_handle.status_code == 201, by_handle.content
    assert by_handle.json()["target_type"] == "user"
    assert by_handle.json()["target_id"] == author.pk
    kinds = {r.target_type.model_class() for r in Report.objects.all()}
    assert kinds == {Comment, type(author)}
    # the same person by id is the same target: already reported
    again = api.post(URL, {"target_type": "user", "target_id": author.pk, "reason": "spam"})
    body = assert_error(again, 400, "non_field_errors")
    assert body["detail"] == "You have already reported this."


def test_api_duplicate_open_report_is_refused_and_stores_nothing(api, note):
    data = {"target_type": "note", "target_id": note.pk, "reason": "spam"}
    assert api.post(URL, data).status_code == 201
    response = api.post(URL, {**data, "reason": "hate"})
    body = assert_error(response, 400, "non_field_errors")
    assert body["detail"] == "You have already reported this."
    assert Report.objects.count() == 1


def test_a_closed_report_does_not_stop_a_new_one(reporter, note):
    first = report_create(reporter=reporter, target=note, reason="spam")
    Report.objects.filter(pk=first.pk).update(
        status=ReportStatus.DISMISSED, decided_at=timezone.now()
    )
    report_create(reporter=reporter, target=note, reason="spam")
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 1


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"target_id": 1, "reason": "spam"}, {"target_type"}),
        ({"target_type": "board", "target_id": 1, "reason": "spam"}, {"target_type"}),
        ({"target_type": "note", "reason": "spam"}, {"target_id"}),
        ({"target_type": "note", "target_id": "x", "reason": "spam"}, {"target_id"}),
        ({"target_type": "note", "target_id": 0, "reason": "spam"}, {"target_id"}),
        ({"target_type": "note", "target_id": 2**70, "reason": "spam"}, {"target_id"}),
        ({"target_type": "note", "handle": "mei", "reason": "spam"}, {"handle"}),
        ({"target_type": "user", "reason": "spam"}, {"target_id"}),
        ({"target_type": "user", "handle": "mei", "target_id": 1, "reason": "spam"}, {"handle"}),
        ({"target_type": "note", "target_id": "NOTE", "reason": "boring"}, {"reason"}),
        ({"target_type": "note", "target_id": "NOTE"}, {"reason"}),
        (
            {"target_type": "note", "target_id": "NOTE", "reason": "spam", "text": "x" * 1001},
            {"text"},
        ),
        (
            {"target_type": "note", "target_id": "NOTE", "reason": "spam", "text": "a\x00b"},
            {"text"},
        ),
    ],
)
def test_api_bad_input_names_the_field_and_stores_nothing(api, note, data, fields):
    data = {k: (note.pk if v == "NOTE" else v) for k, v in data.items()}
    response = api.post(URL, data, format="json")
    assert_error(response, 400, *fields)
    assert not Report.objects.exists()


def test_api_own_content_cannot_be_reported(author, note, comment):
    client = APIClient()
    client.force_authenticate(author)
    for data, field in [
        ({"target_type": "note", "target_id": note.pk}, "target_id"),
        ({"target_type": "comment", "target_id": comment.pk}, "target_id"),
        ({"target_type": "user", "handle": "mei"}, "handle"),
    ]:
        assert_error(client.post(URL, {**data, "reason": "spam"}), 400, field)
    assert not Report.objects.exists()


def test_api_what_the_reporter_may_not_see_is_a_404(api, author, reporter):
    private = NoteFactory(author=author, visibility=Visibility.PRIVATE)
    hidden = NoteFactory(author=author)
    note_services.note_hide(target=hidden)
    blocked_author = UserFactory(handle="blocker")
    BlockFactory(blocker=blocked_author, blocked=reporter)
    blocked_note = NoteFactory(author=blocked_author)
    gone = UserFactory(handle="gone", is_active=False)
    for data in [
        {"target_type": "note", "target_id": private.pk},
        {"target_type": "note", "target_id": hidden.pk},
        {"target_type": "note", "target_id": blocked_note.pk},
        {"target_type": "note", "target_id": 999_999},
        {"target_type": "comment", "target_id": 999_999},
        {"target_type": "user", "handle": "gone"},
        {"target_type": "user", "target_id": gone.pk},
        {"target_type": "user", "handle": "no such handle"},
    ]:
        assert_error(api.post(URL, {**data, "reason": "spam"}), 404)
    assert not Report.objects.exists()


def test_api_needs_a_signed_in_person(note):
    response = APIClient().post(
        URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"}
    )
    assert_error(response, 401)
    assert_error(APIClient().get(URL), 401)
    assert not Report.objects.exists()


def test_api_lists_only_your_own_reports(api, reporter, note, comment):
    other = UserFactory()
    report_create(reporter=other, target=note, reason="spam")
    mine = report_create(reporter=reporter, target=comment, reason="hate")
    response = api.get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [mine.pk]
    assert results[0]["target_type"] == "comment" and results[0]["status"] == "open"


def test_api_rate_limit_answers_429_with_retry_after_and_stores_nothing(api, monkeypatch, author):
    _rate(monkeypatch, "2/hour")
    notes = [NoteFactory(author=author) for _ in range(3)]
    for note in notes[:2]:
        assert (
            api.post(
                URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"}
            ).status_code
            == 201
        )
    response = api.post(URL, {"target_type": "note", "target_id": notes[2].pk, "reason": "spam"})
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0
    assert "Too many reports" in response.json()["detail"]
    assert Report.objects.count() == 2
    # reading your reports does not count
    assert api.get(URL).status_code == 200


# --- The site's form ---------------------------------------------------------------------------


def test_page_form_without_javascript_files_the_report(browser, note):
    url = reverse("moderation:report_note", kwargs={"target_id": note.pk})
    page = browser.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-page"' in html and 'name="reason"' in html
    assert "Cheap followers here" in html
    done = browser.post(url, {"reason": "spam", "text": "ads everywhere"})
    assert done.status_code == 200
    assert "Thanks — the moderators will look at it." in done.content.decode()
    report = Report.objects.get()
    assert report.target == note and report.text == "ads everywhere"


def test_page_form_with_htmx_is_a_dialog_answered_in_place(browser, comment):
    url = reverse("moderation:report_comment", kwargs={"target_id": comment.pk})
    dialog = browser.get(url, **HTMX)
    html = dialog.content.decode()
    assert "<dialog" in html and "data-dialog" in html and "<html" not in html
    assert f'hx-post="{url}"' in html
    refused = browser.post(url, {"reason": ""}, **HTMX)
    assert refused.status_code == 200  # htmx swaps the form with its errors
    assert "Choose a reason." in refused.content.decode()
    assert not Report.objects.exists()
    done = browser.post(url, {"reason": "harassment"}, **HTMX)
    assert 'data-testid="report-done"' in done.content.decode()
    assert "<html" not in done.content.decode()
    assert Report.objects.get().target == comment


def test_page_form_reports_a_person(browser, author):
    url = reverse("moderation:report_user", kwargs={"handle": "mei"})
    assert browser.post(url, {"reason": "hate"}).status_code == 200
    assert Report.objects.get().target == author


def test_page_form_refusals(browser, reporter, note):
    url = reverse("moderation:report_note", kwargs={"target_id": note.pk})
    bad = browser.post(url, {"reason": "boring", "text": "x" * 1001})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Choose a reason" in html and "at most 1000 characters" in html
    assert browser.post(url, {"reason": "spam"}).status_code == 200
    again = browser.post(url, {"reason": "spam"})
    assert again.status_code == 400
    assert "You have already reported this." in again.content.decode()
    assert Report.objects.count() == 1
    mine = NoteFactory(author=reporter)
    own = browser.post(
        reverse("moderation:report_note", kwargs={"target_id": mine.pk}), {"reason": "spam"}
    )
    assert own.status_code == 400
    assert "You cannot report yourself or what you posted." in own.content.decode()
    assert Report.objects.count() == 1


def test_page_form_invisible_target_is_404_and_visitors_sign_in(browser, author, note):
    private = NoteFactory(author=author, visibility=Visibility.PRIVATE)
    url = reverse("moderation:report_note", kwargs={"target_id": private.pk})
    assert browser.get(url).status_code == 404
    assert browser.post(url, {"reason": "spam"}).status_code == 404
    visitor = Client().post(
        reverse("moderation:report_note", kwargs={"target_id": note.pk}), {"reason": "spam"}
    )
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]
    assert not Report.objects.exists()


def test_page_form_rate_limit_is_429_with_retry_after(browser, monkeypatch, author):
    _rate(monkeypatch, "1/hour")
    first, second = NoteFactory(author=author), NoteFactory(author=author)
    api = APIClient()
    api.force_login(browser.session and _user(browser))
    ok = browser.post(
        reverse("moderation:report_note", kwargs={"target_id": first.pk}), {"reason": "spam"}
    )
    assert ok.status_code == 200
    url = reverse("moderation:report_note", kwargs={"target_id": second.pk})
    limited = browser.post(url, {"reason": "spam"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many reports" in limited.content.decode()
    htmx = browser.post(url, {"reason": "spam"}, **HTMX)
    assert htmx.status_code == 429 and "rednote:message" in htmx["HX-Trigger"]
    # the page and the API share one budget
    assert (
        api.post(URL, {"target_type": "note", "target_id": second.pk, "reason": "spam"}).status_code
        == 429
    )
    assert Report.objects.count() == 1


def _user(client):
    from django.contrib.auth import get_user

    return get_user(client)


def test_report_links_on_the_note_page_comments_and_profile(browser, note, comment, author):
    page = browser.get(note.get_absolute_url()).content.decode()
    assert reverse("moderation:report_note", kwargs={"target_id": note.pk}) in page
    assert reverse("moderation:report_comment", kwargs={"target_id": comment.pk}) in page
    profile = browser.get(author.get_absolute_url()).content.decode()
    assert reverse("moderation:report_user", kwargs={"handle": "mei"}) in profile
    # not on one's own
    own = Client()
    own.force_login(author)
    mine = own.get(note.get_absolute_url()).content.decode()
    assert "/report/" not in mine
    assert "/report/" not in own.get(author.get_absolute_url()).content.decode()


def test_api_list_costs_the_same_queries_whatever_its_size(api, reporter, author):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    report_create(reporter=reporter, target=NoteFactory(author=author), reason="spam")
    small = count()
    for _ in range(8):
        note = NoteFactory(author=author)
        report_create(reporter=reporter, target=note, reason="spam")
        comment = note_services.comment_create(author=author, note=note, body="spam")
        report_create(reporter=reporter, target=comment, reason="spam")
    assert count() == small
