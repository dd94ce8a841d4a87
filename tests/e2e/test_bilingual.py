"""Browser: two people with no language in common talk under a note. An English reader opens
a Chinese note, sees the note and its comments with their translations (a community one at
once, a machine one on "Translate"), toggles "Show original", and replies in English; the
note's author, whose interface is in 中文 and who translates automatically, sees the reply
translated, and the unread badge counts it. Machine translation is a local server speaking
LibreTranslate's API, started by the test."""

import pytest
from playwright.sync_api import expect

from notes import services
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import (
    FakeProviderServer,
    configure,
    fake_translation,
    libretranslate_answer,
)
from translations import services as translation_services

from .test_notes import log_in

pytestmark = pytest.mark.e2e

REPLY = "This looks amazing, thank you for sharing!"


@pytest.fixture
def provider(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_MAX_RETRIES = 1
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


def test_a_conversation_across_languages(new_page, live_server, provider):
    mei = UserFactory(
        handle="mei",
        display_name="Mei",
        languages=["zh-Hans"],
        read_languages=["zh-Hans"],
        ui_language="zh-hans",
        auto_translate=True,
    )
    UserFactory(handle="mae", display_name="Mae", languages=["en"], read_languages=["en"])
    lin = UserFactory(handle="lin", display_name="Lin", languages=["zh-Hans"])
    note = NoteFactory(
        author=mei, title="大理古城一日游", body="古城的夜晚很安静", language="zh-Hans"
    )
    welcome = services.comment_create(
        author=lin, note=note, body="欢迎来大理玩！", language="zh-Hans"
    )
    suggestion = translation_services.community_translation_suggest(
        user=lin, content=welcome, source_text=welcome.body, language="en", text="Welcome to Dali!"
    )
    translation_services.community_translation_accept(
        user=mei, suggestion=suggestion, content_author_id=mei.pk
    )
    noodles = services.comment_create(
        author=lin, note=note, body="牛肉面一定要试试", language="zh-Hans"
    )
    url = f"/notes/{note.pk}/"

    # The English reader.
    page = new_page()
    log_in(page, "mae", next_url=url)
    welcome_block = page.locator(f"#translation-comment-{welcome.pk}")
    expect(welcome_block.get_by_test_id("translation-text")).to_have_text("Welcome to Dali!")
    expect(welcome_block.get_by_test_id("translation-label")).to_have_text(
        "Community translation by @lin"
    )
    expect(welcome_block.get_by_test_id("translation-text")).to_have_attribute("lang", "en")
    # The other comment: a Translate button, then the machine translation.
    noodles_block = page.locator(f"#translation-comment-{noodles.pk}")
    noodles_block.get_by_test_id("translate").click()
    noodles_text = page.locator(f"#translation-comment-{noodles.pk}").get_by_test_id(
        "translation-text"
    )
    expect(noodles_text).to_have_text(fake_translation(noodles.body, "en"))
    expect(
        page.locator(f"#translation-comment-{noodles.pk}").get_by_test_id("translation-label")
    ).to_have_text("Machine translation · LibreTranslate")
    # "Show original" hides the translation, and brings it back.
    toggle = welcome_block.get_by_test_id("translation-toggle")
    toggle.click()
    expect(welcome_block.get_by_test_id("translation-text")).to_be_hidden()
    expect(toggle).to_have_text("Show translation")
    toggle.click()
    expect(welcome_block.get_by_test_id("translation-text")).to_be_visible()

    # The reply, in English.
    page.get_by_test_id("comment-input").fill(REPLY)
    page.get_by_test_id("comment-send").click()
    expect(page.get_by_test_id("comment-body").first).to_have_text(REPLY)

    # The author, with the interface in Chinese and auto-translate on.
    # (Signing in is done in English; once in, her interface language applies.)
    author_page = new_page()
    log_in(author_page, "mei", next_url=url)
    expect(author_page.locator("html")).to_have_attribute("lang", "zh-hans")
    reply_block = author_page.get_by_test_id("comment").first.get_by_test_id("translation")
    expect(reply_block.get_by_test_id("translation-text")).to_have_text(
        fake_translation(REPLY, "zh")
    )
    expect(reply_block.get_by_test_id("translation-text")).to_have_attribute("lang", "zh-Hans")
    # The badge counts the reply: Lin's two comments and Mae's reply.
    badge = author_page.locator("#unread-badge-nav")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("3 ")
