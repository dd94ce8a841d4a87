"""Language detection (translations.detection) on short texts of every configured language,
mixed texts, and every note and comment of the demo data against its hand-given language."""

import json
from pathlib import Path

import pytest

from translations.detection import Detection, chinese_script, language_detect

ALL = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
SEED = Path(__file__).resolve().parents[2] / "demo" / "seed.json"


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.CONTENT_LANGUAGES = ALL


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("你好", "zh-Hans"),
        ("好吃！", "zh-Hans"),
        ("这个真的太好吃了", "zh-Hans"),
        ("谢谢你们", "zh-Hans"),
        ("這個真的太好吃了", "zh-Hant"),
        ("謝謝你們", "zh-Hant"),
        ("台灣的夜市好熱鬧", "zh-Hant"),
        ("so cute", "en"),
        ("lol", "en"),
        ("where is this place?", "en"),
        ("今日はいい天気ですね", "ja"),
        ("かわいい", "ja"),
        ("東京に行きたい", "ja"),
        ("안녕하세요", "ko"),
        ("정말 맛있어요", "ko"),
    ],
)
def test_language_detect_short_texts(text, language):
    assert language_detect(text) == Detection(language=language, mixed=False, main=language)


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("太好了 so cute", "zh-Hans"),
        ("so proud of you today, 加油加油！", "en"),
        ("懂了！你的评论 ate，no cap", "zh-Hans"),
        ("太好吃了 where is this?", "zh-Hans"),
    ],
)
def test_language_detect_mixed_text_has_a_main_language(text, main):
    detection = language_detect(text)
    assert (detection.mixed, detection.main, detection.language) == (True, main, main)
    assert detection.stored == "mixed"


def test_a_chinese_word_in_an_english_paragraph_is_not_mixed():
    text = (
        "okay so I just downloaded this app and everyone says you have to pay the cat tax "
        "when you arrive, so here is Pickles, professional windowsill loaf. she says 你好."
    )
    assert language_detect(text) == Detection(language="en", main="en")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😂😂😂",
        "666",
        "ok",
        "https://example.com/photo?id=3",
        "#tiktokrefugee #猫咪 @alice_w",
        "#美食[话题]# 👍",
    ],
)
def test_language_detect_is_unsure_without_enough_letters(text):
    detection = language_detect(text)
    assert detection == Detection(language=None)
    assert detection.stored == ""


def test_tags_mentions_links_and_emoji_are_ignored():
    text = "太好吃了😋 #foodie #yummy #instafood @nyc_noodlegirl https://example.com/menu"
    assert language_detect(text) == Detection(language="zh-Hans", main="zh-Hans")


def test_pinyin_is_not_counted_as_english():
    assert language_detect("叫ròu jiā mó！意思是肉夹在馍里").stored == "zh-Hans"


def test_a_stray_kana_in_chinese_text_stays_chinese():
    assert language_detect("今天也是被我の猫治愈的一天").language == "zh-Hans"


@pytest.mark.parametrize(
    ("han", "script"),
    [("我们这里的猫", "Hans"), ("我們這裡的貓", "Hant"), ("你好", "Hans"), ("", "Hans")],
)
def test_chinese_script(han, script):
    assert chinese_script(han) == script


def test_only_configured_languages_are_answered(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans"]
    assert language_detect("這個真的太好吃了").language == "zh-Hans"  # the one Chinese there is
    assert language_detect("안녕하세요").language is None
    settings.CONTENT_LANGUAGES = ["zh-Hant"]
    assert language_detect("这个真的太好吃了").language == "zh-Hant"
    assert language_detect("hello there friends").language is None


def test_several_alphabetic_languages_are_told_apart_by_lingua(settings):
    settings.CONTENT_LANGUAGES = ["en", "fr", "de", "zh-Hans"]
    assert language_detect("where is the best noodle place in town?").language == "en"
    assert language_detect("où est le meilleur restaurant de la ville ?").language == "fr"
    assert language_detect("wo ist das beste Restaurant der Stadt?").language == "de"
    mixed = language_detect("这家店真的太好吃了 c'est magnifique")
    assert (mixed.main, mixed.mixed) == ("zh-Hans", True)
    # Slang lingua cannot place among the three still makes the Chinese text mixed.
    assert language_detect("懂了！你的评论 ate，no cap 😂").stored == "mixed"


def _seed_items():
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    for note in seed["notes"]:
        yield f"{note['title']}\n{note['body']}", note["language"]
    for comment in seed["comments"]:
        yield comment["body"], comment["language"]


def test_demo_data_languages_are_detected():
    """Every note (title and body) and comment of the demo data against the language its
    writer gave it. 333 of 348 (95.7%) agree; the rest are judgement calls about how much
    quoted Chinese makes an English comment mixed ("毛孩子 is so sweet" is given as English,
    "谢谢 uncle!! this made my day" as mixed). No main language is ever wrong: an item given as
    English or Chinese is detected as that language or as mixed, never as the other."""
    items = list(_seed_items())
    assert len(items) == 348
    detected = [(language_detect(text), given) for text, given in items]
    agree = sum(found.stored == given for found, given in detected)
    assert agree / len(items) >= 0.95
    for found, given in detected:
        assert found.language in ("en", "zh-Hans")
        if given != "mixed":
            assert found.language == given or found.mixed
