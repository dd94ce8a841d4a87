"""Notices from the site (the Notices tab): a data export that is ready, what the moderators
did. One entry per notice, told once per key, with the recipient as its actor."""

from django.db import transaction
from django.utils import timezone

from accounts.models import DataExport, DataExportStatus, User
from notes.models import Comment, Note
from rednote.db import get_or_create_racing

from .. import notices
from ..models import TAB_OF_KIND, Notification, NotificationKind
from .grouping import active_recipient
from .reading import unread_counts_forget


@transaction.atomic
def notice_create(*, recipient: User, kind: str, key: str, data: dict) -> Notification | None:
    """Put a site notice (`kind` of the Notices tab) in `recipient`'s inbox, once per `key`
    (read or not: a task delivered twice adds nothing). Its actor is the recipient, `data` its
    details (plain JSON values). Returns the new entry, or None when it was told already."""
    group = f"{kind}:{key}"[:40]
    if Notification.objects.filter(recipient=recipient, kind=kind, group_key=group).exists():
        return None
    now = timezone.now()

    def create() -> Notification:
        return Notification.objects.create(
            recipient=recipient,
            kind=kind,
            tab=TAB_OF_KIND[kind],
            group_key=group,
            actor=recipient,
            actor_count=1,
            data=data,
            created_at=now,
            updated_at=now,
        )

    entry, created = get_or_create_racing(
        Notification,
        field="notification",
        create=create,
        recipient=recipient,
        kind=kind,
        group_key=group,
        read_at=None,
    )
    if not created:
        return None
    unread_counts_forget(recipient.pk)
    return entry


def export_ready_notify(*, user_id: int, export_id: int) -> Notification | None:
    """A person's data export is ready: they hear of it once, while it is still theirs and
    ready."""
    ready = DataExport.objects.filter(
        pk=export_id, user_id=user_id, status=DataExportStatus.READY
    ).exists()
    recipient = active_recipient(user_id) if ready else None
    if recipient is None:
        return None
    return notice_create(
        recipient=recipient,
        kind=NotificationKind.EXPORT_READY,
        key=str(export_id),
        data={"export_id": export_id},
    )


def _moderation_title(kind: str, target_id: int | None) -> tuple[str, int | None]:
    """The content's title as it is now (a note's card title, a comment's text), and a
    comment's note id; ("", None) when it is gone."""
    if kind == "note" and target_id is not None:
        note = Note.objects.filter(pk=target_id).only("title", "body").first()
        if note is not None:
            return notices.title_excerpt(note.headline), None
    if kind == "comment" and target_id is not None:
        comment = Comment.objects.filter(pk=target_id).only("body", "note_id").first()
        if comment is not None:
            return notices.title_excerpt(comment.body), comment.note_id
    return "", None


def moderation_notify(
    *,
    recipient_id: int,
    action: str,
    reason: str,
    target_type: str,
    target_id: int | None,
    details: dict | None,
    key: str,
) -> Notification | None:
    """Tell a person what the moderators did about them or their content (a notice): the
    action, their reason, what it was about and its title as it is now (kept, since the content
    may go). Told once per `key` (the audit entry's, else the one the event was given). A
    suspended person is told too: they read it when they are back."""
    recipient = User.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return None
    details = details or {}
    kind = notices.target_kind(target_type)
    title, note_id = _moderation_title(kind, target_id)
    if not title:
        title = notices.title_excerpt(str(details.get("title") or ""))
    data = {
        "action": str(action),
        "reason": str(reason or ""),
        "target_type": str(target_type or ""),
        "target_kind": kind,
        "target_id": target_id,
        "title": title,
    }
    if note_id is not None:
        data["note_id"] = note_id
    if details.get("until"):
        data["until"] = str(details["until"])
    audit_entry_id = details.get("audit_entry_id")
    return notice_create(
        recipient=recipient,
        kind=NotificationKind.MODERATION,
        key=f"audit:{audit_entry_id}" if audit_entry_id else key,
        data=data,
    )
