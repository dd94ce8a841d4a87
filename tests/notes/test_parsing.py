"""Hashtags and @mentions in the forms English and Chinese speakers type them."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from notes.parsing import (
    has_control_characters,
    hashtag_normalize,
    hashtag_spans,
    hashtags_parse,
    mentions_parse,
)

# (text, {normalised name: display form}) — every form in the issue, in both languages.
HASHTAG_CASES = [
    # Plain tags, Latin and CJK.
    ("#tiktokrefugee", {"tiktokrefugee": "tiktokrefugee"}),
    ("#小红书", {"小红书": "小红书"}),
    ("joined today #tiktokrefugee #cattax", {"tiktokrefugee": "tiktokrefugee", "cattax": "cattax"}),
    ("#上海 and #Shanghai", {"上海": "上海", "shanghai": "Shanghai"}),
    ("#1990s fashion", {"1990s": "1990s"}),
    ('(#paren), "#quoted"', {"paren": "paren", "quoted": "quoted"}),
    ("#tag, then more", {"tag": "tag"}),
    ("#café", {"café": "café"}),
    # Full-width ＃, and full-width letters folded by NFKC.
    ("＃穿搭", {"穿搭": "穿搭"}),
    ("＃ＯＯＴＤ", {"ootd": "ＯＯＴＤ"}),
    ("#ＴｉｋＴｏｋ", {"tiktok": "ＴｉｋＴｏｋ"}),
    # RedNote's topic form, also with full-width marks and glued to Chinese text.
    ("#上海citywalk[话题]#", {"上海citywalk": "上海citywalk"}),
    ("今天去了#苏州园林[话题]#", {"苏州园林": "苏州园林"}),
    ("#日落[话题]#今天", {"日落": "日落"}),
    ("＃苏州园林［话题］＃", {"苏州园林": "苏州园林"}),
    ("#旅行日记[话题]# #旅行日记[话题]#", {"旅行日记": "旅行日记"}),
    # Weibo's closed form.
    ("#话题#", {"话题": "话题"}),
    ("#今日穿搭# 好看", {"今日穿搭": "今日穿搭"}),
    ("看#日落#了", {"日落": "日落"}),
    # Case folding: one tag whatever the case; the first display form is kept.
    ("#TikTokRefugee", {"tiktokrefugee": "TikTokRefugee"}),
    ("#TikTokRefugee #tiktokrefugee #TIKTOKREFUGEE", {"tiktokrefugee": "TikTokRefugee"}),
    ("#Café #CAFÉ", {"café": "Café"}),
    # Composed or decomposed (e + U+0301): one tag, displayed composed (NFC).
    ("#Cafe\u0301 #Café", {"café": "Café"}),
    ("#नमस्ते।", {"नमस्ते": "नमस्ते"}),  # Indic vowel signs are part of the tag, the danda not
    # Not hashtags.
    ("C#", {}),
    ("I write C# and F#", {}),
    ("https://example.com/page#section", {}),
    ("see example.com/#top", {}),
    ("it&#39;s", {}),
    ("&#x27;", {}),
    ("#1", {}),
    ("#2024", {}),
    ("foo#bar", {}),
    ("#_", {}),
    ("# spaced", {}),
    ("", {}),
]


@pytest.mark.parametrize(("text", "expected"), HASHTAG_CASES)
def test_hashtags_parse_cases(text, expected):
    assert hashtags_parse(text) == expected


def test_hashtags_parse_keeps_order_of_first_appearance_across_texts():
    assert list(hashtags_parse("#b title", "body #a #b #c")) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("TikTokRefugee", "tiktokrefugee"),
        ("ＴｉｋＴｏｋ", "tiktok"),
        ("Straße", "strasse"),
        ("小红书", "小红书"),
    ],
)
def test_hashtag_normalize_nfkc_and_casefold(typed, normalised):
    assert hashtag_normalize(typed) == normalised


def test_hashtags_parse_finds_every_tag_and_the_services_enforce_the_limit():
    text = " ".join(f"#t{i}x" for i in range(40))
    assert len(hashtags_parse(text)) == 40


def test_hashtag_normalize_folds_composed_and_decomposed_letters_alike():
    assert hashtag_normalize("Cafe\u0301") == hashtag_normalize("CAFÉ") == "café"


@pytest.mark.parametrize(
    ("text", "line_breaks", "found"),
    [
        ("plain text", True, False),
        ("lines\r\nand\ttabs", True, False),
        ("lines\nin a title", False, True),
        ("NUL \x00", True, True),
        ("escape \x1b", True, True),
        ("DEL \x7f and C1 \x85", True, True),
    ],
)
def test_has_control_characters(text, line_breaks, found):
    assert has_control_characters(text, line_breaks=line_breaks) is found


def test_hashtag_spans_cover_the_markers_of_the_topic_form():
    text = "去了#苏州园林[话题]#真好"
    (span,) = hashtag_spans(text)
    assert text[span.start : span.end] == "#苏州园林[话题]#"
    assert (span.value, span.display) == ("苏州园林", "苏州园林")


MENTION_CASES = [
    ("@alice hi", ["alice"]),
    ("cc @Bob_1.", ["Bob_1"]),
    ("(@alice), @bob!", ["alice", "bob"]),
    ("你好@alice", ["alice"]),
    ("谢谢@alice的推荐", ["alice"]),
    ("@alice and @ALICE", ["alice"]),
    ("@alice\nnext line", ["alice"]),
    # Not mentions: e-mail addresses, URLs, too short, doubled.
    ("write to alice@example.com", []),
    ("a.b@c.com and x+y@z.com and a-b@c.com", []),
    ("我@qq.com", []),
    ("@alice@example.com", []),
    ("https://x.com/@alice", []),
    ("@a", []),
    ("@@alice", []),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_mentions_parse_cases(text, expected):
    assert mentions_parse(text) == expected


def _seed_texts() -> list[str]:
    data = json.loads((Path(settings.BASE_DIR) / "demo" / "seed.json").read_text("utf-8"))
    texts: list[str] = []
    for item in [*data["notes"], *data["comments"]]:
        texts += [item.get("title", ""), item.get("body", "")]
        translation = item.get("translation") or {}
        texts += [translation.get("title", ""), translation.get("body", "")]
    return [t for t in texts if t]


def test_every_hashtag_in_the_demo_dataset_parses():
    texts = _seed_texts()
    unparsed = []
    tagged = 0
    for text in texts:
        covered: set[int] = set()
        for span in hashtag_spans(text):
            covered.update(range(span.start, span.end))
        marks = [i for i, ch in enumerate(text) if ch in "#＃"]
        tagged += bool(marks)
        unparsed += [text[max(0, i - 15) : i + 25] for i in marks if i not in covered]
    assert tagged > 50, "the dataset should be full of tags"
    assert unparsed == []


def test_demo_dataset_tag_forms_are_all_present():
    # The dataset exercises every form the parser promises; if it stops doing so, this test
    # says which form lost its coverage.
    joined = "\n".join(_seed_texts())
    assert "[话题]#" in joined
    assert "＃" in joined
    assert any(span.display.isascii() for text in _seed_texts() for span in hashtag_spans(text))
