"""The two-way slang glossary: suggesting, reviewing, editing and finding its terms.

Readers suggest a term (`glossary_term_suggest`, held as `suggested`); moderators approve or
reject it, edit or add approved ones, or delete them (the admin reaches these through
`moderation.services.glossary`, which writes the audit log in the same transaction). Only
approved terms are shown and underlined in notes and comments, so every change that touches an
approved term tells the reading-aids engine after commit (`translations.reading.glossary_changed`:
cached annotations and the slang matcher are rebuilt); a rolled-back change tells it nothing.

One rule for what a term may hold, `glossary_fields_clean`: text normalised (NFC, spaces
collapsed, control characters refused), a glossary language, variants as a list of other
spellings, a Chinese explanation that is Chinese, an example before its translation. A term is
unique (case aside) per language among the live (suggested or approved) entries, its variants
included: "YYDS" is refused while "yyds" with the variant "YYDS" is there.

The shipped entries (`data/glossary.json`) are loaded by `glossary_load`: see its docstring.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from .models import (
    GLOSSARY_EXAMPLE_MAX_LENGTH,
    GLOSSARY_EXPLANATION_MAX_LENGTH,
    GLOSSARY_TERM_MAX_LENGTH,
    GlossaryStatus,
    GlossaryTerm,
)

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"

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


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r" for ch in text)


def _line(value: Any) -> str:
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


def _key(text: str) -> str:
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
        if _has_control(value) or (not multiline and ("\n" in value or "\r" in value)):
            message = (
                _("Remove the control characters from this field.")
                if _has_control(value)
                else _("Keep this field on one line.")
            )
            errors.setdefault(name, []).append(message)
            clean[name] = ""
            continue
        clean[name] = _paragraphs(value) if multiline else _line(value)

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
    seen = {_key(clean["term"])}
    for raw in raw_variants:
        if not isinstance(raw, str):
            errors.setdefault("variants", []).append(_("Each variant is a spelling (text)."))
            break
        if _has_control(raw):
            errors.setdefault("variants", []).append(
                _("Remove the control characters from this field.")
            )
            break
        variant = _line(raw)
        if not variant or _key(variant) in seen:
            continue
        if len(variant) > GLOSSARY_TERM_MAX_LENGTH:
            errors.setdefault("variants", []).append(
                _("A variant has at most %(limit)d characters: “%(variant)s” is longer.")
                % {"limit": GLOSSARY_TERM_MAX_LENGTH, "variant": variant[:60]}
            )
            break
        seen.add(_key(variant))
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


def _duplicate_check(fields: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    """Refuse a term or variant that a live entry of the same language has as its term or a
    variant (case aside): "already in the glossary" for an approved one, "already suggested"
    for one waiting for review."""
    spellings = {_key(fields["term"]): "term"}
    for variant in fields["variants"]:
        spellings.setdefault(_key(variant), "variants")
    rows = _live_entries(fields["language"], exclude_pk=exclude_pk).values_list(
        "term", "variants", "status"
    )
    errors: dict[str, list[str]] = {}
    for term, variants, status in rows:
        for spelling in [term, *(v for v in variants or () if isinstance(v, str))]:
            field = spellings.get(_key(spelling))
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
            _duplicate_check(clean, exclude_pk=entry.pk if entry is not None else None)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return clean


def _glossary_changed_on_commit() -> None:
    """Tell the reading-aids engine after commit that approved terms changed."""
    # Imported here: the engine's package loads its dictionaries and matchers lazily, and the
    # glossary's pages and admin have no other use for it.
    from .reading import glossary_changed

    transaction.on_commit(glossary_changed)


def _store(entry: GlossaryTerm) -> GlossaryTerm:
    """Validate the row as the model does (lengths, the unique constraint) and save it."""
    entry.full_clean(exclude=["suggested_by", "reviewed_by"])
    entry.save()
    return entry


# --- Readers --------------------------------------------------------------------------------


def glossary_term_suggest(*, user: User, **fields: Any) -> GlossaryTerm:
    """A reader's suggestion: stored as `suggested` for a moderator to review. Needs the term,
    its language and an explanation in at least one language; the example is optional.
    Refuses a term the glossary has (approved) or that waits for review."""
    with transaction.atomic():
        clean = glossary_term_validate(**fields)
        entry = GlossaryTerm(**clean, status=GlossaryStatus.SUGGESTED, suggested_by=user)
        return _store(entry)


# --- Moderators -----------------------------------------------------------------------------


def _require_both_explanations(entry: GlossaryTerm) -> None:
    errors = {}
    if not entry.explanation_en.strip():
        errors["explanation_en"] = [_("Explain the term in English before approving it.")]
    if not entry.explanation_zh.strip():
        errors["explanation_zh"] = [_("Explain the term in Chinese before approving it.")]
    if errors:
        raise ValidationError(errors)


def glossary_term_approve(*, moderator: User, entry: GlossaryTerm) -> GlossaryTerm:
    """Approve a suggested (or earlier rejected) term: it is shown and underlined from now on.
    Needs both explanations (edit the entry first). Call inside atomic() when recording more
    in the same step (the audit log)."""
    if entry.status == GlossaryStatus.APPROVED:
        raise ValidationError(_("This term is approved already."))
    _require_both_explanations(entry)
    with transaction.atomic():
        if entry.status == GlossaryStatus.REJECTED:
            # It comes back to life: the live entries must not have it meanwhile.
            _duplicate_check(
                {"term": entry.term, "language": entry.language, "variants": entry.variants},
                exclude_pk=entry.pk,
            )
        entry.status = GlossaryStatus.APPROVED
        entry.reviewed_by = moderator
        entry.reviewed_at = timezone.now()
        _store(entry)
        _glossary_changed_on_commit()
    return entry


def glossary_term_reject(*, moderator: User, entry: GlossaryTerm) -> GlossaryTerm:
    """Reject a suggested term, or withdraw an approved one (it is no longer underlined). A
    rejected term no longer blocks the same term being suggested again."""
    if entry.status == GlossaryStatus.REJECTED:
        raise ValidationError(_("This term is rejected already."))
    was_approved = entry.status == GlossaryStatus.APPROVED
    with transaction.atomic():
        entry.status = GlossaryStatus.REJECTED
        entry.reviewed_by = moderator
        entry.reviewed_at = timezone.now()
        entry.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        if was_approved:
            _glossary_changed_on_commit()
    return entry


def glossary_term_update(*, moderator: User, entry: GlossaryTerm, **fields: Any) -> GlossaryTerm:
    """A moderator's edit of any field of `GLOSSARY_FIELDS` (the others keep their values).
    An approved term must keep both explanations. Records the moderator as its reviewer, which
    is also how `glossary_load` knows not to overwrite it."""
    current = {name: getattr(entry, name) for name in GLOSSARY_FIELDS}
    clean = glossary_fields_clean(
        require_both_explanations=entry.status == GlossaryStatus.APPROVED,
        **{**current, **fields},
    )
    with transaction.atomic():
        if entry.status != GlossaryStatus.REJECTED:
            _duplicate_check(clean, exclude_pk=entry.pk)
        for name, value in clean.items():
            setattr(entry, name, value)
        if entry.status == GlossaryStatus.APPROVED:
            entry.reviewed_by = moderator
            entry.reviewed_at = timezone.now()
        _store(entry)
        if entry.status == GlossaryStatus.APPROVED:
            _glossary_changed_on_commit()
    return entry


def glossary_term_create(*, moderator: User, **fields: Any) -> GlossaryTerm:
    """A moderator's new entry: approved at once (both explanations needed)."""
    clean = glossary_fields_clean(require_both_explanations=True, **fields)
    with transaction.atomic():
        _duplicate_check(clean)
        entry = GlossaryTerm(
            **clean,
            status=GlossaryStatus.APPROVED,
            reviewed_by=moderator,
            reviewed_at=timezone.now(),
        )
        _store(entry)
        _glossary_changed_on_commit()
    return entry


