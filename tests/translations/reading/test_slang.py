import pytest
from django.core.cache import cache

from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import (
    Segment,
    _annotate,
    glossary_changed,
    reading_annotate,
    slang_terms,
)

pytestmark = pytest.mark.django_db


def slang(text: str, language: str) -> list[tuple[str, int]]:
    return [(s.text, s.slang_id) for s in reading_annotate(text, language).segments if s.slang_id]


def test_slang_latin_terms_match_on_word_boundaries_only(approved_term):
    cap = approved_term("no cap", "en", ["nocap"])
    slay = approved_term("slay", "en")
    ick = approved_term("the ick", "en")
    text = "No cap, she will SLAY. The capital's slayer gave me the ick. nocap!"
    assert slang(text, "en") == [("No cap", cap.pk), ("SLAY", slay.pk), ("the ick", ick.pk)] + [
        ("nocap", cap.pk)
    ]
    assert slang("capital slayer slays recap", "en") == []


def test_slang_multi_word_term_spans_any_spaces(approved_term):
    cap = approved_term("no cap", "en")
    reading = reading_annotate("that's facts no  cap fr", "en")
    assert Segment("no  cap", (), None, cap.pk) in reading.segments


def test_slang_chinese_terms_match_in_both_scripts(approved_term):
    yyds = approved_term("永远的神", "zh-Hans", ["yyds", "YYDS"])
    jjz = approved_term("绝绝子", "zh-Hans")
    simplified = slang("这家店永远的神，绝绝子！", "zh-Hans")
    assert simplified == [("永远的神", yyds.pk), ("绝绝子", jjz.pk)]
    traditional = slang("這家店永遠的神，絕絕子！", "zh-Hant")
    assert traditional == [("永遠的神", yyds.pk), ("絕絕子", jjz.pk)]
    # A Latin variant inside Chinese text (no spaces around it) still matches...
    assert slang("火锅yyds！", "zh-Hans") == [("yyds", yyds.pk)]
    # ...but not inside a longer Latin word.
    assert slang("xyydsx", "en") == []


def test_slang_traditional_term_matches_simplified_text(approved_term):
    term = approved_term("種草", "zh-Hant")
    assert slang("我被种草了", "zh-Hans") == [("种草", term.pk)]


def test_slang_chinese_match_is_one_segment_with_pinyin(approved_term):
    jjz = approved_term("绝绝子", "zh-Hans")
    reading = reading_annotate("真的绝绝子", "zh-Hans")
    match = next(s for s in reading.segments if s.slang_id)
    assert match == Segment("绝绝子", ("jué", "jué", "zi"), None, jjz.pk)
    assert "".join(s.text for s in reading.segments) == "真的绝绝子"
    assert match.as_json() == {"text": "绝绝子", "pinyin": "juéjuézi", "slang_id": jjz.pk}


def test_slang_match_wins_over_segmentation(approved_term):
    walk = approved_term("citywalk", "zh-Hans")
    reading = reading_annotate("周末citywalk走走", "zh-Hans")
    assert Segment("citywalk", (), None, walk.pk) in reading.segments


def test_slang_only_approved_terms(db):
    GlossaryTerm.objects.create(term="fam", language="en", status=GlossaryStatus.SUGGESTED)
    GlossaryTerm.objects.create(term="bet", language="en", status=GlossaryStatus.REJECTED)
    glossary_changed()
    assert slang("love you fam, bet", "en") == []


def test_slang_terms_one_query(approved_term, django_assert_num_queries):
    fam = approved_term("fam", "en")
    suggested = GlossaryTerm.objects.create(
        term="mid", language="en", status=GlossaryStatus.SUGGESTED
    )
    with django_assert_num_queries(1):
        found = slang_terms([fam.pk, suggested.pk, 999_999])
    assert found == {fam.pk: fam}
    with django_assert_num_queries(0):
        assert slang_terms([]) == {}


