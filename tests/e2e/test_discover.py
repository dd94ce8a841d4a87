"""Browser: the Discover grid — the note overlay (open, Esc, close, Back, reload), infinite
scroll, cards from the other side, covers at their own shape, two columns on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feeds.ranking import discover_ranks_recompute
from tests.factories import NoteFactory, UserFactory

from .conftest import PHONE
from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Portrait, square and landscape covers, in turn.
SHAPES = [(600, 800), (700, 700), (800, 600)]


@pytest.fixture
def discover_notes(live_server):
    """40 notes, a third in Chinese, ranked; covers of several shapes."""
    now = timezone.now()
    notes = []
    for n in range(40):
        width, height = SHAPES[n % 3]
        notes.append(
            NoteFactory(
                author=UserFactory(),
                title=f"{'笔记' if n % 3 == 1 else 'Note'} {n}",
                language="zh-Hans" if n % 3 == 1 else "en",
                published_at=now - timedelta(hours=n),
                images__width=width,
                images__height=height,
            )
        )
    discover_ranks_recompute(since=None)
    return notes


def _scroll_y(page) -> int:
    return page.evaluate("Math.round(window.scrollY)")


def _card_in_view(page):
    """A card whose title and cover are both well inside the viewport (so clicking it does not
    scroll the page first)."""
    index = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=note-card]')].findIndex(card => {
            const box = card.getBoundingClientRect();
            return box.top > 80 && box.bottom < innerHeight - 20;
        })"""
    )
    assert index >= 0
    return page.get_by_test_id("note-card").nth(index)


def test_overlay_opens_over_the_grid_and_closes_where_we_were(page, live_server, discover_notes):
    page.goto("/")
    expect(page.get_by_test_id("note-card")).to_have_count(24)
    page.mouse.wheel(0, 500)
    page.wait_for_function("window.scrollY >= 400")
    scrolled = _scroll_y(page)
    card = _card_in_view(page)
    note_id = card.get_attribute("data-note-id")
    title = card.locator(".note-card-title").inner_text()

    # Click: the note shows over the grid, the address is the note's.
    card.locator(".note-card-title").click()
    overlay = page.get_by_test_id("note-overlay")
    dialog = overlay.get_by_role("dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(overlay.get_by_test_id("note-detail")).to_be_visible()
    expect(overlay.get_by_test_id("note-title")).to_have_text(title)
    assert page.url.endswith(f"/notes/{note_id}/")
    expect(page).to_have_title(re.compile(re.escape(title)))
    assert page.evaluate("document.querySelector('.shell').inert") is True
    # The keyboard stays in the overlay.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.querySelector('[data-testid=note-overlay]').contains(document.activeElement)"
        )

    # Esc: back on the grid, same place, focus on the card, address and title back.
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
    assert page.url == f"{live_server.url}/"
    assert _scroll_y(page) == scrolled
    assert page.evaluate("document.activeElement.closest('.note-card').dataset.noteId") == note_id
    expect(page).to_have_title(re.compile("^Discover"))
    expect(page.get_by_test_id("note-card")).to_have_count(24)  # the grid was not re-rendered

    # The Back button does the same; so does the close button.
    card.locator(".note-card-cover").click()
    expect(overlay.get_by_test_id("note-detail")).to_be_visible()
    page.go_back()
    expect(overlay).to_have_count(0)
    assert page.url == f"{live_server.url}/"
    assert _scroll_y(page) == scrolled
    page.go_forward()
    expect(overlay.get_by_test_id("note-detail")).to_be_visible()
    page.get_by_test_id("overlay-close").click()
    expect(overlay).to_have_count(0)
    assert _scroll_y(page) == scrolled
    assert page.url == f"{live_server.url}/"

    # Reloading the note's address gives the full note page.
    card.locator(".note-card-title").click()
    expect(overlay.get_by_test_id("note-detail")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("note-detail")).to_be_visible()
    expect(page.get_by_test_id("note-overlay")).to_have_count(0)
    expect(page.locator("nav.sidebar")).to_be_attached()
    assert page.url.endswith(f"/notes/{note_id}/")


