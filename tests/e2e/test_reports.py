"""Browser: a reader reports a note and a comment through the report dialog (htmx, no reload);
a moderator hides the note from the desk in Django admin; it is gone from Discover and the tag
page, and the reader's report is closed."""

import pytest
from playwright.sync_api import expect

from moderation.models import AuditLogEntry, Report, ReportStatus
from notes import services
from notes.models import Hashtag
from tests.factories import PASSWORD, NoteFactory, UserFactory

from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_in_a_dialog_then_a_moderator_hides_it_from_the_desk(new_page):
    from django.contrib.auth.models import Group

    mei = UserFactory(handle="mei", display_name="Mei")
    UserFactory(handle="sam", display_name="Sam")
    moderator = UserFactory(handle="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    note = NoteFactory(author=mei, title="Cheap followers lantern", body="DM me")
    note.hashtags.add(Hashtag.objects.create(name="lantern", display_name="lantern"))
    comment = services.comment_create(author=mei, note=note, body="Buy now")
    url = f"/notes/{note.pk}/"

    problems: list[str] = []

    def watch(opened):
        opened.on("console", lambda m: m.type == "error" and problems.append(m.text))
        opened.on("pageerror", lambda e: problems.append(str(e)))
        return opened

    page = watch(new_page())
    log_in(page, "sam", next_url=url)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    # The note, from its menu.
    page.get_by_test_id("note-menu").click()
    page.get_by_test_id("note-report").click()
    dialog = page.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("report-subject")).to_contain_text("Cheap followers lantern")
    dialog.get_by_test_id("report-send").click()  # no reason: the browser asks for one
    assert not Report.objects.exists()
    dialog.get_by_test_id("report-reason-spam").check()
    dialog.get_by_test_id("report-text").fill("Selling followers")
    dialog.get_by_test_id("report-send").click()
    expect(dialog.get_by_test_id("report-done")).to_contain_text(
        "Thanks — the moderators will look at it."
    )
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_test_id("report-dialog")).to_have_count(0)

    # A comment, from the thread.
    page.locator(f"#comment-{comment.pk}").get_by_test_id("comment-report").click()
    dialog = page.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("report-reason-harassment").check()
    dialog.get_by_test_id("report-send").click()
    expect(dialog.get_by_test_id("report-done")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("report-dialog")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 2

    # The moderator hides the note from the desk.
    desk = watch(new_page())
    desk.goto("/admin/login/?next=/admin/moderation/report/")
    desk.locator("#id_username").fill("mod")
    desk.locator("#id_password").fill(PASSWORD)
    desk.locator("input[type=submit]").click()
    desk.wait_for_url("**/admin/moderation/report/")
    desk.get_by_test_id("queue-target").filter(has_text="Cheap followers lantern").click()
    expect(desk.get_by_test_id("desk-preview")).to_contain_text("DM me")
    decision = desk.get_by_test_id("desk-decision-hide")
    decision.locator("textarea").fill("Selling followers is spam")
    decision.locator("input[type=submit]").click()
    desk.wait_for_url("**/admin/moderation/report/")
    expect(desk.get_by_test_id("queue-target")).to_have_count(1)  # the comment's reports wait

    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.target_id, entry.moderator_id) == ("hide", note.pk, moderator.pk)
    assert Report.objects.filter(status=ReportStatus.ACTIONED).count() == 1

    assert problems == []  # no CSP violation, no script error, on the site or in the desk

    # Gone for the reader.
    page.goto("/")
    expect(page.get_by_text("Cheap followers lantern")).to_have_count(0)
    page.goto("/tags/lantern/")
    expect(page.get_by_text("Cheap followers lantern")).to_have_count(0)
    assert page.goto(url).status == 404
