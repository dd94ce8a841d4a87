"""The slang glossary in a browser: search the shipped entries on a phone (no sideways
scrolling, no script error under the Content-Security-Policy), and suggest a term with
JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, UserFactory
from translations.glossary import glossary_load
from translations.models import GlossaryStatus, GlossaryTerm

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_glossary_search_on_a_phone(new_page):
    glossary_load()
    page = new_page(viewport=PHONE)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto("/glossary/", wait_until="load")
    expect(page.get_by_test_id("glossary-entry").first).to_contain_text("yyds")
    assert _fits(page)
    search = page.get_by_label("Search the glossary")
    search.fill("no cap")
    search.press("Enter")
    page.wait_for_url("**/glossary/?q=no+cap*", wait_until="load")
    first = page.get_by_test_id("glossary-entry").first
    expect(first).to_contain_text("no cap")
    expect(first).to_contain_text("不骗你")
    assert _fits(page)
    assert problems == []


def test_suggest_a_term_without_javascript(browser, live_server):
    UserFactory(handle="reader", email="reader@example.com")
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/?next=/glossary/suggest/")
        page.get_by_label("E-mail or handle").fill("reader")
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url("**/glossary/suggest/", wait_until="load")
        page.get_by_label("Term", exact=True).fill("rizz")
        page.get_by_label("Language of the term").select_option("en")
        page.get_by_test_id("glossary-suggest-submit").click()
        page.wait_for_load_state("load")
        # No explanation: the form says so on its field and keeps what was typed.
        expect(page.locator("#id_explanation_en_error")).to_be_visible()
        expect(page.get_by_label("Term", exact=True)).to_have_value("rizz")
        assert not GlossaryTerm.objects.exists()
        page.get_by_label("What it means, in English").fill("Charm; from charisma.")
        page.get_by_test_id("glossary-suggest-submit").click()
        page.wait_for_url("**/glossary/", wait_until="load")
        expect(page.locator(".messages")).to_contain_text("A moderator will review “rizz”")
        entry = GlossaryTerm.objects.get()
        assert (entry.term, entry.status) == ("rizz", GlossaryStatus.SUGGESTED)
    finally:
        context.close()
