"""Telling a person what the moderators did: `moderation_notice` after commit, built from the
action's audit entry so every service says it the same way."""

from rednote.events import send_on_commit

from ..events import moderation_notice
from ..models import AuditLogEntry


def notice_send(*, entry: AuditLogEntry, recipient_id: int | None) -> None:
    """Send `moderation_notice` for `entry` to `recipient_id` once the transaction commits
    (nothing when there is no one to tell). `target_type` is the content type's
    "app_label.model" ("notes.note", "accounts.user"); `details` carry the audit entry's id."""
    if recipient_id is None:
        return
    content_type = entry.target_type
    send_on_commit(
        moderation_notice,
        sender=AuditLogEntry,
        recipient_id=recipient_id,
        action=entry.action,
        reason=entry.reason,
        target_type=f"{content_type.app_label}.{content_type.model}",
        target_id=entry.target_id,
        details={**entry.details, "audit_entry_id": entry.pk},
    )
