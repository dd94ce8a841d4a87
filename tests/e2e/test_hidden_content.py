"""Browser: the author of a hidden comment sees it above the thread with the reason and
appeals in place (htmx), without JavaScript too; a suspended person trying to sign in is told
until when. Under the Content-Security-Policy, with no violation or script error."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.models import Appeal, ModerationAction
from moderation.registry import registry
from moderation.services.audit import audit_record
from moderation.services.suspensions import account_suspend
from notes import services
from tests.factories import PASSWORD, NoteFactory, UserFactory

from .test_csp import Watcher
from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hidden_comment(live_server):
    mei, ann = UserFactory(handle="mei"), UserFactory(handle="ann")
    moderator = UserFactory(handle="mod", is_staff=True, is_superuser=True)
    note = NoteFactory(author=mei, title="Lantern night")
    comment = services.comment_create(author=ann, note=note, body="Cheap lanterns, DM me")
    registry.actions_for(type(comment)).hide(target=comment)
    audit_record(
        moderator=moderator,
        action=ModerationAction.HIDE,
        target=comment,
        target_owner=ann,
        reason="Selling in comments",
    )
    return {"note": note, "comment": comment, "moderator": moderator}


def test_the_author_of_a_hidden_comment_sees_why_and_appeals_in_place(new_page, hidden_comment):
    page = new_page()
    watcher = Watcher(page.context)
    watcher.watch(page)
    url = hidden_comment["note"].get_absolute_url()
    log_in(page, "ann", next_url=url)
    item = page.get_by_test_id("hidden-comment")
    expect(item).to_contain_text("Cheap lanterns, DM me")
    banner = item.get_by_test_id("hidden-banner")
    expect(banner).to_contain_text("Hidden by moderators: Selling in comments")
    banner.get_by_test_id("appeal-send").click()  # empty: the browser asks for the text
    assert not Appeal.objects.exists()
    banner.get_by_test_id("appeal-text").fill("I was only answering a question")
    banner.get_by_test_id("appeal-send").click()
    expect(page.get_by_test_id("appeal-status")).to_have_attribute("data-status", "open")
    assert Appeal.objects.get().text == "I was only answering a question"
    # Nobody else sees it.
    other = new_page()
    log_in(other, "mei", next_url=url)
    expect(other.get_by_test_id("note-detail")).to_be_visible()
    expect(other.get_by_test_id("hidden-comment")).to_have_count(0)
    expect(other.get_by_text("Cheap lanterns")).to_have_count(0)
    watcher.assert_clean()


def test_the_appeal_works_without_javascript(browser, live_server, hidden_comment):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        url = hidden_comment["note"].get_absolute_url()
        log_in(page, "ann", next_url=url)
        page.get_by_test_id("appeal-text").fill("Please look again")
        page.get_by_test_id("appeal-send").click()
        expect(page.get_by_text("Your appeal was sent")).to_be_visible()
        # Back on the note's page, at the comment (its place above the thread).
        assert page.url.endswith(f"{url}#comment-{hidden_comment['comment'].pk}")
        expect(page.get_by_test_id("appeal-status")).to_have_attribute("data-status", "open")
    finally:
        context.close()


def test_a_suspended_person_is_told_until_when(new_page, live_server):
    person = UserFactory(handle="lin")
    moderator = UserFactory(handle="mod", is_staff=True)
    account_suspend(
        moderator=moderator, user=person, until=timezone.now() + timedelta(days=3), reason="Spam"
    )
    page = new_page()
    watcher = Watcher(page.context)
    watcher.watch(page)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail or handle").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_text("Your account is suspended until")).to_be_visible()
    watcher.console = [m for m in watcher.console if "403" not in m]  # the page's own status
    watcher.assert_clean()
