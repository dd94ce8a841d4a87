"""Browser: the whole moderation path of issue 9, as people live it.

A reader reports a note; a moderator hides it from the desk in Django admin with a reason;
it is gone at once from Discover, the tag page, search and a follower's Following feed; its
author sees it marked hidden with the reason and appeals; the moderator grants the appeal in
the same desk, and the note is back for the follower.
"""

import pytest
from playwright.sync_api import expect

from feeds.store import get_store
from moderation.models import Appeal, AppealStatus, AuditLogEntry
from tests.factories import PASSWORD, FollowFactory, UserFactory
from tests.feeds.test_search import indexed

from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Paper lantern festival giveaway"


def admin_log_in(page, handle: str, next_url: str) -> None:
    page.goto(f"/admin/login/?next={next_url}")
    page.locator("#id_username").fill(handle)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def cards_titled(page, title: str):
    return page.get_by_test_id("note-card").filter(has_text=title)


def test_report_hide_gone_everywhere_then_appeal_and_back(new_page):
    from django.contrib.auth.models import Group

    mei = UserFactory(handle="mei", display_name="Mei", languages=["zh-Hans"])
    sam = UserFactory(handle="sam", display_name="Sam")
    UserFactory(handle="ann", display_name="Ann")
    moderator = UserFactory(handle="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    FollowFactory(follower=sam, followee=mei)
    note = indexed(author=mei, title=TITLE, body="Follow me for free lanterns", tags=["lantern"])
    url = f"/notes/{note.pk}/"

    # Before: the follower finds it everywhere.
    follower = new_page()
    log_in(follower, "sam", next_url="/following/")
    expect(cards_titled(follower, TITLE)).to_have_count(1)
    for place in ("/", "/tags/lantern/", "/search/?q=lantern"):
        follower.goto(place)
        expect(cards_titled(follower, TITLE)).to_have_count(1)

    # A reader reports it from the note's menu.
    reader = new_page()
    log_in(reader, "ann", next_url=url)
    reader.get_by_test_id("note-menu").click()
    reader.get_by_test_id("note-report").click()
    dialog = reader.get_by_test_id("report-dialog")
    dialog.get_by_test_id("report-reason-spam").check()
    dialog.get_by_test_id("report-send").click()
    expect(dialog.get_by_test_id("report-done")).to_be_visible()

    # The moderator hides it from the desk, with a reason.
    desk = new_page()
    admin_log_in(desk, "mod", "/admin/moderation/report/")
    desk.get_by_test_id("queue-target").filter(has_text=TITLE).click()
    expect(desk.get_by_test_id("desk-preview")).to_contain_text("Follow me for free lanterns")
    decision = desk.get_by_test_id("desk-decision-hide")
    decision.locator("textarea").fill("Giveaway spam")
    decision.locator("input[type=submit]").click()
    desk.wait_for_url("**/admin/moderation/report/")
    hide = AuditLogEntry.objects.get(action="hide", target_id=note.pk)
    assert hide.moderator_id == moderator.pk and hide.reason == "Giveaway spam"

    # Gone at once for the follower: Following, Discover, the tag page, search, the note.
    store = get_store()
    if store is not None:
        assert note.pk not in store.timeline_members(sam.pk)
    for place in ("/following/", "/", "/tags/lantern/", "/search/?q=lantern"):
        follower.goto(place)
        expect(cards_titled(follower, TITLE)).to_have_count(0)
    assert follower.goto(url).status == 404

    # The author sees why, and appeals once.
    author = new_page()
    log_in(author, "mei", next_url=url)
    banner = author.get_by_test_id("hidden-banner")
    expect(banner).to_contain_text("Hidden by moderators: Giveaway spam")
    banner.get_by_test_id("appeal-text").fill("It is a real festival, not spam")
    banner.get_by_test_id("appeal-send").click()
    expect(author.get_by_test_id("appeal-status")).to_have_attribute("data-status", "open")
    expect(author.get_by_test_id("appeal-form")).to_have_count(0)
    appeal = Appeal.objects.get()
    assert appeal.hide_entry_id == hide.pk

    # The moderator grants it in the same desk.
    desk.goto(f"/admin/moderation/appeal/{appeal.pk}/change/")
    desk.get_by_test_id("appeal-decision").locator("textarea").fill("A real festival")
    desk.get_by_test_id("appeal-grant").click()
    desk.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.GRANTED and appeal.decided_by_id == moderator.pk

    # Back for the follower, and no longer marked for the author.
    for place in ("/following/", "/tags/lantern/", "/search/?q=lantern"):
        follower.goto(place)
        expect(cards_titled(follower, TITLE)).to_have_count(1)
    assert follower.goto(url).status == 200
    author.goto(url)
    expect(author.get_by_test_id("hidden-banner")).to_have_count(0)
