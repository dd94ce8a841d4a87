"""What a slang-glossary term may hold: the one rule for its fields and its duplicates, which
the services (`translations.glossary`), the forms, the admin and the API all apply.

Text is normalised (NFC, spaces collapsed, control characters refused), the language is a
glossary language, variants are a list of other spellings, a Chinese explanation is Chinese,
an example comes before its translation. A term is unique (case aside) per language among the
live (suggested or approved) entries, its variants included: "YYDS" is refused while "yyds"
with the variant "YYDS" is there.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    GLOSSARY_EXAMPLE_MAX_LENGTH,
    GLOSSARY_EXPLANATION_MAX_LENGTH,
    GLOSSARY_TERM_MAX_LENGTH,
    GlossaryStatus,
    GlossaryTerm,
)

# The languages a glossary term can be in: the languages the reading aids annotate. A Chinese
# term is written in Simplified characters; its Traditional spelling is one of its variants.
GLOSSARY_LANGUAGES: dict[str, Any] = {
    "zh-Hans": gettext_lazy("Chinese"),
    "en": gettext_lazy("English"),
}
GLOSSARY_VARIANTS_MAX = 12
GLOSSARY_PINYIN_MAX_LENGTH = 120  # GlossaryTerm.pinyin's max_length
# Fields a reader's suggestion and a moderator's edit may set.
GLOSSARY_FIELDS = (
    "term",
    "language",
    "variants",
    "pinyin",
    "explanation_en",
    "explanation_zh",
    "example",
    "example_translation",
)
# The separators a variants field typed into a form may use (the API takes a list).
VARIANT_SEPARATORS = re.compile(r"[,，、;；\n]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r" for ch in text)


def text_line(value: Any) -> str:
    """One line of text: NFC, spaces collapsed and stripped (control characters are refused by
    the caller first)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def _paragraphs(value: Any) -> str:
    """Text that may hold line breaks: NFC, \\r\\n as \\n, each line's spaces collapsed."""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def variants_parse(value: Any) -> list[str]:
    """A variants field as a list: a list as it is, text split on commas (`,`, `，`, `、`),
    semicolons and line breaks."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in VARIANT_SEPARATORS.split(value) if part.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    raise ValidationError({"variants": [_("Give the variants as a list of spellings.")]})


def spelling_key(text: str) -> str:
    return text.casefold()


def glossary_fields_clean(
    *, require_both_explanations: bool = False, **fields: Any
) -> dict[str, Any]:
    """Normalise and check a term's fields (those of `GLOSSARY_FIELDS` given; missing text is
    ""). Returns them ready to store; raises ValidationError naming each field in trouble.

    A suggestion needs an explanation in at least one language; an approved term
    (`require_both_explanations`) needs both."""
    clean, errors = _fields_clean(require_both_explanations=require_both_explanations, **fields)
    if errors:
        raise ValidationError(errors)
    return clean


def _fields_clean(
    *, require_both_explanations: bool, **fields: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """`glossary_fields_clean`'s work: the fields as far as they could be cleaned, and the
    errors by field."""
    unknown = set(fields) - set(GLOSSARY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown glossary fields: {', '.join(sorted(unknown))}")
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    for name in GLOSSARY_FIELDS:
        if name == "variants":
            continue
        value = fields.get(name)
        value = "" if value is None else value
        if not isinstance(value, str):
            errors.setdefault(name, []).append(_("Give this field as text."))
            clean[name] = ""
            continue
        multiline = name.startswith("explanation_")
        if has_control(value) or (not multiline and ("\n" in value or "\r" in value)):
            message = (
                _("Remove the control characters from this field.")
                if has_control(value)
                else _("Keep this field on one line.")
            )
            errors.setdefault(name, []).append(message)
            clean[name] = ""
            continue
        clean[name] = _paragraphs(value) if multiline else text_line(value)

    limits = {
        "term": GLOSSARY_TERM_MAX_LENGTH,
        "explanation_en": GLOSSARY_EXPLANATION_MAX_LENGTH,
        "explanation_zh": GLOSSARY_EXPLANATION_MAX_LENGTH,
        "example": GLOSSARY_EXAMPLE_MAX_LENGTH,
        "example_translation": GLOSSARY_EXAMPLE_MAX_LENGTH,
        "pinyin": GLOSSARY_PINYIN_MAX_LENGTH,
    }
    for name, limit in limits.items():
        if len(clean[name]) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)d characters; this has %(count)d.")
                % {"limit": limit, "count": len(clean[name])}
            )

    if not clean["term"] and "term" not in errors:
        errors["term"] = [_("Give the term: the word or phrase as people write it.")]
    if clean["language"] not in GLOSSARY_LANGUAGES and "language" not in errors:
        errors["language"] = [
            _("Choose the term's language: %(choices)s.")
            % {"choices": ", ".join(GLOSSARY_LANGUAGES)}
        ]

    explanations = [clean["explanation_en"], clean["explanation_zh"]]
    if require_both_explanations:
        if not clean["explanation_en"] and "explanation_en" not in errors:
            errors["explanation_en"] = [_("Explain the term in English.")]
        if not clean["explanation_zh"] and "explanation_zh" not in errors:
            errors["explanation_zh"] = [_("Explain the term in Chinese.")]
    elif not any(explanations) and not {"explanation_en", "explanation_zh"} & set(errors):
        errors["explanation_en"] = [_("Explain the term in English, in Chinese, or in both.")]
    if clean["explanation_zh"] and not _HAN.search(clean["explanation_zh"]):
        errors.setdefault("explanation_zh", []).append(
            _("Write the Chinese explanation in Chinese characters.")
        )
    if clean["explanation_en"] and not _LATIN.search(clean["explanation_en"]):
        errors.setdefault("explanation_en", []).append(
            _("Write the English explanation in English.")
        )
    if clean["example_translation"] and not clean["example"] and "example" not in errors:
        errors["example"] = [_("Give the example that the translation translates.")]
    if clean["pinyin"] and clean["language"] != "zh-Hans" and "pinyin" not in errors:
        errors["pinyin"] = [_("Pinyin is for Chinese terms only.")]

    try:
        raw_variants = variants_parse(fields.get("variants"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        raw_variants = []
    variants: list[str] = []
    seen = {spelling_key(clean["term"])}
    for raw in raw_variants:
        if not isinstance(raw, str):
            errors.setdefault("variants", []).append(_("Each variant is a spelling (text)."))
            break
        if has_control(raw):
            errors.setdefault("variants", []).append(
                _("Remove the control characters from this field.")
            )
            break
        variant = text_line(raw)
        if not variant or spelling_key(variant) in seen:
            continue
        if len(variant) > GLOSSARY_TERM_MAX_LENGTH:
            errors.setdefault("variants", []).append(
                _("A variant has at most %(limit)d characters: “%(variant)s” is longer.")
                % {"limit": GLOSSARY_TERM_MAX_LENGTH, "variant": variant[:60]}
            )
            break
        seen.add(spelling_key(variant))
        variants.append(variant)
    if len(variants) > GLOSSARY_VARIANTS_MAX and "variants" not in errors:
        errors["variants"] = [_("At most %(limit)d variants.") % {"limit": GLOSSARY_VARIANTS_MAX}]
    clean["variants"] = variants
    return clean, errors


def _live_entries(language: str, *, exclude_pk: int | None = None) -> QuerySet[GlossaryTerm]:
    entries = GlossaryTerm.objects.filter(language=language).exclude(status=GlossaryStatus.REJECTED)
    if exclude_pk is not None:
        entries = entries.exclude(pk=exclude_pk)
    return entries


def glossary_duplicates_refuse(fields: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    """Refuse a term or variant that a live entry of the same language has as its term or a
    variant (case aside): "already in the glossary" for an approved one, "already suggested"
    for one waiting for review."""
    spellings = {spelling_key(fields["term"]): "term"}
    for variant in fields["variants"]:
        spellings.setdefault(spelling_key(variant), "variants")
    rows = _live_entries(fields["language"], exclude_pk=exclude_pk).values_list(
        "term", "variants", "status"
    )
    errors: dict[str, list[str]] = {}
    for term, variants, status in rows:
        for spelling in [term, *(v for v in variants or () if isinstance(v, str))]:
            field = spellings.get(spelling_key(spelling))
            if field is None or field in errors:
                continue
            if status == GlossaryStatus.APPROVED:
                message = _("“%(term)s” is already in the glossary.")
            else:
                message = _("“%(term)s” is already suggested and waits for review.")
            errors[field] = [message % {"term": spelling if field == "variants" else term}]
    if errors:
        raise ValidationError(errors)


def glossary_term_validate(
    *,
    entry: GlossaryTerm | None = None,
    require_both_explanations: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """What a form checks before saving (the services check it again): the fields cleaned
    (`glossary_fields_clean`) and no live entry of the language with that term or a variant
    (`entry` itself aside: the one being edited)."""
    clean, errors = _fields_clean(require_both_explanations=require_both_explanations, **fields)
    # A duplicate is told together with the other problems, once the term and language are
    # readable: the reader fixes everything in one go.
    if (entry is None or entry.status != GlossaryStatus.REJECTED) and not {
        "term",
        "language",
    } & set(errors):
        try:
            glossary_duplicates_refuse(clean, exclude_pk=entry.pk if entry is not None else None)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return clean
