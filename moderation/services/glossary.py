"""The moderators' decisions on the slang glossary: approve or reject suggestions, add, edit
and delete terms. Each goes through `translations.glossary` (which tells the reading aids after
commit) and writes its audit-log entry in the same transaction, one per term in bulk too."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from translations.glossary import (
    glossary_term_approve,
    glossary_term_create,
    glossary_term_delete,
    glossary_term_reject,
    glossary_term_update,
)
from translations.models import GlossaryTerm

from ..models import ModerationAction
from .audit import audit_record


def _details(entry: GlossaryTerm) -> dict[str, Any]:
    return {"term": entry.term, "language": entry.language}


def glossary_approve(*, moderator: User, entry: GlossaryTerm) -> GlossaryTerm:
    """Approve a suggested term (both explanations needed); audited."""
    with transaction.atomic():
        glossary_term_approve(moderator=moderator, entry=entry)
        audit_record(
            moderator=moderator,
            action=ModerationAction.GLOSSARY_APPROVE,
            target=entry,
            target_owner=entry.suggested_by,
            details=_details(entry),
        )
    return entry


def glossary_reject(*, moderator: User, entry: GlossaryTerm, reason: str = "") -> GlossaryTerm:
    """Reject a suggested term or withdraw an approved one; audited with the reason."""
    with transaction.atomic():
        glossary_term_reject(moderator=moderator, entry=entry)
        audit_record(
            moderator=moderator,
            action=ModerationAction.GLOSSARY_REJECT,
            target=entry,
            target_owner=entry.suggested_by,
            reason=reason,
            details=_details(entry),
        )
    return entry


def glossary_decide_many(
    *, moderator: User, entries: Iterable[GlossaryTerm], approve: bool, reason: str = ""
) -> tuple[int, list[str]]:
    """Approve or reject each entry on its own (one refused does not stop the others):
    returns how many were decided and, for the others, "term: why"."""
    done, failed = 0, []
    for entry in entries:
        try:
            if approve:
                glossary_approve(moderator=moderator, entry=entry)
            else:
                glossary_reject(moderator=moderator, entry=entry, reason=reason)
            done += 1
        except ValidationError as exc:
            failed.append(f"{entry.term}: {' '.join(exc.messages)}")
    return done, failed


def glossary_add(*, moderator: User, **fields: Any) -> GlossaryTerm:
    """A moderator's new term, approved at once; audited."""
    with transaction.atomic():
        entry = glossary_term_create(moderator=moderator, **fields)
        audit_record(
            moderator=moderator,
            action=ModerationAction.GLOSSARY_ADD,
            target=entry,
            details=_details(entry),
        )
    return entry


def glossary_edit(*, moderator: User, entry: GlossaryTerm, **fields: Any) -> GlossaryTerm:
    """A moderator's edit of a term's fields; audited with the fields that changed."""
    before = {name: getattr(entry, name) for name in fields}
    with transaction.atomic():
        glossary_term_update(moderator=moderator, entry=entry, **fields)
        changed = sorted(name for name, value in before.items() if getattr(entry, name) != value)
        audit_record(
            moderator=moderator,
            action=ModerationAction.GLOSSARY_EDIT,
            target=entry,
            target_owner=entry.suggested_by,
            details={**_details(entry), "changed": changed},
        )
    return entry


def glossary_delete(*, moderator: User, entry: GlossaryTerm) -> None:
    """Delete a term; audited (the entry keeps its text: the term is gone)."""
    with transaction.atomic():
        audit_record(
            moderator=moderator,
            action=ModerationAction.GLOSSARY_DELETE,
            target=entry,
            target_owner=entry.suggested_by,
            details={**_details(entry), "status": entry.status},
        )
        glossary_term_delete(entry=entry)
