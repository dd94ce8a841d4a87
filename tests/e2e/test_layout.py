"""Layout checks in a real browser, at a phone's and a desktop's width."""

import pytest

from tests.e2e.conftest import PHONE
from tests.factories import NoteFactory

pytestmark = pytest.mark.e2e


def _platform_fonts(page, selector: str) -> list[str]:
    """The font families Chromium actually drew `selector`'s text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [
        font["familyName"]
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    ]


def test_landscape_photo_fills_the_desktop_note_page(page, db):
    note = NoteFactory(images__width=1080, images__height=810, title="Fourteen hours of smoke")
    page.goto(note.get_absolute_url())
    media = page.locator(".note-media").bounding_box()
    detail = page.locator("[data-testid=note-detail]").bounding_box()
    # The pane has the photo's 4:3 shape, and the page is no taller than the pane: no bands.
    assert media["width"] / media["height"] == pytest.approx(4 / 3, rel=0.02)
    assert detail["height"] == pytest.approx(media["height"] + 2, abs=2)  # plus the borders


def test_latin_text_is_drawn_with_a_latin_face_and_chinese_with_a_cjk_one(page, db):
    english = NoteFactory(title="Y’all’s brisket", language="en")
    page.goto(english.get_absolute_url())
    fonts = _platform_fonts(page, "[data-testid=note-title]")
    assert fonts and not any("CJK" in family for family in fonts), fonts

    chinese = NoteFactory(title="成都火锅", language="zh-Hans")
    page.goto(chinese.get_absolute_url())
    # An English visitor gets reading aids on it: each character is in its own <ruby>.
    fonts = _platform_fonts(page, "[data-testid=note-title] ruby")
    assert any("CJK" in family or "Han" in family for family in fonts), fonts


def test_phone_tab_bar_has_room_for_every_entry(new_page, db):
    page = new_page(viewport=PHONE)
    page.goto("/")
    tabs = page.locator(".tabbar .tab")
    assert tabs.count() == 5  # Discover, Following, Post, Inbox, Me
    width = PHONE["width"]
    for i in range(tabs.count()):
        box = tabs.nth(i).bounding_box()
        assert box["x"] >= 8 and box["x"] + box["width"] <= width - 8
        assert tabs.nth(i).locator("svg").first.bounding_box()["height"] >= 20
    for label in page.locator(".tabbar .tab span").all():
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth"), label.inner_text()


def test_search_hint_fits_a_phone(new_page, db):
    for viewport, language in (
        (PHONE, "en-US"),
        (PHONE, "zh-CN"),
        ({"width": 1280, "height": 800}, "en-US"),
    ):
        page = new_page(viewport=viewport, locale=language)
        page.goto("/")
        search = page.locator("#site-search")
        fits = search.evaluate(
            """el => {
                const style = getComputedStyle(el);
                const ctx = document.createElement("canvas").getContext("2d");
                ctx.font = style.font;
                const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
                const room = el.clientWidth - padding;
                return ctx.measureText(el.placeholder).width <= room;
            }"""
        )
        assert fits, (viewport, language, search.get_attribute("placeholder"))
