"""Keyword rules, matching: whole words for Latin-script terms, substrings for CJK ones,
case-, width- and Traditional/Simplified-insensitive; which rules screen an original by its
language; the cached active rules dropped on every write of a rule."""

import pytest
from django.core.exceptions import ValidationError

from moderation import keywords
from moderation.keywords import content_match, original_matches, rules_active, text_fold
from moderation.models import KeywordAction, KeywordRule
from moderation.services.keywords import (
    keyword_rule_create,
    keyword_rule_update,
    keyword_rules_deactivate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""


def rule(term, *, language="", action=KeywordAction.HOLD, message=""):
    return keyword_rule_create(
        moderator=None, term=term, language=language, action=action, message=message
    )


def matched(text, language="en"):
    return [m.rule.term for m in original_matches({"body": text}, language=language)]


def test_text_fold_width_case_script_and_spaces():
    assert text_fold("  ＢＵＹ   Now ") == "buy now"
    assert text_fold("廣告") == "广告"
    assert text_fold("STRASSE") == text_fold("straße")


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("what a class act", False),
        ("passing by", False),
        ("you ass!", True),
        ("ASS", True),
        ("ｙｏｕ ＡＳＳ", True),  # full-width
        ("这个ass真的", True),  # next to Chinese characters: still a word of its own
        ("ass_hole", False),
        ("ass-hat", True),
    ],
)
def test_latin_terms_match_whole_words_only(text, hit):
    rule("ass")
    assert matched(text) == (["ass"] if hit else [])


def test_phrase_matches_across_extra_white_space():
    rule("buy now")
    assert matched("Buy   now,\ncheap!") == ["buy now"]
    assert matched("buynow") == []


def test_cjk_terms_match_as_substrings_either_script():
    rule("广告")
    assert matched("这是一条广告帖", "zh-Hans") == ["广告"]
    assert matched("這是一條廣告帖", "zh-Hant") == ["广告"]  # Traditional text, Simplified term
    rule("廣告", language="zh-Hant")
    assert sorted(matched("这是广告", "zh-Hans")) == ["广告", "廣告"]


def test_language_rule_screens_originals_in_its_language_only():
    rule("cat", language="en")
    rule("猫", language="zh-Hans")
    assert matched("my cat", "en") == ["cat"]
    assert matched("我的cat", "zh-Hans") == []  # an English rule: the English translation decides
    assert matched("我的猫", "zh-Hant") == ["猫"]  # Simplified and Traditional are one language
    assert matched("my 猫 cat", "mixed") == ["cat", "猫"]  # mixed text: every rule
    assert matched("猫", "") == ["猫"]  # unknown language: every rule


def test_any_language_rule_screens_every_language():
    rule("spam")
    assert matched("spam here", "en") == ["spam"]
    assert matched("这是spam吧", "zh-Hans") == ["spam"]


def test_refusing_rule_decides_over_holding_one():
    rule("cheap", action=KeywordAction.HOLD)
    rule("followers", action=KeywordAction.REFUSE, message="No selling followers.")
    match = content_match({"title": "cheap", "body": "buy followers"}, language="en")
    assert match.refuses and match.field == "body" and match.rule.message == "No selling followers."
    assert content_match({"body": "nothing to see"}, language="en") is None


def test_rules_are_cached_and_every_write_drops_the_cache(django_assert_num_queries):
    first = rule("alpha")
    rules_active()
    with django_assert_num_queries(0):
        assert [r.term for r in rules_active()] == ["alpha"]
    keyword_rule_update(
        rule=first, term="beta", language="", action="hold", message="", is_active=True
    )
    assert [r.term for r in rules_active()] == ["beta"]
    rule("gamma")
    assert [r.term for r in rules_active()] == ["beta", "gamma"]
    keyword_rules_deactivate(rule_ids=[first.pk])
    assert [r.term for r in rules_active()] == ["gamma"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"term": "   "}, "term"),
        ({"term": "x" * 101}, "term"),
        ({"term": "a\x00b"}, "term"),
        ({"term": "ok", "language": "xx"}, "language"),
        ({"term": "ok", "action": "delete"}, "action"),
        ({"term": "ok", "message": "m" * 501}, "message"),
    ],
)
def test_rule_bad_input_names_the_field_and_stores_nothing(fields, field):
    data = {"term": "", "language": "", "action": "hold", "message": "", **fields}
    with pytest.raises(ValidationError) as error:
        keyword_rule_create(moderator=None, **data)
    assert field in error.value.message_dict
    assert not KeywordRule.objects.exists()


def test_rule_records_its_author(user):
    created = keyword_rule_create(moderator=user, term="  Spam ", language="en")
    assert (created.term, created.language, created.created_by) == ("Spam", "en", user)
    assert keywords.translation_targets(language="zh-Hans") == ["en"]
    assert keywords.translation_targets(language="en") == []
