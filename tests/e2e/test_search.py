"""Search in a real browser: the box in the top bar on a desktop and on a phone, the result
tabs, and "load more"."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import UserFactory
from tests.feeds.test_search import MIXED_TITLE, indexed

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_search_from_the_top_bar_then_switch_tabs(new_page, transactional_db, viewport):
    note = indexed(title=MIXED_TITLE, body="周末去哪儿", tags=["citywalk"])
    UserFactory(handle="city_mae", display_name="Mae")
    page = new_page(viewport=viewport)
    page.goto("/")
    box = page.locator("#site-search")
    assert box.is_visible()
    box.fill("路线")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    cards = page.locator("[data-testid=note-card]")
    assert cards.count() == 1
    assert cards.first.get_attribute("data-note-id") == str(note.pk)
    assert page.locator("#site-search").input_value() == "路线"  # the box keeps the query

    page.locator("#site-search").fill("city")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/search/?q=city")
    page.locator("[data-testid=search-tabs] [data-tab=users]").click()
    page.wait_for_url("**type=users")
    assert page.locator("[data-testid=person-row]").all_inner_texts()[0].count("@city_mae") == 1
    page.locator("[data-testid=search-tabs] [data-tab=tags]").click()
    page.wait_for_url("**type=tags")
    assert "citywalk" in page.locator("[data-testid=tag-row]").first.inner_text()


def test_people_results_load_more_as_you_scroll(page, transactional_db):
    from feeds.search_views import PEOPLE_PAGE_SIZE

    for i in range(PEOPLE_PAGE_SIZE + 5):
        UserFactory(handle=f"lamp_{i:02d}")
    page.goto("/search/?q=lamp&type=users")
    rows = page.locator("[data-testid=person-row]")
    page.locator("[data-testid=load-more]").scroll_into_view_if_needed()
    # A locator wait, not wait_for_function: the page's Content-Security-Policy refuses the
    # eval a string predicate needs.
    expect(rows).to_have_count(PEOPLE_PAGE_SIZE + 5)
    handles = rows.all_inner_texts()
    assert len(set(handles)) == PEOPLE_PAGE_SIZE + 5
