"""People's acts on a note — likes, collects (into boards), mentions — told to those they
concern, while the act still stands."""

from accounts.models import User
from notes.models import BoardNote, Note, NoteLike

from ..models import Notification, NotificationKind
from .grouping import active_recipient, notification_actor_add, notification_actor_remove


def note_like_notify(*, note_id: int, user_id: int) -> Notification | None:
    """`user_id` liked a note: its author hears of it, if the like still stands."""
    like = NoteLike.objects.filter(note_id=note_id, user_id=user_id).select_related("note").first()
    recipient = active_recipient(like.note.author_id) if like is not None else None
    if like is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.LIKE,
        recipient=recipient,
        actor_id=user_id,
        acted_at=like.created_at,
        note_id=note_id,
    )


def note_unlike_notify(*, note_id: int, user_id: int, author_id: int) -> bool:
    """`user_id` took their like back: out of the unread entry, unless they liked again."""
    if NoteLike.objects.filter(note_id=note_id, user_id=user_id).exists():
        return False
    return notification_actor_remove(
        kind=NotificationKind.LIKE, recipient_id=author_id, actor_id=user_id, note_id=note_id
    )


def note_collect_notify(*, note_id: int, user_id: int) -> Notification | None:
    """`user_id` collected a note (into any of their boards): its author hears of it once."""
    first = (
        BoardNote.objects.filter(note_id=note_id, board__owner_id=user_id)
        .select_related("note")
        .order_by("created_at")
        .first()
    )
    recipient = active_recipient(first.note.author_id) if first is not None else None
    if first is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.COLLECT,
        recipient=recipient,
        actor_id=user_id,
        acted_at=first.created_at,
        note_id=note_id,
    )


def note_uncollect_notify(*, note_id: int, user_id: int, author_id: int) -> bool:
    """A note left one of `user_id`'s boards: out of the unread entry once it is in none."""
    if BoardNote.objects.filter(note_id=note_id, board__owner_id=user_id).exists():
        return False
    return notification_actor_remove(
        kind=NotificationKind.COLLECT, recipient_id=author_id, actor_id=user_id, note_id=note_id
    )


def note_mention_notify(*, note_id: int, user_ids: list[int]) -> int:
    """People newly mentioned in a note hear of it, if it still mentions them and they may
    see it. Returns how many were told."""
    note = Note.objects.filter(pk=note_id).first()
    if note is None:
        return 0
    still = set(note.mentions.filter(pk__in=user_ids).values_list("pk", flat=True))
    told = 0
    for recipient in User.objects.filter(pk__in=still, is_active=True):
        entry = notification_actor_add(
            kind=NotificationKind.NOTE_MENTION,
            recipient=recipient,
            actor_id=note.author_id,
            acted_at=note.updated_at,
            note_id=note_id,
        )
        told += entry is not None
    return told
