"""The audit log's one writer: every moderation service records its action here."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User

from ..models import REASON_MAX_LENGTH, AuditLogEntry


def audit_record(
    *,
    moderator: User | None,
    action: str,
    target: models.Model,
    target_owner: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Write one entry: `moderator` did `action` (a `ModerationAction` value) to `target`
    (whose content it is: `target_owner`) because of `reason`. Call it inside the action's
    transaction, once per target (a bulk action writes one entry for each)."""
    return AuditLogEntry.objects.create(
        moderator=moderator,
        moderator_handle=moderator.handle if moderator is not None else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=str(target)[:200],
        target_owner=target_owner,
        reason=reason[:REASON_MAX_LENGTH],
        details=details or {},
    )
