"""Browser: every page type loads with the Content-Security-Policy in force, and using the
pages — the note overlay, the composer with a photo, the collect popover, menus, the
translation toggle, the language switcher, infinite scroll — reports no violation, no
console error and no script error (an Alpine expression its CSP build cannot evaluate is one).

A `securitypolicyviolation` listener is installed by an init script (Playwright injects it
through the DevTools protocol, which the policy does not govern) and reports to the test
through a binding, so violations on pages navigated away from are counted too.
"""

import logging
import re

import pytest
from playwright.sync_api import expect

from notes import services
from notes.models import Hashtag
from tests.factories import NoteFactory, UserFactory, sample_photo
from translations import services as translation_services

from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation({
    page: location.pathname,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
});
"""


class Watcher:
    """What went wrong in a browser context: CSP violations, console errors (the browser logs
    each blocked inline script or style there too) and uncaught script errors."""

    def __init__(self, context):
        self.violations = []
        self.console = []
        self.errors = []
        context.expose_binding("reportViolation", lambda source, v: self.violations.append(v))
        context.add_init_script(LISTENER)

    def watch(self, page):
        page.on(
            "console",
            lambda message: (
                self.console.append(f"{page.url}: {message.text}")
                if message.type in ("error", "warning")
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def assert_clean(self):
        assert self.violations == [], "\n".join(map(str, self.violations))
        assert self.errors == [], "\n".join(self.errors)
        assert self.console == [], "\n".join(self.console)


@pytest.fixture
def watched(new_page):
    """A page in a fresh context whose violations and errors are collected."""

    def open_page(**kwargs):
        page = new_page(**kwargs)
        watcher = Watcher(page.context)
        watcher.watch(page)
        return page, watcher

    return open_page


@pytest.fixture
def community(live_server, settings):
    """A Chinese note with a comment translated by the community (shown to English readers at
    once, no provider needed), an English note with a hashtag, and enough notes for a second
    Discover page."""
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    mei = UserFactory(handle="mei", display_name="Mei", languages=["zh-Hans"])
    mae = UserFactory(handle="mae", display_name="Mae", languages=["en"], read_languages=["en"])
    lin = UserFactory(handle="lin", display_name="Lin", languages=["zh-Hans"])
    chinese = NoteFactory(
        author=mei, title="大理古城一日游", body="古城的夜晚很安静", language="zh-Hans"
    )
    welcome = services.comment_create(
        author=lin, note=chinese, body="欢迎来大理玩！", language="zh-Hans"
    )
    suggestion = translation_services.community_translation_suggest(
        user=lin, content=welcome, source_text=welcome.body, language="en", text="Welcome to Dali!"
    )
    translation_services.community_translation_accept(
        user=mei, suggestion=suggestion, content_author_id=mei.pk
    )
    english = NoteFactory(author=mae, title="Dumplings at home", body="#food", images=2)
    english.hashtags.add(Hashtag.objects.create(name="food", display_name="food"))
    for n in range(30):
        NoteFactory(author=lin, title=f"Walk {n}")
    from feeds.ranking import discover_ranks_recompute

    discover_ranks_recompute(since=None)
    return {"mei": mei, "mae": mae, "lin": lin, "chinese": chinese, "english": english}


def test_pages_signed_out_load_with_the_policy_and_no_violation(watched, community):
    page, watcher = watched()
    english, chinese = community["english"], community["chinese"]
    for url in (
        "/",
        "/tags/food/",
        english.get_absolute_url(),
        chinese.get_absolute_url(),
        "/@mae/",
        "/@mae/followers/",
        "/search/?q=food",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/admin/login/",
        "/api/docs/",
        "/api/v1/feeds/discover/",  # DRF's browsable API
        "/no/such/page/",
    ):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("networkidle")

    # The carousel's arrows (Alpine) and the placeholder colours and shapes (set from
    # data-css through the CSSOM) work under the policy.
    page.goto(english.get_absolute_url())
    carousel = page.get_by_test_id("carousel")
    expect(carousel).to_have_attribute("data-css", "--frame-ratio: 0.75")
    assert carousel.evaluate("el => el.style.getPropertyValue('--frame-ratio')") == "0.75"
    page.locator(".carousel-next").click()
    expect(page.locator(".carousel-counter span")).to_have_text("2")

    # Discover: scrolling loads the next page (htmx), a card opens the overlay.
    page.goto("/")
    cards = page.get_by_test_id("note-card")
    first = cards.count()
    page.mouse.wheel(0, 20000)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 20000)
    expect(cards).not_to_have_count(first)
    cover = page.locator(".note-card-cover").first
    assert cover.evaluate("el => el.style.getPropertyValue('--placeholder')").startswith("#")
    watcher.assert_clean()


def test_pages_signed_in_work_with_the_policy_and_no_violation(watched, community):
    page, watcher = watched()
    log_in(page, "mae", next_url="/")
    english, chinese = community["english"], community["chinese"]

    # The note overlay from Discover, then Esc.
    page.goto("/")
    page.get_by_test_id("note-card").filter(has_text="大理古城一日游").first.click()
    expect(page.get_by_test_id("note-overlay")).to_be_visible()
    page.keyboard.press("Escape")

    # A translation's "Show original" switch (Alpine, CSP build).
    page.goto(chinese.get_absolute_url())
    translation = page.get_by_test_id("translation").filter(has_text="Welcome to Dali!")
    toggle = translation.get_by_test_id("translation-toggle")
    expect(toggle).to_have_text("Show original")
    toggle.click()
    expect(toggle).to_have_text("Show translation")
    expect(translation.get_by_test_id("translation-text")).to_be_hidden()
    toggle.click()
    expect(translation.get_by_test_id("translation-text")).to_be_visible()

    # The collect popover opens and closes on a click outside it.
    picker = page.get_by_test_id("collect").first
    picker.get_by_test_id("collect-button").click()
    expect(picker.get_by_test_id("board-picker")).to_be_visible()
    page.locator("h1, .note-title").first.click()
    expect(picker.get_by_test_id("board-picker")).to_be_hidden()

    # The author's menu and the delete confirmation (declined: the note stays).
    page.goto(english.get_absolute_url())
    page.get_by_test_id("note-menu").click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("note-delete").click()
    page.wait_for_timeout(300)
    assert asked == ["Delete this note? This cannot be undone."]
    expect(page).to_have_url(re.compile(re.escape(english.get_absolute_url()) + "$"))
    expect(page.get_by_test_id("note-menu")).to_be_visible()
    page.keyboard.press("Escape")

    # The composer: a photo picked, uploaded and previewed (blob:), counters counting.
    page.goto("/notes/new/")
    page.get_by_test_id("photo-picker").set_input_files(
        [{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": sample_photo("original")}]
    )
    expect(page.get_by_test_id("photo-item")).to_have_count(1)
    page.get_by_test_id("note-title-input").fill("Noodles")
    expect(page.locator(".counter").first).to_contain_text("7/")

    # Reporting a note: the htmx dialog opens, a reason is sent, the confirmation shows.
    page.goto(chinese.get_absolute_url())
    page.get_by_test_id("note-menu").click()
    page.get_by_test_id("note-report").click()
    dialog = page.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("report-reason-spam").check()
    dialog.get_by_test_id("report-send").click()
    expect(page.get_by_test_id("report-done")).to_be_visible()
    page.keyboard.press("Escape")

    for url in (
        "/following/",
        "/notifications/",
        "/follow-requests/",
        f"/report/note/{english.pk}/",
        "/settings/",
        "/@mae/",
        "/@mei/",
        "/tags/food/",
        "/search/?q=food",
        "/accounts/password/change/",
        "/accounts/email/",
        "/settings/delete/",  # asks for the password again first
        "/@mae/followers/",
        "/notifications/?tab=notices",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")

    # Someone else's profile menu opens and closes on Escape.
    page.goto("/@mei/")
    menu = page.locator("details[data-menu]").first
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")

    # The language switcher sends its form when a language is chosen.
    page.locator("#language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    watcher.assert_clean()


def test_admin_pages_load_with_the_policy_and_no_violation(watched, community):
    UserFactory(handle="root", is_staff=True, is_superuser=True)
    page, watcher = watched()
    page.goto("/admin/login/")
    page.locator("#id_username").fill("root")
    from tests.factories import PASSWORD

    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    english = community["english"]
    from moderation.services.reports import report_create

    report_create(reporter=community["lin"], target=english, reason="spam", text="<b>ads</b>")
    for url in (
        "/admin/",
        "/admin/dashboard/",
        "/admin/notes/note/",
        f"/admin/notes/note/{english.pk}/change/",
        "/admin/notes/comment/",
        "/admin/accounts/user/",
        "/admin/moderation/report/",
        "/admin/moderation/auditlogentry/",
        "/admin/moderation/keywordrule/",
        "/admin/moderation/keywordrule/add/",
        "/admin/moderation/heldcontent/",
        "/admin/moderation/appeal/",
        "/admin/moderation/suspendedaccount/",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    watcher.assert_clean()


def test_the_policy_is_enforced_and_a_violation_is_seen(watched, live_server, caplog):
    """The watcher is no formality: markup the policy forbids, put in a page, is refused by the
    browser and reported (an inline handler, an inline script, a style attribute) — to the
    page's listener and to /csp-report/, which logs it."""
    caplog.set_level(logging.WARNING, logger="rednote.csp")
    page, watcher = watched()
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.innerHTML = '<img src="data:," onerror="window.__ran = true">'
                + '<span style="color: red">x</span>';
            document.body.appendChild(box);
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__ran") is None
    directives = {v["directive"] for v in watcher.violations}
    assert {"script-src-attr", "style-src-attr", "script-src-elem"} <= directives
    for _ in range(50):  # the browser posts its reports on its own time
        if "style-src-attr" in caplog.text:
            break
        page.wait_for_timeout(100)
    assert "CSP violation" in caplog.text and "style-src-attr" in caplog.text