def glossary_term_delete(*, entry: GlossaryTerm) -> None:
    """Delete an entry (rejecting keeps the record; deleting forgets it)."""
    with transaction.atomic():
        was_approved = entry.status == GlossaryStatus.APPROVED
        entry.delete()
        if was_approved:
            _glossary_changed_on_commit()


# --- Reading --------------------------------------------------------------------------------


# The search's keyset order (`rednote.pagination`): `GLOSSARY_RANK` descending, then id.
GLOSSARY_RANK = "rank"


def glossary_search(*, q: str = "", language: str = "") -> QuerySet[GlossaryTerm]:
    """Approved terms whose term, variants, pinyin or explanations contain `q` (case aside;
    empty: all), in `language` when given (a glossary language; another gives none).

    Annotated with `rank` for the pages' keyset order (`rank`, then `id`, both descending):
    the term itself first (3), then a term or variant containing `q` (2), then the rest (1) —
    without `q` every rank is 0, so the newest entries come first (the shipped ones in the
    file's order: `glossary_load` adds them last row first)."""
    entries = GlossaryTerm.objects.filter(status=GlossaryStatus.APPROVED)
    if language:
        entries = entries.filter(language=language)
    q = _line(q)[:100] if q and not _has_control(q) else ""
    if not q:
        return entries.annotate(**{GLOSSARY_RANK: Value(0, output_field=IntegerField())})
    spelled = Q(term__icontains=q) | Q(variants__icontains=q)  # variants: the list's JSON text
    return entries.filter(
        spelled
        | Q(pinyin__icontains=q)
        | Q(explanation_en__icontains=q)
        | Q(explanation_zh__icontains=q)
    ).annotate(
        **{
            GLOSSARY_RANK: Case(
                When(term__iexact=q, then=Value(3)),
                When(spelled, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        }
    )


def glossary_term_get(*, entry_id: int) -> GlossaryTerm:
    """An approved term by id; GlossaryTerm.DoesNotExist for any other (missing, waiting for
    review, rejected)."""
    return GlossaryTerm.objects.get(pk=entry_id, status=GlossaryStatus.APPROVED)


# --- The shipped entries --------------------------------------------------------------------


@dataclass
class GlossaryLoadResult:
    total: int = 0  # entries in the file
    created: int = 0  # added as approved
    kept: int = 0  # an entry of the same term and language was there: left as it was
    updated: int = 0  # refreshed from the file (`update=True`, entries still as shipped)


def glossary_file_read(path: Path = GLOSSARY_FILE) -> list[dict[str, Any]]:
    """The shipped entries: a JSON list of objects with the fields of `GLOSSARY_FIELDS`."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ValueError("the glossary file is not a list of entries")
    return data


def _as_shipped(entry: GlossaryTerm) -> bool:
    """Whether an entry is as `glossary_load` made it: approved with no reviewer and no
    suggester. A moderator's approval, edit or rejection records them as reviewer."""
    return (
        entry.status == GlossaryStatus.APPROVED
        and entry.reviewed_by_id is None
        and entry.suggested_by_id is None
    )


def glossary_load(
    rows: Iterable[dict[str, Any]] | None = None, *, update: bool = False
) -> GlossaryLoadResult:
    """Load the shipped entries (`rows`, default: `data/glossary.json`) as approved terms, in
    one transaction; a row that does not validate raises ValidationError (naming the term) and
    nothing is loaded.

    Idempotent, and never overwrites a moderator's work: a row whose term (case aside) and
    language match an existing entry — approved, waiting, or rejected by a moderator — is left
    as it is (`kept`). With `update`, entries still as shipped (approved by this loader, never
    reviewed, edited or rejected by a moderator since: no reviewer recorded) take the file's
    text, so a release's corrections reach them.
    """
    rows = list(glossary_file_read() if rows is None else rows)
    result = GlossaryLoadResult(total=len(rows))
    changed = False
    with transaction.atomic():
        existing: dict[tuple[str, str], GlossaryTerm] = {}
        for row_entry in GlossaryTerm.objects.order_by("status", "pk"):
            # "approved" < "rejected" < "suggested": a live entry wins over a rejected one.
            existing.setdefault((_key(row_entry.term), row_entry.language), row_entry)
        # Last row first: the glossary lists the newest first, so it shows the file's order.
        for row in reversed(rows):
            term = str(row.get("term", ""))
            try:
                clean = glossary_fields_clean(
                    require_both_explanations=True,
                    **{name: row.get(name) for name in GLOSSARY_FIELDS},
                )
            except ValidationError as exc:
                raise ValidationError(f"{term!r}: {exc.message_dict}") from exc
            key = (_key(clean["term"]), clean["language"])
            entry = existing.get(key)
            if entry is None:
                new = GlossaryTerm(
                    **clean, status=GlossaryStatus.APPROVED, reviewed_at=timezone.now()
                )
                existing[key] = _store(new)
                result.created += 1
                changed = True
            elif update and _as_shipped(entry):
                if any(getattr(entry, name) != value for name, value in clean.items()):
                    for name, value in clean.items():
                        setattr(entry, name, value)
                    _store(entry)
                    result.updated += 1
                    changed = True
                else:
                    result.kept += 1
            else:
                result.kept += 1
        if changed:
            _glossary_changed_on_commit()
    return result
