import json
from pathlib import Path

import pytest

from translations.reading import (
    Reading,
    Segment,
    _scripts,
    reading_annotate,
    reading_annotate_many,
)

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "demo" / "seed.json"


def words(reading: Reading) -> dict[str, str]:
    """Each annotated segment's text → its pinyin, syllables joined by spaces."""
    return {s.text: " ".join(s.pinyin) for s in reading.segments if s.pinyin}


@pytest.mark.parametrize(
    ("sentence", "word", "pinyin"),
    [
        ("我明天去银行取钱。", "银行", "yín háng"),
        ("他每天在公园里行走。", "行走", "xíng zǒu"),
        ("孩子们都长大了。", "长大", "zhǎng dà"),
        ("我们去爬长城吧。", "长城", "cháng chéng"),
        ("这件事很重要。", "重要", "zhòng yào"),
        ("我们重新开始吧。", "重新", "chóng xīn"),
        ("我喜欢听音乐。", "音乐", "yīn yuè"),
        ("我今天很快乐。", "快乐", "kuài lè"),
        ("我想早点睡觉。", "睡觉", "shuì jiào"),
        ("我觉得这个很好。", "觉得", "jué de"),
        ("你要茶还是咖啡？", "还是", "hái shi"),
    ],
)
def test_reading_annotate_polyphones_in_context(sentence, word, pinyin):
    reading = reading_annotate(sentence, "zh-Hans")
    assert words(reading)[word] == pinyin


def test_reading_annotate_particles_read_as_particles():
    reading = reading_annotate("我的猫跑得很快，它高兴地吃完了。", "zh-Hans")
    particles = {s.text: s.pinyin for s in reading.segments if s.text in "的得地了"}
    assert particles == {"的": ("de",), "得": ("de",), "地": ("de",), "了": ("le",)}


def test_reading_annotate_neutral_tone_has_no_mark():
    reading = reading_annotate("觉得", "zh-Hans")
    assert reading.segments == (Segment("觉得", ("jué", "de"), "觉得"),)


def test_reading_annotate_traditional_text_reads_and_glosses_as_written():
    reading = reading_annotate("我在銀行工作", "zh-Hant")
    bank = next(s for s in reading.segments if s.text == "銀行")
    assert bank.pinyin == ("yín", "háng")
    assert bank.gloss_id == "銀行"


def test_reading_annotate_chinese_gloss_ids_and_plain_punctuation():
    reading = reading_annotate("银行，2024年！", "zh-Hans")
    by_text = {s.text: s for s in reading.segments}
    assert by_text["银行"].gloss_id == "银行"
    assert by_text["，2024"].gloss_id is None
    assert by_text["，2024"].pinyin == ()
    assert by_text["年"].pinyin == ("nián",)


def test_reading_annotate_words_jieba_makes_up_are_split_into_known_words():
    reading = reading_annotate("他跑得快", "zh-Hans")
    assert [s.text for s in reading.segments] == ["他", "跑", "得", "快"]
    assert all(s.gloss_id for s in reading.segments)


def test_reading_annotate_english_lemmas():
    reading = reading_annotate("The banks were walking; cats jumped, running.", "en")
    gloss = {s.text: s.gloss_id for s in reading.segments if s.gloss_id}
    assert gloss["banks"] == "bank"
    assert gloss["walking"] == "walk"
    assert gloss["cats"] == "cat"
    assert gloss["jumped"] == "jump"
    assert gloss["running"] == "run"
    assert all(s.pinyin == () for s in reading.segments)
    # Spaces and punctuation are plain segments between the words.
    assert Segment("; ") in reading.segments


def test_reading_annotate_unknown_english_word_has_no_gloss():
    reading = reading_annotate("xyzzyplugh", "en")
    assert reading.segments == (Segment("xyzzyplugh"),)


def test_reading_annotate_mixed_text_reads_han_as_chinese_and_latin_as_english():
    for language in ("mixed", "", "zh-Hans", "en"):
        reading = reading_annotate("周末去citywalk，banks很多", language)
        by_text = {s.text: s for s in reading.segments}
        assert by_text["周末"].pinyin == ("zhōu", "mò")
        assert by_text["banks"].gloss_id == "bank"
        assert "".join(s.text for s in reading.segments) == "周末去citywalk，banks很多"


@pytest.mark.parametrize("language", ["ja", "ko", "fr", "xx-Yyyy"])
def test_reading_annotate_other_languages_are_one_plain_segment(language):
    text = "東京の銀行へ行きます。 bank"
    reading = reading_annotate(text, language)
    assert reading.segments == (Segment(text),)
    assert reading.language == language


def test_reading_annotate_empty_text():
    reading = reading_annotate("", "zh-Hans")
    assert reading.segments == ()
    assert reading.as_json() == {"language": "zh-Hans", "segments": []}


def test_reading_annotate_converts_script_first():
    reading = reading_annotate("我的軟體和滑鼠", "zh-Hant", convert_to="zh-Hans")
    assert reading.text == "我的软件和鼠标"
    assert reading.language == "zh-Hans"
    assert reading.script_converted == "zh-Hant"
    software = next(s for s in reading.segments if s.text == "软件")
    assert software.pinyin == ("ruǎn", "jiàn")
    # Converting to the script the text is in already is no conversion.
    same = reading_annotate("软件", "zh-Hans", convert_to="zh-Hans")
    assert same.script_converted is None
    assert same.text == "软件"
    with pytest.raises(ValueError):
        reading_annotate("软件", "zh-Hans", convert_to="en")


