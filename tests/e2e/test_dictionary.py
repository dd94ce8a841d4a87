"""The dictionary page and the About page in a phone-size browser: look a word up from the
search box, see its pinyin and senses, look an English word up, follow the credit to the About
page — with the site's Content-Security-Policy, no error and no sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_dictionary_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )

    page.goto("/dictionary/")
    search = page.get_by_label("Word to look up")
    search.fill("银行")
    search.press("Enter")
    page.wait_for_url("**/dictionary/?q=*", wait_until="load")
    entry = page.get_by_test_id("dictionary-entry").first
    expect(entry).to_contain_text("yín háng")
    expect(entry).to_contain_text("bank")
    assert _fits(page)

    search = page.get_by_label("Word to look up")
    search.fill("software")
    search.press("Enter")
    page.wait_for_url("**q=software", wait_until="load")
    expect(page.get_by_test_id("dictionary-entry").first).to_contain_text("软件")
    assert _fits(page)

    page.get_by_test_id("dictionary-credit").get_by_role(
        "link", name="About the reading aids"
    ).click()
    page.wait_for_url("**/about/", wait_until="load")
    expect(page.get_by_test_id("about-credits")).to_contain_text("CC BY-SA 4.0")
    assert _fits(page)
    assert problems == []
