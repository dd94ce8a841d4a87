"""The inbox in the browser: a like shows as the unread badge on every page; opening the
Likes and collects tab lists it and marks the tab read (the badge goes without a reload); on a
phone the badge sits on the Inbox tab and the inbox's tabs fit the screen."""

import pytest
from playwright.sync_api import expect

from notes import services as notes_services
from tests.e2e.conftest import PHONE
from tests.factories import NoteFactory, UserFactory

from .test_notes import log_in

pytestmark = pytest.mark.e2e


def test_a_like_shows_on_the_badge_and_opening_the_tab_reads_it(new_page):
    mei = UserFactory(handle="mei", display_name="Mei")
    bob = UserFactory(handle="bob", display_name="Bob")
    note = NoteFactory(author=mei, title="Dumplings at home")
    notes_services.note_like(user=bob, note=note)  # autocommit: the task runs at once

    page = new_page()
    log_in(page, "mei", next_url="/")
    badge = page.locator("#unread-badge-nav")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")

    page.locator('[data-nav="notifications"]').click()
    row = page.get_by_test_id("notification")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Bob")
    expect(row).to_contain_text("liked your note")
    # Shown once, the tab is marked read by a POST: the badge goes without a reload.
    expect(badge).to_be_hidden()
    page.reload()
    expect(page.locator("#unread-badge-nav")).to_be_hidden()
    expect(page.get_by_test_id("notification")).to_have_count(1)


def test_the_badge_sits_on_the_phone_inbox_tab(new_page):
    mei = UserFactory(handle="mei", display_name="Mei")
    for i in range(3):
        notes_services.note_like(
            user=UserFactory(handle=f"fan{i}"), note=NoteFactory(author=mei, title=f"Note {i}")
        )
    page = new_page(viewport=PHONE)
    log_in(page, "mei", next_url="/")
    badge = page.locator("#unread-badge-tab")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("3")
    tab = page.locator(".tabbar .tab").filter(has=badge)
    box, tab_box = badge.bounding_box(), tab.bounding_box()
    assert tab_box["x"] <= box["x"] and box["x"] + box["width"] <= tab_box["x"] + tab_box["width"]

    # The inbox's four tabs (Notices too) fit the phone's width without scrolling sideways.
    tab.click()
    # Layout is measured once the inbox's own stylesheet has loaded, not mid-navigation.
    page.wait_for_url("**/notifications/", wait_until="load")
    tabs = page.locator(".inbox-tabs")
    expect(tabs).to_be_visible()
    assert tabs.evaluate("el => el.scrollWidth <= el.clientWidth")