def test_like_in_the_overlay_sends_a_visitor_to_log_in(page, discover_notes):
    page.goto("/")
    _card_in_view(page).locator(".note-card-title").click()
    overlay = page.get_by_test_id("note-overlay")
    overlay.get_by_test_id("like-button").click()
    page.wait_for_url("**/accounts/login/**")


def test_a_like_in_the_overlay_shows_on_the_card(page, discover_notes):
    UserFactory(handle="mei")
    log_in(page, "mei", next_url="/")
    card = _card_in_view(page)
    heart = card.get_by_test_id("like-button")
    expect(heart).to_have_attribute("aria-pressed", "false")
    before = int(heart.get_by_test_id("like-count").inner_text())
    card.locator(".note-card-title").click()
    overlay = page.get_by_test_id("note-overlay")
    overlay.get_by_test_id("like-button").click()
    expect(overlay.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart.get_by_test_id("like-count")).to_have_text(str(before + 1))
    # The card's heart now takes the like back.
    heart.click()
    expect(card.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "false")
    expect(card.get_by_test_id("like-count")).to_have_text(str(before))


def test_infinite_scroll_and_the_other_side(page, discover_notes):
    page.goto("/")
    cards = page.get_by_test_id("note-card")
    expect(cards).to_have_count(24)
    # A reader of English: 7 of 24 from the other side, labelled.
    expect(page.get_by_test_id("other-side")).to_have_count(7)
    for label in page.get_by_test_id("other-side").all():
        card = label.locator("xpath=ancestor::article")
        expect(card.locator(".note-card-title")).to_have_attribute("lang", "zh-Hans")
    # Scrolling to the end loads the next page by itself; nothing appears twice.
    page.mouse.wheel(0, 20000)
    expect(cards).to_have_count(40)
    ids = [c.get_attribute("data-note-id") for c in cards.all()]
    assert len(set(ids)) == 40
    expect(page.get_by_test_id("load-more")).to_have_count(0)


def _card_boxes(page) -> list[list[float]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=note-card]')].map(card => {
            const box = card.getBoundingClientRect();
            return [box.x, box.y, box.width, box.height];
        })"""
    )


def test_covers_keep_their_shape_without_layout_shift(new_page, discover_notes):
    # Photos that never arrive: the grid is laid out from the cards' own sizes alone.
    waiting = new_page()
    waiting.route("**/images/**", lambda route: route.abort())
    waiting.goto("/")
    without_photos = _card_boxes(waiting)
    shapes = waiting.evaluate(
        """() => [...document.querySelectorAll('.note-card-cover')].map(cover => {
            const box = cover.getBoundingClientRect();
            return [box.width / box.height, getComputedStyle(cover).backgroundColor];
        })"""
    )
    assert {round(ratio, 2) for ratio, _colour in shapes} == {0.75, 1.0, 1.33}
    assert {colour for _ratio, colour in shapes} == {"rgb(138, 160, 192)"}  # the placeholder
    # With the photos loaded, nothing has moved.
    page = new_page()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(
        "[...document.querySelectorAll('.note-card-cover img')].every(img => img.complete)"
    )
    assert _card_boxes(page) == without_photos


def test_phone_two_columns_and_the_overlay_as_a_sheet(new_page, discover_notes):
    page = new_page(viewport=PHONE)
    page.goto("/")
    expect(page.locator(".masonry-column")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.mouse.wheel(0, 700)
    page.wait_for_function("window.scrollY >= 600")
    scrolled = _scroll_y(page)
    _card_in_view(page).locator(".note-card-title").click()
    overlay = page.get_by_test_id("note-overlay")
    expect(overlay.get_by_test_id("note-detail")).to_be_visible()
    box = overlay.get_by_role("dialog").bounding_box()
    assert box["width"] == PHONE["width"] and box["height"] == PHONE["height"]
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
    assert _scroll_y(page) == scrolled


def test_desktop_has_four_or_five_columns(new_page, discover_notes):
    for width, columns in ((1280, 4), (1440, 5)):
        page = new_page(viewport={"width": width, "height": 900})
        page.goto("/")
        expect(page.locator(".masonry-column")).to_have_count(columns)
        # No request still in flight when the test's data is flushed.
        page.wait_for_load_state("networkidle")
