"""Glossary rows for the glossary tests (made directly: the services are what is tested)."""

from django.utils import timezone

from translations.models import GlossaryStatus, GlossaryTerm

FIELDS = {
    "term": "yyds",
    "language": "zh-Hans",
    "variants": ["永远的神", "永遠的神"],
    "pinyin": "yǒngyuǎn de shén",
    "explanation_en": "The greatest of all time.",
    "explanation_zh": "永远的神，形容最强。",
    "example": "这家火锅yyds！",
    "example_translation": "This hotpot is the GOAT!",
}


def glossary_term(status: str = GlossaryStatus.APPROVED, **overrides) -> GlossaryTerm:
    fields = {**FIELDS, **overrides}
    reviewed = status != GlossaryStatus.SUGGESTED
    return GlossaryTerm.objects.create(
        status=status, reviewed_at=timezone.now() if reviewed else None, **fields
    )


def suggestion_fields(**overrides) -> dict:
    """A reader's suggestion, as the form and the API take it."""
    return {
        "term": "rizz",
        "language": "en",
        "variants": ["rizzler"],
        "pinyin": "",
        "explanation_en": "Charm, the skill of attracting someone.",
        "explanation_zh": "",
        "example": "He has no rizz.",
        "example_translation": "",
        **overrides,
    }
