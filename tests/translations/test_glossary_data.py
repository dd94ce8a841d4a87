"""The shipped slang glossary (translations/data/glossary.json): enough entries, each complete
and valid, both directions, loaded idempotently by `glossary_load` and by the demo."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from translations.glossary import glossary_file_read
from translations.glossary_rules import GLOSSARY_FIELDS, glossary_fields_clean
from translations.models import GlossaryStatus, GlossaryTerm

HAN = re.compile(r"[\u4e00-\u9fff]")
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return glossary_file_read()


def test_the_file_has_at_least_sixty_entries_in_both_directions(rows):
    assert len(rows) >= 60
    languages = [row["language"] for row in rows]
    assert languages.count("zh-Hans") >= 30
    assert languages.count("en") >= 30
    keys = [(row["term"].casefold(), row["language"]) for row in rows]
    assert len(keys) == len(set(keys)), "a term appears twice in one language"


def test_every_entry_is_complete_and_clean(rows):
    for row in rows:
        term = row["term"]
        assert set(row) == set(GLOSSARY_FIELDS), term
        # The glossary's one rule accepts it unchanged (normalised already, no duplicates).
        clean = glossary_fields_clean(require_both_explanations=True, **row)
        assert clean == row, term
        assert HAN.search(row["explanation_zh"]), term
        assert row["example"] and row["example_translation"], term
        spellings = [term, *row["variants"]]
        assert any(s.casefold() in row["example"].casefold() for s in spellings), term
        # The example's translation is in the other language (an English one may quote Chinese).
        if row["language"] == "en":
            assert HAN.search(row["example_translation"]), term
        else:
            assert re.search(r"[A-Za-z]{3}", row["example_translation"]), term
        if HAN.search(term):
            assert row["language"] == "zh-Hans", term
            assert TONE_MARKS.search(row["pinyin"]), f"{term}: pinyin with tone marks"
        if row["language"] == "en":
            assert row["pinyin"] == "", term


def test_demo_slang_is_in_the_glossary(rows):
    terms = {(row["term"], row["language"]) for row in rows}
    for wanted in [
        ("yyds", "zh-Hans"),
        ("绝绝子", "zh-Hans"),
        ("家人们", "zh-Hans"),
        ("破防", "zh-Hans"),
        ("种草", "zh-Hans"),
        ("拔草", "zh-Hans"),
        ("集美", "zh-Hans"),
        ("打卡", "zh-Hans"),
        ("citywalk", "en"),
        ("no cap", "en"),
        ("slay", "en"),
        ("fam", "en"),
        ("the ick", "en"),
        ("TikTok refugee", "en"),
        ("cat tax", "en"),
    ]:
        assert wanted in terms, wanted


@pytest.mark.django_db
def test_every_entry_loads_valid_and_twice_adds_nothing(rows):
    out = StringIO()
    call_command("glossary_load", stdout=out)
    assert f"{len(rows)} entries, {len(rows)} new" in out.getvalue()
    assert GlossaryTerm.objects.filter(status=GlossaryStatus.APPROVED).count() == len(rows)
    for entry in GlossaryTerm.objects.all():
        entry.full_clean()  # every field as the model validates it
        assert entry.reviewed_at is not None and entry.reviewed_by is None
    out = StringIO()
    call_command("glossary_load", stdout=out)
    assert f"{len(rows)} entries, 0 new, {len(rows)} kept" in out.getvalue()
    assert GlossaryTerm.objects.count() == len(rows)


@pytest.mark.django_db
def test_the_demo_loads_the_glossary():
    from rednote.demo import DemoContext, demo_sections

    section = next(s for s in demo_sections() if s.name == "glossary")
    context = DemoContext(data={}, directory=None)  # type: ignore[arg-type]
    first = section.load(context)
    assert first is not None and first.created == first.total >= 60
    second = section.load(context)
    assert second is not None and second.created == 0
