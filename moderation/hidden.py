"""Reads about hidden content, for its author: why it was hidden (the latest hide decision in
the audit log), whether that decision can still be appealed, and the appeal's status.

Only the content's author is ever shown this (the callers check: note page, thread, API); for
everyone else hidden content does not exist.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery

from .models import Appeal, AppealStatus, AuditLogEntry, ModerationAction

# The decisions that hide content with a reason its author may appeal against: a hide from the
# desk, and held content rejected on review (hidden, no longer held).
HIDE_DECISIONS = (ModerationAction.HIDE, ModerationAction.REJECT)


@dataclass(frozen=True)
class HiddenStatus:
    """Why a target is hidden and where its appeal stands. `entry` is the hide decision (None
    when it was hidden without one, e.g. before the audit log: then it cannot be appealed)."""

    entry: AuditLogEntry | None
    appeal: Appeal | None

    @property
    def reason(self) -> str:
        return self.entry.reason if self.entry is not None else ""

    @property
    def hidden_at(self) -> datetime | None:
        return self.entry.created_at if self.entry is not None else None

    @property
    def can_appeal(self) -> bool:
        """Once per hide decision: an entry to appeal against, and no appeal on it yet."""
        return self.entry is not None and self.appeal is None

    @property
    def appeal_open(self) -> bool:
        return self.appeal is not None and self.appeal.status == AppealStatus.OPEN

    def as_json(self) -> dict[str, Any]:
        """The API's `moderation` object (the author's eyes only)."""
        appeal = self.appeal
        return {
            "hidden": True,
            "reason": self.reason,
            "hidden_at": self.hidden_at.isoformat() if self.hidden_at else None,
            "can_appeal": self.can_appeal,
            "appeal": appeal_json(appeal) if appeal is not None else None,
        }


def appeal_json(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "status": appeal.status,
        "text": appeal.text,
        "created_at": appeal.created_at.isoformat(),
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
    }


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def hide_entries_latest(model: type[models.Model], ids: Iterable[int]) -> dict[int, AuditLogEntry]:
    """The latest hide decision (`HIDE_DECISIONS`) of each target of `model` by id (those
    hidden without one are left out), with its appeal if any: one query."""
    ids = list(ids)
    if not ids:
        return {}
    content_type = _content_type(model)
    hides = AuditLogEntry.objects.filter(
        action__in=HIDE_DECISIONS, target_type=content_type
    ).order_by("-created_at", "-id")
    latest = hides.filter(target_id=OuterRef("target_id")).values("pk")[:1]
    entries = (
        hides.filter(target_id__in=ids, pk=Subquery(latest)).select_related("appeal").order_by()
    )
    return {entry.target_id: entry for entry in entries}


def _appeal_of(entry: AuditLogEntry) -> Appeal | None:
    try:
        return entry.appeal
    except Appeal.DoesNotExist:
        return None


def hidden_statuses(
    model: type[models.Model], targets: Iterable[models.Model]
) -> dict[int, HiddenStatus]:
    """`HiddenStatus` of each hidden target (`is_hidden`) among `targets` of `model`, by id;
    the others are left out. One query whatever their number."""
    hidden = [target for target in targets if getattr(target, "is_hidden", False)]
    entries = hide_entries_latest(model, [target.pk for target in hidden])
    statuses = {}
    for target in hidden:
        entry = entries.get(target.pk)
        statuses[target.pk] = HiddenStatus(
            entry=entry, appeal=_appeal_of(entry) if entry is not None else None
        )
    return statuses


def hidden_status(target: models.Model) -> HiddenStatus | None:
    """Why `target` is hidden and its appeal, or None when it is not hidden."""
    return hidden_statuses(type(target), [target]).get(target.pk)


def appeals_open() -> models.QuerySet:
    """The desk's appeals queue: open appeals, the longest waiting first, with the decision
    appealed and its moderator."""
    return (
        Appeal.objects.filter(status=AppealStatus.OPEN)
        .select_related("hide_entry", "hide_entry__moderator", "author", "target_type")
        .order_by("created_at", "id")
    )
