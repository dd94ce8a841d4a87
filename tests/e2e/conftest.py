"""Browser tests: Playwright's sync API driving Debian's Chromium against `live_server`.

`playwright install` cannot download browsers here, so the system Chromium is launched
directly. Playwright's sync API runs an asyncio loop in this thread, which makes Django
refuse ORM calls from the test body ("async unsafe") unless told that this is fine.
"""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits live in the cache (Redis when REDIS_URL is set), which outlives
    a test; a browser journey must not be throttled by an earlier test's sign-up."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (own cookies) pointed at the live server."""
    contexts = []

    def open_page(*, viewport=DESKTOP, locale="en-US"):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