def test_glossary_changed_invalidates_cached_annotations(approved_term):
    assert slang("love you fam", "en") == []
    fam = approved_term("fam", "en")  # calls glossary_changed()
    assert slang("love you fam", "en") == [("fam", fam.pk)]
    GlossaryTerm.objects.filter(pk=fam.pk).update(status=GlossaryStatus.REJECTED)
    glossary_changed()
    assert slang("love you fam", "en") == []


def test_glossary_change_in_another_process_is_seen(approved_term):
    """Another process bumps the version in the shared cache: this one sees it at once."""
    fam = GlossaryTerm.objects.create(term="fam", language="en", status=GlossaryStatus.APPROVED)
    assert slang("love you fam", "en") == [("fam", fam.pk)]
    GlossaryTerm.objects.filter(pk=fam.pk).delete()
    cache.set("reading:glossary-version", "bumped-elsewhere", timeout=None)
    assert slang("love you fam", "en") == []


def test_reading_annotate_second_call_uses_the_cache(monkeypatch):
    calls = []
    original = _annotate._jieba_cut

    def counting(run):
        calls.append(run)
        return original(run)

    monkeypatch.setattr(_annotate, "_jieba_cut", counting)
    first = reading_annotate("我在银行工作", "zh-Hans")
    assert calls
    calls.clear()
    assert reading_annotate("我在银行工作", "zh-Hans") == first
    assert calls == []
    # Another process (an empty local cache) reads it from the shared cache.
    _annotate.clear_local_cache()
    assert reading_annotate("我在银行工作", "zh-Hans") == first
    assert calls == []
    # A glossary change makes it annotate again.
    glossary_changed()
    assert reading_annotate("我在银行工作", "zh-Hans") == first
    assert calls


def test_slang_longest_form_wins_and_case_and_symbols(approved_term):
    no = approved_term("no", "en")
    cap = approved_term("no cap", "en")
    refugee = approved_term("#tiktokrefugee", "en", ["tiktok refugee"])
    yyds = approved_term("yyds", "zh-Hans")
    text = "NO CAP, no. #TikTokRefugee here, a TikTok refugee; YYDS"
    assert slang(text, "en") == [
        ("NO CAP", cap.pk),
        ("no", no.pk),
        ("#TikTokRefugee", refugee.pk),
        ("TikTok refugee", refugee.pk),
        ("YYDS", yyds.pk),
    ]


def test_reading_annotate_process_cache_is_bounded_by_characters(monkeypatch):
    monkeypatch.setattr(_annotate, "LOCAL_CACHE_CHARACTERS", 40)
    texts = [f"我在银行工作{i:02d}" for i in range(10)]  # 8 characters each
    for text in texts:
        reading_annotate(text, "zh-Hans")
    assert sum(len(r.text) for r in _annotate._local.values()) <= 40
    assert len(_annotate._local) == 5
    # The newest are kept.
    key = next(reversed(_annotate._local))
    assert _annotate._local[key].text == texts[-1]
    # A text longer than a quarter of the budget is left to the shared cache.
    reading_annotate("银行" * 6, "zh-Hans")
    assert _annotate._local[next(reversed(_annotate._local))].text == texts[-1]


def test_a_term_in_both_languages_is_read_as_the_texts(approved_term):
    # "citywalk" is English slang and Chinese slang (城市漫步) with its own explanations.
    english = approved_term("citywalk", "en", ["city walk"])
    chinese = approved_term("citywalk", "zh-Hans")
    assert slang("Our citywalk ended at a noodle shop.", "en") == [("citywalk", english.pk)]
    assert slang("周末去上海citywalk，太舒服了", "zh-Hans") == [("citywalk", chinese.pk)]
    # Mixed text: Chinese where Han characters stand next to it, English elsewhere.
    assert slang("Weekend city walk! 上海citywalk路线", "mixed") == [
        ("city walk", english.pk),
        ("citywalk", chinese.pk),
    ]
