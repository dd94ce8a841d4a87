"""The two-way slang glossary: suggesting, reviewing, editing and finding its terms.

Readers suggest a term (`glossary_term_suggest`, held as `suggested`); moderators approve or
reject it, edit or add approved ones, or delete them (the admin reaches these through
`moderation.services.glossary`, which writes the audit log in the same transaction). Only
approved terms are shown and underlined in notes and comments, so every change that touches an
approved term tells the reading-aids engine after commit (`translations.reading.glossary_changed`:
cached annotations and the slang matcher are rebuilt); a rolled-back change tells it nothing.

What a term may hold, and which duplicates are refused, is one rule in
`translations.glossary_rules` (`glossary_fields_clean`, `glossary_term_validate`).

The shipped entries (`data/glossary.json`) are loaded by `glossary_load`: see its docstring.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .glossary_rules import (
    GLOSSARY_FIELDS,
    glossary_duplicates_refuse,
    glossary_fields_clean,
    glossary_term_validate,
    has_control,
    spelling_key,
    text_line,
)
from .models import GlossaryStatus, GlossaryTerm

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"


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
            glossary_duplicates_refuse(
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
            glossary_duplicates_refuse(clean, exclude_pk=entry.pk)
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
        glossary_duplicates_refuse(clean)
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
    q = text_line(q)[:100] if q and not has_control(q) else ""
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
            existing.setdefault((spelling_key(row_entry.term), row_entry.language), row_entry)
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
            key = (spelling_key(clean["term"]), clean["language"])
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
