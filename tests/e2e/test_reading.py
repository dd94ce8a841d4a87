"""Browser, on a phone-size window: reading aids with no translation provider. An English
reader turns on pinyin on a Chinese note (银行 → yín háng above the characters), taps a word
and reads its gloss in a bottom sheet that fits the screen, and moves through the words with
the keyboard; a reader with the interface in Chinese taps "no cap", underlined in an English
comment, and reads its Chinese explanation; a Simplified Chinese reader sees a Traditional
Chinese comment converted, and "Show original" brings back what was written."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from feeds.ranking import discover_ranks_recompute
from notes import services
from tests.factories import NoteFactory, UserFactory
from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import glossary_changed

from .conftest import PHONE
from .test_notes import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def note(db):
    author = UserFactory(
        handle="mei", display_name="Mei", languages=["zh-Hans"], read_languages=["zh-Hans"]
    )
    return NoteFactory(
        author=author, title="周末", body="今天去银行取钱，顺便喝了奶茶。", language="zh-Hans"
    )


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def test_pinyin_and_a_word_gloss_on_a_phone(new_page, note):
    UserFactory(handle="mae", languages=["en"], read_languages=["en"])
    url = f"/notes/{note.pk}/"
    page = new_page(viewport=PHONE)
    log_in(page, "mae", next_url=url)
    page.wait_for_url(f"**{url}", wait_until="load")
    block = page.locator(f"#reading-note-{note.pk}")
    word = block.locator('.rd-w[data-gloss="银行"]')
    rt = word.locator("rt").first
    expect(rt).to_be_hidden()

    toggle = block.get_by_test_id("pinyin-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(rt).to_be_visible()
    expect(word.locator("rt")).to_have_text(["yín", "háng"])
    # Above its character.
    yin = word.locator("ruby").first
    assert _box(rt)["y"] + _box(rt)["height"] <= _box(yin)["y"] + _box(yin)["height"] / 2
    # The page still fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    word.click()
    popover = page.get_by_test_id("reading-popover")
    expect(popover).to_be_visible()
    expect(popover.get_by_test_id("reading-popover-title")).to_have_text("银行")  # no pinyin
    expect(popover.get_by_test_id("gloss-entry").first).to_contain_text("yín háng")
    expect(popover.get_by_test_id("gloss-entry").first).to_contain_text("bank")
    expect(word).to_have_attribute("aria-expanded", "true")
    sheet = _box(popover)
    assert sheet["x"] >= 0 and sheet["x"] + sheet["width"] <= PHONE["width"]
    assert sheet["y"] + sheet["height"] <= PHONE["height"] + 1
    # Tapping elsewhere closes it.
    page.get_by_test_id("note-author").locator("xpath=..").click(position={"x": 1, "y": 1})
    expect(popover).to_be_hidden()

    # Turned off again: no pinyin.
    toggle.click()
    expect(rt).to_be_hidden()


def test_the_words_are_one_tab_stop_with_arrow_keys(new_page, note):
    url = f"/notes/{note.pk}/"
    page = new_page(locale="en-US")
    page.goto(url)
    page.wait_for_url(f"**{url}", wait_until="load")
    block = page.locator(f"#reading-note-{note.pk}")
    words = block.locator(".rd-w")
    # One word of the block takes the tab stop; the others wait for the arrow keys.
    expect(block.locator('.rd-w[tabindex="0"]')).to_have_count(1)
    first = words.first
    first.focus()
    page.keyboard.press("ArrowRight")
    second = words.nth(1)
    expect(second).to_be_focused()
    expect(second).to_have_attribute("tabindex", "0")
    expect(first).to_have_attribute("tabindex", "-1")
    page.keyboard.press("End")
    expect(words.last).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    # Enter opens the gloss; Escape closes it and gives the focus back to the word.
    page.keyboard.press("Enter")
    popover = page.get_by_test_id("reading-popover")
    expect(popover).to_be_visible()
    expect(popover).to_be_focused()
    expect(popover.get_by_test_id("gloss-card")).to_be_visible()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(first).to_be_focused()
    page.keyboard.press(" ")
    expect(popover).to_be_visible()


def test_a_chinese_reader_taps_english_slang(new_page, note):
    GlossaryTerm.objects.create(
        term="no cap",
        language="en",
        explanation_en="For real; not lying.",
        explanation_zh="说真的，不骗你。",
        example="Best noodles in town, no cap.",
        status=GlossaryStatus.APPROVED,
    )
    glossary_changed()
    comment = services.comment_create(
        author=UserFactory(handle="mae"),
        note=note,
        body="This milk tea is the best, no cap",
        language="en",
    )
    UserFactory(
        handle="lin", languages=["zh-Hans"], read_languages=["zh-Hans"], ui_language="zh-hans"
    )
    url = f"/notes/{note.pk}/"
    page = new_page(viewport=PHONE)
    log_in(page, "lin", next_url=url)
    page.wait_for_url(f"**{url}", wait_until="load")
    slang = page.locator(f"#reading-comment-{comment.pk} .rd-slang")
    expect(slang).to_have_text("no cap")
    # Underlined (dotted), and tapping it explains it in Chinese.
    assert slang.evaluate("el => getComputedStyle(el).textDecorationStyle") == "dotted"
    slang.click()
    popover = page.get_by_test_id("reading-popover")
    expect(popover.get_by_test_id("slang-explanation")).to_have_text("说真的，不骗你。")
    expect(popover).to_contain_text("no cap")
    expect(popover.get_by_test_id("slang-glossary-link")).to_have_attribute(
        "href", "/glossary/?q=no+cap"
    )
    sheet = _box(popover)
    assert sheet["x"] >= 0 and sheet["x"] + sheet["width"] <= PHONE["width"]
    popover.get_by_test_id("reading-popover-close").click()
    expect(popover).to_be_hidden()
    # An English word in the same comment: its Chinese senses from the reverse index.
    page.locator(f'#reading-comment-{comment.pk} .rd-w[data-gloss="tea"]').click()
    expect(popover.get_by_test_id("reading-popover-title")).to_have_text("tea")
    expect(popover.get_by_test_id("gloss-entry").first).to_contain_text("茶")


def test_a_traditional_comment_converted_with_the_original_at_hand(new_page, note):
    comment = services.comment_create(
        author=UserFactory(handle="yuting", languages=["zh-Hant"]),
        note=note,
        body="推薦你裝一個可以拍照查字的軟體，網路上資訊很多",
        language="zh-Hant",
    )
    UserFactory(
        handle="lin", languages=["zh-Hans"], read_languages=["zh-Hans"], ui_language="zh-hans"
    )
    url = f"/notes/{note.pk}/"
    page = new_page(viewport=PHONE)
    log_in(page, "lin", next_url=url)
    page.wait_for_url(f"**{url}", wait_until="load")
    block = page.locator(f"#reading-comment-{comment.pk}")
    shown = block.get_by_test_id("comment-body")
    original = block.get_by_test_id("comment-original")
    expect(shown).to_contain_text("推荐你装一个可以拍照查字的软件，网络上信息很多")
    expect(original).to_be_hidden()
    with translation.override("zh-hans"):
        label = translation.gettext("Converted from Traditional Chinese")
    expect(block.get_by_test_id("reading-converted")).to_have_text(label)
    toggle = block.get_by_test_id("reading-show-original")
    toggle.click()
    expect(original).to_be_visible()
    expect(original).to_contain_text("推薦你裝一個可以拍照查字的軟體，網路上資訊很多")
    expect(shown).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(shown).to_be_visible()
    expect(original).to_be_hidden()
    # No machine translation is offered for it.
    expect(page.locator(f"#translation-comment-{comment.pk}")).to_have_count(0)


def test_in_the_discover_overlay_escape_closes_the_gloss_before_the_note(new_page, note):
    discover_ranks_recompute(since=None)
    page = new_page(locale="en-US")
    page.goto("/")
    page.locator(f'.note-card[data-note-id="{note.pk}"] .note-card-title').click()
    overlay = page.get_by_test_id("note-overlay")
    word = overlay.locator(f'#reading-note-{note.pk} .rd-w[data-gloss="银行"]')
    word.click()
    popover = overlay.get_by_test_id("reading-popover")  # inside the dialog, not behind it
    expect(popover.get_by_test_id("gloss-entry").first).to_contain_text("bank")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(overlay).to_be_visible()
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
