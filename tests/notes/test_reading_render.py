"""Rendering a text with its reading aids (`notes.templatetags.notes_text.reading_html`):
per-character pinyin ruby, tappable glossed words, underlined slang with its explanation in the
interface's language, hashtags and mentions still linked (segments clipped at their edges),
a script conversion shown plainly, and everything escaped."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from notes.reading import TextReading
from notes.templatetags.notes_text import note_text, reading_html
from translations.reading import Reading, Segment


def _reading(segments, *, language="zh-Hans", converted=None):
    text = "".join(s.text for s in segments)
    return Reading(
        text=text, language=language, segments=tuple(segments), script_converted=converted
    )


def _text(segments, *, annotate=True, original=None, terms=None, **kwargs):
    reading = _reading(segments, **kwargs)
    return TextReading(
        reading=reading,
        annotate=annotate,
        original=reading.text if original is None else original,
        original_language=kwargs.get("language", "zh-Hans"),
        terms=terms or {},
    )


def _term(pk=7, **fields):
    values = {
        "term": "no cap",
        "pinyin": "",
        "explanation_en": "For real, not lying.",
        "explanation_zh": "说真的，不骗你。",
        "example": "This is the best noodle shop, no cap.",
    }
    values.update(fields)
    return SimpleNamespace(pk=pk, **values)


def test_chinese_words_get_ruby_per_character_and_glossed_words_are_tappable():
    html = reading_html(
        _text(
            [
                Segment("我", ("wǒ",), "我"),
                Segment("去"),
                Segment("银行", ("yín", "háng"), "银行"),
                Segment("。"),
            ]
        ),
        chinese=False,
    )
    assert (
        '<span class="rd-w" role="button" tabindex="-1" aria-haspopup="dialog" data-gloss="银行">'
        "<ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby></span>"
    ) in html
    # A word without a gloss is its text (no tap target); punctuation stays as it is.
    assert "</span>去<span" in html and html.endswith("</span>。")
    assert html.count('class="rd-w"') == 2


def test_pinyin_that_does_not_match_the_characters_is_one_ruby_over_the_word():
    html = reading_html(_text([Segment("A股", ("gǔ",), "A股")]), chinese=False)
    # One Han character, one syllable: the letter stays outside the ruby.
    assert "A<ruby>股<rt>gǔ</rt></ruby>" in html
    html = reading_html(_text([Segment("银行", ("yínháng",), None)]), chinese=False)
    assert html == "<ruby>银行<rt>yínháng</rt></ruby>"


def test_hashtags_and_mentions_stay_links_and_segments_are_clipped_at_their_edges(user):
    # The engine's segments know nothing of links: "行#银" crosses the hashtag's start.
    segments = [
        Segment("去银", ("qù", "yín"), "去银"),
        Segment("行#银", ("háng", "yín"), "行银"),
        Segment("行", ("háng",), "行"),
        Segment(" @alice "),
        Segment("钱", ("qián",), "钱"),
    ]
    html = reading_html(_text(segments), [user], chinese=False)
    tag_url = reverse("feeds:tag", kwargs={"name": "银行"})
    assert f'<a class="hashtag" href="{tag_url}">#银行</a>' in html
    assert f'<a class="mention" href="{user.get_absolute_url()}">@alice</a>' in html
    # The clipped word keeps the pinyin of its characters, not its gloss.
    assert '<ruby>行<rt>háng</rt></ruby><a class="hashtag"' in html
    assert 'data-gloss="行银"' not in html
    assert 'data-gloss="去银"' in html and 'data-gloss="钱"' in html
    # Without links (a note's title), the same text is all segments.
    plain = reading_html(_text(segments), [user], links=False, chinese=False)
    assert "<a " not in plain and 'data-gloss="行银"' in plain


def test_slang_is_underlined_with_the_explanation_in_the_interface_language():
    term = _term()
    segments = [Segment("this slaps, "), Segment("no cap", (), None, 7), Segment(".")]
    english = reading_html(_text(segments, language="en", terms={7: term}), chinese=False)
    assert 'class="rd-slang"' in english
    assert 'data-slang-term="no cap"' in english
    assert 'data-slang-text="For real, not lying."' in english
    chinese = reading_html(_text(segments, language="en", terms={7: term}), chinese=True)
    assert 'data-slang-text="说真的，不骗你。"' in chinese
    # No explanation in the reader's language: the other one rather than nothing.
    half = _term(explanation_zh="")
    assert 'data-slang-text="For real, not lying."' in reading_html(
        _text(segments, language="en", terms={7: half}), chinese=True
    )
    # A term that is no longer approved (not in `terms`) is plain text.
    assert "rd-slang" not in reading_html(_text(segments, language="en"), chinese=True)


def test_slang_links_to_its_entry_in_the_glossary():
    glossary = reverse("translations:glossary")
    segments = [Segment("no cap", (), None, 7)]
    html = reading_html(_text(segments, language="en", terms={7: _term()}), chinese=False)
    assert f'data-slang-url="{glossary}?q=no+cap"' in html


def test_everything_from_the_text_and_the_glossary_is_escaped():
    evil = '<script>alert("x")</script>'
    term = _term(
        term='"><script>',
        explanation_en=evil,
        explanation_zh=evil,
        example='" onmouseover="x',
        pinyin="<b>",
    )
    segments = [
        Segment("<b>", (), None),
        Segment('"bank"', (), '"><img src=x>'),
        Segment("银<行", ("yín", "háng"), "银<行"),
        Segment(evil, (), None, 7),
        Segment("\nnext line"),
    ]
    html = reading_html(_text(segments, language="en", terms={7: term}), chinese=False)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'data-gloss="&quot;&gt;&lt;img src=x&gt;"' in html
    assert 'data-slang-example="&quot; onmouseover=&quot;x"' in html
    assert "<ruby>银<rt>yín</rt></ruby>&lt;<ruby>行<rt>háng</rt></ruby>" in html
    assert html.endswith("<br>next line")


def test_a_conversion_without_aids_is_plain_text_and_links_to_the_tag_as_written():
    # zh-Hant "好用的軟體 #軟體" shown to a zh-Hans reader: "好用的软件 #软件".
    segments = [
        Segment("好用", ("hǎo", "yòng"), "好用"),
        Segment("的软件 #软件"),
    ]
    text = _text(segments, annotate=False, original="好用的軟體 #軟體", converted="zh-Hant")
    html = reading_html(text, chinese=True)
    original_tag = reverse("feeds:tag", kwargs={"name": "軟體"})
    assert html == f'好用的软件 <a class="hashtag" href="{original_tag}">#软件</a>'
    assert "<ruby>" not in html


def test_note_text_is_unchanged(user):
    html = note_text("hi @alice #tag <b>\nbye", [user])
    assert html == (
        f'hi <a class="mention" href="{user.get_absolute_url()}">@alice</a> '
        f'<a class="hashtag" href="{reverse("feeds:tag", kwargs={"name": "tag"})}">#tag</a> '
        "&lt;b&gt;<br>bye"
    )


@pytest.mark.django_db
def test_the_engine_and_the_page_count_the_same_characters_as_han():
    # 〇 (the ideographic zero) is not one of the engine's Han characters and so has no
    # syllable: the page still gives each character of the word its own ruby.
    from translations.reading import reading_annotate

    reading = reading_annotate("二〇二五年去银行", "zh-Hans")
    html = reading_html(
        TextReading(
            reading=reading,
            annotate=True,
            original=reading.text,
            original_language="zh-Hans",
            terms={},
        )
    )
    assert "<ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>" in html
    assert "<rt>" in html and " </rt>" not in html and "<rt></rt>" not in html
    assert html.count("<ruby>") == html.count("<rt>") == 7  # 二 二 五 年 去 银 行
