"""The slang glossary's services: suggesting, the moderators' decisions and edits, search, and
the reading aids told after every change to an approved term."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from moderation.models import AuditLogEntry, ModerationAction
from moderation.services import glossary as moderation_glossary
from tests.factories import UserFactory
from translations.glossary import (
    glossary_load,
    glossary_search,
    glossary_term_approve,
    glossary_term_create,
    glossary_term_delete,
    glossary_term_reject,
    glossary_term_suggest,
    glossary_term_update,
)
from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import reading_annotate

from .glossary_fixtures import FIELDS, glossary_term, suggestion_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(handle="mod", is_staff=True)


def slang_ids(text: str, language: str) -> set[int]:
    return {s.slang_id for s in reading_annotate(text, language).segments if s.slang_id}


# --- Suggesting -------------------------------------------------------------------------------


def test_suggest_stores_a_normalised_suggestion(user):
    entry = glossary_term_suggest(
        user=user,
        **suggestion_fields(
            term="  no   cap ",
            variants="no-cap， nocap、 NO CAP",
            explanation_en=" For real,\r\n no lie. ",
        ),
    )
    entry.refresh_from_db()
    assert entry.status == GlossaryStatus.SUGGESTED
    assert entry.suggested_by == user
    assert entry.term == "no cap"
    # Split on ASCII and Chinese commas; the term itself (case aside) is not its own variant.
    assert entry.variants == ["no-cap", "nocap"]
    assert entry.explanation_en == "For real,\nno lie."
    assert entry.reviewed_by is None and entry.reviewed_at is None


def test_suggest_needs_an_explanation_in_one_language(user):
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(user=user, **suggestion_fields(explanation_en=""))
    assert set(caught.value.message_dict) == {"explanation_en"}
    entry = glossary_term_suggest(
        user=user, **suggestion_fields(explanation_en="", explanation_zh="魅力，撩人的本事。")
    )
    assert entry.explanation_zh == "魅力，撩人的本事。"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term": ""}, "term"),
        ({"term": "x" * 41}, "term"),
        ({"term": "bad\x00term"}, "term"),
        ({"term": "two\nlines"}, "term"),
        ({"language": "fr"}, "language"),
        ({"language": ""}, "language"),
        ({"explanation_zh": "only English here"}, "explanation_zh"),
        ({"explanation_en": "只有中文"}, "explanation_en"),
        ({"explanation_en": "x" * 601}, "explanation_en"),
        ({"example": "", "example_translation": "他一点都不会撩。"}, "example"),
        ({"pinyin": "mèilì"}, "pinyin"),  # an English term has no pinyin
        ({"variants": ["ok", "y" * 41]}, "variants"),
        ({"variants": [f"v{n}" for n in range(13)]}, "variants"),
        ({"variants": [1, 2]}, "variants"),
    ],
)
def test_suggest_refuses_bad_fields_naming_them_and_stores_nothing(user, overrides, field):
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(user=user, **suggestion_fields(**overrides))
    assert field in caught.value.message_dict
    assert not GlossaryTerm.objects.exists()


def test_suggest_refuses_a_term_in_the_glossary_or_waiting(user):
    glossary_term()  # yyds, approved
    glossary_term(status=GlossaryStatus.SUGGESTED, term="rizz", language="en", variants=[])
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(user=user, **suggestion_fields(term="YYDS", language="zh-Hans"))
    assert "already in the glossary" in caught.value.message_dict["term"][0]
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(user=user, **suggestion_fields(term="Rizz"))
    assert "already suggested" in caught.value.message_dict["term"][0]
    # A variant of a live entry counts too, on either side.
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(
            user=user, **suggestion_fields(term="永遠的神", language="zh-Hans", variants=[])
        )
    assert "already in the glossary" in caught.value.message_dict["term"][0]
    with pytest.raises(ValidationError) as caught:
        glossary_term_suggest(
            user=user, **suggestion_fields(term="rizzing", variants=["RIZZ"], explanation_en="x")
        )
    assert "already suggested" in caught.value.message_dict["variants"][0]
    assert GlossaryTerm.objects.count() == 2


def test_the_same_term_in_the_other_language_or_after_a_rejection_is_fine(user):
    glossary_term(status=GlossaryStatus.REJECTED, term="rizz", language="en", variants=[])
    glossary_term(term="citywalk", language="zh-Hans", variants=[])
    glossary_term_suggest(user=user, **suggestion_fields())
    glossary_term_suggest(user=user, **suggestion_fields(term="citywalk", variants=[]))
    assert GlossaryTerm.objects.filter(status=GlossaryStatus.SUGGESTED).count() == 2


# --- Moderators ---------------------------------------------------------------------------------


def test_approve_needs_both_explanations(user, moderator):
    entry = glossary_term_suggest(user=user, **suggestion_fields())
    with pytest.raises(ValidationError) as caught:
        glossary_term_approve(moderator=moderator, entry=entry)
    assert set(caught.value.message_dict) == {"explanation_zh"}
    entry.refresh_from_db()
    assert entry.status == GlossaryStatus.SUGGESTED


def test_approving_underlines_the_term_after_commit(
    user, moderator, django_capture_on_commit_callbacks
):
    entry = glossary_term_suggest(
        user=user, **suggestion_fields(explanation_zh="魅力，撩人的本事。")
    )
    text = "He has serious rizz, no doubt."
    assert slang_ids(text, "en") == set()  # a suggestion is not underlined
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        glossary_term_approve(moderator=moderator, entry=entry)
    assert callbacks, "the reading aids are told after commit"
    entry.refresh_from_db()
    assert entry.status == GlossaryStatus.APPROVED
    assert entry.reviewed_by == moderator and entry.reviewed_at is not None
    assert slang_ids(text, "en") == {entry.pk}
    with pytest.raises(ValidationError):
        glossary_term_approve(moderator=moderator, entry=entry)


def test_a_rolled_back_approval_tells_nothing(user, moderator, django_capture_on_commit_callbacks):
    entry = glossary_term_suggest(
        user=user, **suggestion_fields(explanation_zh="魅力，撩人的本事。")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            glossary_term_approve(moderator=moderator, entry=entry)
            raise RuntimeError
    assert callbacks == []
    assert GlossaryTerm.objects.get(pk=entry.pk).status == GlossaryStatus.SUGGESTED


def test_reject_withdraws_an_approved_term(moderator, django_capture_on_commit_callbacks):
    entry = glossary_term()
    assert slang_ids("这家店yyds", "zh-Hans") == {entry.pk}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        glossary_term_reject(moderator=moderator, entry=entry)
    assert callbacks
    assert slang_ids("这家店yyds", "zh-Hans") == set()
    with pytest.raises(ValidationError):
        glossary_term_reject(moderator=moderator, entry=entry)


def test_rejecting_a_suggestion_tells_the_reading_aids_nothing(
    user, moderator, django_capture_on_commit_callbacks
):
    entry = glossary_term_suggest(user=user, **suggestion_fields())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        glossary_term_reject(moderator=moderator, entry=entry)
    assert callbacks == []
    assert GlossaryTerm.objects.get(pk=entry.pk).status == GlossaryStatus.REJECTED


def test_approving_a_rejected_term_checks_for_a_live_duplicate(moderator):
    rejected = glossary_term(status=GlossaryStatus.REJECTED)
    glossary_term(term="YYDS", variants=[])
    with pytest.raises(ValidationError) as caught:
        glossary_term_approve(moderator=moderator, entry=rejected)
    assert "already in the glossary" in caught.value.message_dict["term"][0]


def test_update_edits_an_approved_term(moderator, django_capture_on_commit_callbacks):
    entry = glossary_term()
    assert slang_ids("这家店永远的神", "zh-Hans") == {entry.pk}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        glossary_term_update(moderator=moderator, entry=entry, variants="YYDS!， 永远神")
    assert callbacks
    entry.refresh_from_db()
    assert entry.variants == ["YYDS!", "永远神"]
    assert entry.reviewed_by == moderator
    assert slang_ids("这家店永远的神", "zh-Hans") == set()  # no longer a variant
    with pytest.raises(ValidationError) as caught:
        glossary_term_update(moderator=moderator, entry=entry, explanation_zh="")
    assert set(caught.value.message_dict) == {"explanation_zh"}


def test_update_refuses_another_entrys_term(moderator):
    glossary_term()
    other = glossary_term(term="绝绝子", variants=[], pinyin="juéjuézǐ")
    with pytest.raises(ValidationError) as caught:
        glossary_term_update(moderator=moderator, entry=other, variants=["永遠的神"])
    assert "already in the glossary" in caught.value.message_dict["variants"][0]


def test_create_and_delete(moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry = glossary_term_create(moderator=moderator, **FIELDS)
    assert callbacks and entry.status == GlossaryStatus.APPROVED
    assert entry.reviewed_by == moderator
    with pytest.raises(ValidationError):
        glossary_term_create(moderator=moderator, **{**FIELDS, "explanation_zh": ""})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        glossary_term_delete(entry=entry)
    assert callbacks and not GlossaryTerm.objects.exists()


def test_moderation_services_write_one_audit_entry_each(user, moderator):
    one = glossary_term_suggest(user=user, **suggestion_fields(explanation_zh="魅力。"))
    two = glossary_term_suggest(
        user=user, **suggestion_fields(term="delulu", variants=[], explanation_zh="")
    )
    done, failed = moderation_glossary.glossary_decide_many(
        moderator=moderator, entries=[one, two], approve=True
    )
    assert done == 1 and len(failed) == 1 and failed[0].startswith("delulu:")
    moderation_glossary.glossary_reject(moderator=moderator, entry=two, reason="Not slang")
    moderation_glossary.glossary_edit(moderator=moderator, entry=one, pinyin="")
    added = moderation_glossary.glossary_add(moderator=moderator, **FIELDS)
    moderation_glossary.glossary_delete(moderator=moderator, entry=added)
    entries = list(AuditLogEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [
        ModerationAction.GLOSSARY_APPROVE,
        ModerationAction.GLOSSARY_REJECT,
        ModerationAction.GLOSSARY_EDIT,
        ModerationAction.GLOSSARY_ADD,
        ModerationAction.GLOSSARY_DELETE,
    ]
    assert entries[0].target_owner == user and entries[0].moderator == moderator
    assert entries[1].reason == "Not slang"
    assert entries[1].details == {"term": "delulu", "language": "en"}
    assert entries[2].details["changed"] == []
    assert entries[4].details["term"] == "yyds"


# --- Search -------------------------------------------------------------------------------------


def test_search_finds_approved_terms_by_any_field():
    yyds = glossary_term()
    nocap = glossary_term(
        term="no cap",
        language="en",
        variants=["no-cap"],
        pinyin="",
        explanation_en="For real, no lie.",
        explanation_zh="说真的，不骗你。",
    )
    glossary_term(status=GlossaryStatus.SUGGESTED, term="rizz", language="en", variants=[])
    assert set(glossary_search()) == {yyds, nocap}
    assert list(glossary_search(q="YYDS")) == [yyds]
    assert list(glossary_search(q="永遠")) == [yyds]  # a variant
    assert list(glossary_search(q="NO LIE")) == [nocap]  # the English explanation
    assert list(glossary_search(q="不骗你")) == [nocap]  # the Chinese one
    assert list(glossary_search(q="shén")) == [yyds]  # pinyin
    assert list(glossary_search(q="rizz")) == []  # not approved
    assert list(glossary_search(language="en")) == [nocap]
    assert list(glossary_search(q="yyds", language="en")) == []
    assert list(glossary_search(q="%")) == []  # a LIKE wildcard is a character


# --- Loading the shipped entries ----------------------------------------------------------------


def test_load_adds_missing_terms_and_keeps_a_moderators_work(moderator):
    rows = [
        {**FIELDS},
        {**FIELDS, "term": "绝绝子", "variants": ["絕絕子"], "pinyin": "juéjuézǐ"},
        {**FIELDS, "term": "社恐", "variants": [], "pinyin": "shèkǒng"},
    ]
    edited = glossary_term(explanation_en="Edited by a moderator.")
    edited.reviewed_by = moderator
    edited.save()
    rejected = glossary_term(status=GlossaryStatus.REJECTED, term="社恐", variants=[])
    result = glossary_load(rows)
    assert (result.total, result.created, result.kept) == (3, 1, 2)
    edited.refresh_from_db()
    rejected.refresh_from_db()
    assert edited.explanation_en == "Edited by a moderator."
    assert rejected.status == GlossaryStatus.REJECTED
    assert GlossaryTerm.objects.get(term="绝绝子").status == GlossaryStatus.APPROVED
    again = glossary_load(rows)
    assert (again.created, again.kept) == (0, 3)


def test_load_update_refreshes_only_entries_as_shipped(moderator):
    shipped = glossary_load([{**FIELDS}, {**FIELDS, "term": "社恐", "variants": []}])
    assert shipped.created == 2
    one = GlossaryTerm.objects.get(term="社恐")
    glossary_term_update(moderator=moderator, entry=one, explanation_en="A moderator's text.")
    newer = [
        {**FIELDS, "explanation_en": "The corrected text."},
        {**FIELDS, "term": "社恐", "variants": [], "explanation_en": "Shipped again."},
    ]
    result = glossary_load(newer, update=True)
    assert (result.updated, result.kept) == (1, 1)
    assert GlossaryTerm.objects.get(term="yyds").explanation_en == "The corrected text."
    assert GlossaryTerm.objects.get(term="社恐").explanation_en == "A moderator's text."


def test_load_refuses_a_bad_row_and_loads_nothing():
    with pytest.raises(ValidationError) as caught:
        glossary_load([{**FIELDS}, {**FIELDS, "term": "绝绝子", "explanation_zh": ""}])
    assert "绝绝子" in caught.value.messages[0]
    assert not GlossaryTerm.objects.exists()