def seed_texts() -> list[tuple[str, str]]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    texts = []
    for note in seed["notes"]:
        texts.append((note["title"], note["language"]))
        texts.append((note["body"], note["language"]))
        if note.get("translation"):
            texts.append((note["translation"]["body"], note["translation"]["lang"]))
    texts += [(c["body"], c["language"]) for c in seed["comments"]]
    return texts


def test_reading_annotate_segments_concatenate_to_the_text_on_the_demo_seed(approved_term):
    approved_term("yyds", "zh-Hans", ["YYDS", "永远的神"])
    approved_term("no cap", "en")
    approved_term("绝绝子", "zh-Hans")
    texts = seed_texts()
    assert len(texts) > 300
    for text, language in texts:
        for lang in (language, "mixed", "zh-Hant"):
            reading = reading_annotate(text, lang)
            assert "".join(s.text for s in reading.segments) == text
            assert all(s.text for s in reading.segments)
            for segment in reading.segments:
                if segment.pinyin:
                    han = [c for c in segment.text if "\u3400" <= c <= "\u9fff"]
                    assert len(segment.pinyin) == len(han), segment
        converted = reading_annotate(text, "zh-Hant", convert_to="zh-Hans")
        assert "".join(s.text for s in converted.segments) == converted.text


def test_reading_as_json_shapes():
    reading = reading_annotate("我爱银行 bank!", "zh-Hans")
    data = reading.as_json()
    assert data["language"] == "zh-Hans"
    assert "script_converted" not in data
    assert data["segments"][0] == {"text": "我", "pinyin": "wǒ", "gloss_id": "我"}
    assert {"text": "银行", "pinyin": "yínháng", "gloss_id": "银行"} in data["segments"]
    assert {"text": " "} in data["segments"]
    assert {"text": "bank", "gloss_id": "bank"} in data["segments"]
    assert {"text": "!"} in data["segments"]
    json.dumps(data)  # plain JSON
    converted = reading_annotate("軟體", "zh-Hant", convert_to="zh-Hans").as_json()
    assert converted == {
        "language": "zh-Hans",
        "segments": [{"text": "软件", "pinyin": "ruǎnjiàn", "gloss_id": "软件"}],
        "script_converted": "zh-Hant",
    }
    assert Segment("x", slang_id=3).as_json() == {"text": "x", "slang_id": 3}


def test_reading_annotate_many_matches_one_by_one():
    items = [("银行", "zh-Hans", None), ("banks", "en", None), ("銀行", "zh-Hant", "zh-Hans")]
    many = reading_annotate_many(items)
    assert many == [reading_annotate(t, lang, convert_to=c) for t, lang, c in items]
    assert many[2].text == "银行"


def test_reading_annotate_english_gloss_ids_are_their_own_lemmas():
    """A segment's gloss_id looks up as itself (dictionary_lookup lemmatises its query)."""
    from translations.reading._annotate import english_lemma

    seen = set()
    for text, language in seed_texts():
        for segment in reading_annotate(text, language).segments:
            if segment.gloss_id and segment.gloss_id.isascii():
                seen.add(segment.gloss_id)
                assert english_lemma(segment.gloss_id) == segment.gloss_id
    assert {"build", "bank", "cat"} & seen


def test_reading_annotate_converts_only_chinese():
    reading = reading_annotate("banks", "en", convert_to="zh-Hans")
    assert reading.script_converted is None
    assert reading.language == "en"
    unknown_script = reading_annotate("軟體", "zh", convert_to="zh-Hans")
    assert unknown_script.text == "软件"
    assert unknown_script.script_converted == "zh"


def test_reading_annotate_characters_standing_alone():
    reading = reading_annotate("这条路很长，校长说要切菜。", "zh-Hans")
    readings = {s.text: " ".join(s.pinyin) for s in reading.segments if s.pinyin}
    assert readings["长"] == "cháng"
    assert readings["校长"] == "xiào zhǎng"


def test_reading_annotate_characters_read_by_the_word_before():
    readings = words(reading_annotate("三只猫只吃鱼，豆汁儿配焦圈。", "zh-Hans"))
    segments = reading_annotate("三只猫只吃鱼", "zh-Hans").segments
    assert [s.pinyin for s in segments if s.text == "只"] == [("zhī",), ("zhǐ",)]
    assert readings["儿"] == "r"
    # Alone at the start of a run: its own reading.
    assert reading_annotate("只", "zh-Hans").segments[0].pinyin == ("zhǐ",)


def test_reading_annotate_never_crashes_and_keeps_the_text(approved_term):
    import random

    approved_term("no cap", "en")
    approved_term("绝绝子", "zh-Hans")
    approved_term("𪛖子", "zh-Hans")
    alphabet = (
        "银行長城觉得了的地得只儿軟體绝絕子 abcXYZ'’-_.,!?#@\n\t 0123 ｱｲｳ가나다é😀\u200b\ufeff"
        "\U00020000\U0002a6d6\u3007〇々"
    )
    han = _scripts.han_character()
    chooser = random.Random(10)
    for _ in range(300):
        text = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(1, 40)))
        for language in ("zh-Hans", "zh-Hant", "en", "mixed", "", "ja"):
            reading = reading_annotate(text, language)
            assert "".join(s.text for s in reading.segments) == text
            for segment in reading.segments:
                assert not segment.pinyin or len(segment.pinyin) == len(han.findall(segment.text))
                assert all(segment.pinyin)
        converted = reading_annotate(text, "zh-Hant", convert_to="zh-Hans")
        assert "".join(s.text for s in converted.segments) == converted.text
    assert reading_annotate("a\ud800b", "en").text == "a\ud800b"
