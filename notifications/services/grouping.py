"""Grouping: people who did the same thing to the same note, comment or person join one unread
entry per recipient (`notifications.models`); acts are added to and taken out of entries here,
after the rules say the recipient may be told."""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from rednote.db import get_or_create_racing

from .. import selectors
from ..models import TAB_OF_KIND, Notification, NotificationActor, NotificationKind
from .reading import unread_counts_forget

# Kinds about a person rather than a note or comment: one entry per person (`user:<id>`).
PERSON_KINDS = frozenset(
    {NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST, NotificationKind.FOLLOW_ACCEPTED}
)

# Kinds told once per (recipient, thing, person): being mentioned in a note again after an
# edit, or a task delivered twice, adds nothing.
ONCE_KINDS = frozenset(
    {
        NotificationKind.NOTE_MENTION,
        NotificationKind.COMMENT_MENTION,
        NotificationKind.COMMENT,
        NotificationKind.REPLY,
    }
)


def group_key(*, kind: str, actor_id: int, note_id: int | None, comment_id: int | None) -> str:
    """What an unread entry of `kind` gathers people by (see `notifications.models`)."""
    if kind in PERSON_KINDS:
        return f"user:{actor_id}"
    if comment_id is not None:
        return f"comment:{comment_id}"
    return f"note:{note_id}"


def entry_refresh(entry: Notification) -> None:
    """Recount an entry's people and name the latest; delete it when nobody is left."""
    links = NotificationActor.objects.filter(notification=entry).order_by("-acted_at", "-id")
    latest = links.first()
    if latest is None:
        entry.delete()
        return
    Notification.objects.filter(pk=entry.pk).update(
        actor_id=latest.actor_id, actor_count=links.count()
    )


def active_recipient(user_id: int | None) -> User | None:
    """The active person with this id, or None (no id, gone or deactivated)."""
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@transaction.atomic
def notification_actor_add(
    *,
    kind: str,
    recipient: User,
    actor_id: int,
    acted_at: datetime,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> Notification | None:
    """Tell `recipient` that `actor_id` did `kind` at `acted_at` (about a note and/or a
    comment): join the unread entry of its group, or open one. Returns the entry, or None when
    the rules say nothing is told (self, blocks, mutes, content they may not see) or the act
    was told already (a task delivered twice, after the entry was read)."""
    if not selectors.actor_may_notify(recipient=recipient, actor_id=actor_id):
        return None
    if note_id is not None and not selectors.note_may_be_shown(
        recipient=recipient, note_id=note_id
    ):
        return None
    if comment_id is not None and not selectors.comment_may_be_shown(
        recipient=recipient, comment_id=comment_id
    ):
        return None
    key = group_key(kind=kind, actor_id=actor_id, note_id=note_id, comment_id=comment_id)
    told = NotificationActor.objects.filter(
        notification__recipient=recipient,
        notification__kind=kind,
        notification__group_key=key,
        actor_id=actor_id,
    )
    if kind not in ONCE_KINDS:
        told = told.filter(acted_at__gte=acted_at)
    if told.exists():
        return None

    def create() -> Notification:
        return Notification.objects.create(
            recipient=recipient,
            kind=kind,
            tab=TAB_OF_KIND[kind],
            group_key=key,
            actor_id=actor_id,
            actor_count=0,
            note_id=note_id,
            comment_id=comment_id,
            created_at=acted_at,
            updated_at=acted_at,
        )

    # The unread entry of the group (kinds that do not group have one person per key).
    entry, _created = get_or_create_racing(
        Notification,
        field="notification",
        create=create,
        recipient=recipient,
        kind=kind,
        group_key=key,
        read_at=None,
    )
    # Serialises the people of one entry: counts stay exact under concurrent likes.
    entry = Notification.objects.select_for_update().get(pk=entry.pk)
    _link, created = NotificationActor.objects.get_or_create(
        notification=entry, actor_id=actor_id, defaults={"acted_at": acted_at}
    )
    if created:
        Notification.objects.filter(pk=entry.pk, updated_at__lt=acted_at).update(
            updated_at=acted_at
        )
        entry_refresh(entry)
        unread_counts_forget(recipient.pk)
    return entry


@transaction.atomic
def notification_actor_remove(
    *,
    kind: str,
    recipient_id: int,
    actor_id: int,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> bool:
    """Take `actor_id` out of `recipient_id`'s unread entry of `kind` for that note, comment
    or person (an unlike, an uncollect, an unfollow); the entry goes when nobody is left.
    Read entries stay as they were read. Returns whether someone was taken out."""
    key = group_key(kind=kind, actor_id=actor_id, note_id=note_id, comment_id=comment_id)
    entry = (
        Notification.objects.select_for_update()
        .filter(recipient_id=recipient_id, kind=kind, group_key=key, read_at__isnull=True)
        .first()
    )
    if entry is None:
        return False
    deleted, _rows = NotificationActor.objects.filter(
        notification=entry, actor_id=actor_id
    ).delete()
    if deleted:
        entry_refresh(entry)
        unread_counts_forget(recipient_id)
    return bool(deleted)
