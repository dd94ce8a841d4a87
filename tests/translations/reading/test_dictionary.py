import pytest

from translations.reading import DictionaryEntry, dictionary_lookup, script_convert


def test_dictionary_lookup_chinese_word():
    result = dictionary_lookup("银行")
    assert result.direction == "zh-en"
    assert result.query == "银行"
    assert result.entries[0] == DictionaryEntry(
        simplified="银行",
        traditional="銀行",
        pinyin="yín háng",
        senses=("bank", "CL:家[jia1],個|个[ge4]"),
    )


def test_dictionary_lookup_traditional_headword():
    result = dictionary_lookup("銀行")
    assert [e.simplified for e in result.entries] == ["银行"]


def test_dictionary_lookup_polyphone_character_lists_every_reading():
    readings = {e.pinyin for e in dictionary_lookup("行").entries}
    assert {"háng", "xíng"} <= readings


@pytest.mark.parametrize(
    ("word", "chinese"),
    [("bank", "银行"), ("banks", "银行"), ("music", "音乐"), ("software", "软件"), ("cat", "猫")],
)
def test_dictionary_lookup_english_finds_chinese_among_the_first(word, chinese):
    result = dictionary_lookup(word, limit=5)
    assert result.direction == "en-zh"
    assert chinese in [e.simplified for e in result.entries]


def test_dictionary_lookup_english_ranks_exact_senses_first():
    entries = dictionary_lookup("walk", limit=10).entries
    for entry in entries[:3]:
        assert {"to walk", "walk"} & {s.lower() for s in entry.senses}


def test_dictionary_lookup_english_phrase():
    result = dictionary_lookup("ice cream", limit=3)
    assert "冰淇淋" in [e.simplified for e in result.entries]


def test_dictionary_lookup_limit():
    assert len(dictionary_lookup("walk", limit=2).entries) == 2


@pytest.mark.parametrize("query", ["xyzzyplugh", "𠀀𠀁𠀂", "qwrtzp banks"])
def test_dictionary_lookup_unknown_word_is_empty(query):
    assert dictionary_lookup(query).entries == ()


@pytest.mark.parametrize("query", ["", "   ", "x" * 65])
def test_dictionary_lookup_refuses_empty_and_overlong_queries(query):
    with pytest.raises(ValueError):
        dictionary_lookup(query)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("軟體", "软件"), ("資訊", "信息"), ("滑鼠", "鼠标"), ("我們的軟體", "我们的软件")],
)
def test_script_convert_both_ways(traditional, simplified):
    assert script_convert(traditional, "zh-Hant", "zh-Hans") == simplified
    assert script_convert(simplified, "zh-Hans", "zh-Hant") == traditional


def test_script_convert_same_script_and_bad_target():
    assert script_convert("软件", "zh-Hans", "zh-Hans") == "软件"
    long_text = "軟體" * 100
    assert script_convert(long_text, "zh-Hant", "zh-Hans") == "软件" * 100
    with pytest.raises(ValueError):
        script_convert("软件", "zh-Hans", "en")


@pytest.mark.parametrize(
    ("word", "first"),
    [
        ("bank", "银行"),
        ("friend", "朋友"),  # not 故, whose eighth sense is "friend"
        ("cute", "可爱"),  # a common word before a rare loanword
        ("eat", "吃"),  # "to eat; to consume": synonyms split
        ("hot pot", "火锅"),  # CC-CEDICT writes "hotpot"
        ("ice cream", "冰淇淋"),
    ],
)
def test_dictionary_lookup_english_best_first(word, first):
    assert dictionary_lookup(word).entries[0].simplified == first


def test_dictionary_lookup_english_ranks_archaic_and_name_senses_lower():
    beautiful = [e.simplified for e in dictionary_lookup("beautiful", limit=3).entries]
    assert "那" not in beautiful  # "(archaic) many/beautiful/how"
    beijing = [e.simplified for e in dictionary_lookup("Beijing", limit=2).entries]
    assert "北京" in beijing


def test_dictionary_lookup_ignores_punctuation_around_the_word():
    assert [e.simplified for e in dictionary_lookup("“银行。”").entries] == ["银行"]
    assert dictionary_lookup("bank,").entries[0].simplified == "银行"
    assert dictionary_lookup("“银行。”").query == "银行"


def test_a_words_entries_come_in_its_reading_first_and_proper_nouns_last():
    # CC-CEDICT lists 区 Ōu (a surname) before 区 qū "area", and 行 háng before xíng.
    assert [e.pinyin for e in dictionary_lookup("区").entries] == ["qū", "Ōu"]
    assert dictionary_lookup("行").entries[0].pinyin == "xíng"
    assert dictionary_lookup("重").entries[0].senses[0] == "heavy"
