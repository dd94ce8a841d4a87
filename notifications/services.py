"""Writes of the inbox, called by the `notifications` tasks (one per domain event).

Every task may run twice or late (at-least-once delivery, no order between queues), so each
service first looks at the source row — the like, the board entry, the follow, the comment —
and does nothing when the act it was told of is no longer true: a like whose task runs after
its unlike's adds nobody. Rules on write (no notice to yourself, none from someone in a block
with you or muted by you, none about content you may not see) are the read rule's own
conditions (`notifications.selectors`); reads filter with it again.

Each change drops the recipient's cached unread counts after commit.
"""

from datetime import datetime
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import DataExport, DataExportStatus, Follow, FollowRequest, User
from notes.models import BoardNote, Comment, CommentLike, Note, NoteLike
from rednote.db import get_or_create_racing

from . import notices, selectors
from .models import (
    TAB_OF_KIND,
    Notification,
    NotificationActor,
    NotificationKind,
)

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


def unread_counts_forget(*user_ids: int) -> None:
    """Drop these people's cached unread counts, now and once the current transaction
    commits, so the next page reads them afresh."""
    keys = [selectors.unread_counts_key(user_id) for user_id in set(user_ids)]
    if keys:
        # Now, for the rest of this request (the page that marked its tab read shows the new
        # badge), and again after commit: a reader who cached the old counts in between loses
        # them.
        cache.delete_many(keys)
        transaction.on_commit(partial(cache.delete_many, keys))


def group_key(*, kind: str, actor_id: int, note_id: int | None, comment_id: int | None) -> str:
    """What an unread entry of `kind` gathers people by (see `notifications.models`)."""
    if kind in PERSON_KINDS:
        return f"user:{actor_id}"
    if comment_id is not None:
        return f"comment:{comment_id}"
    return f"note:{note_id}"


def _entry_refresh(entry: Notification) -> None:
    """Recount an entry's people and name the latest; delete it when nobody is left."""
    links = NotificationActor.objects.filter(notification=entry).order_by("-acted_at", "-id")
    latest = links.first()
    if latest is None:
        entry.delete()
        return
    Notification.objects.filter(pk=entry.pk).update(
        actor_id=latest.actor_id, actor_count=links.count()
    )


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
        _entry_refresh(entry)
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
        _entry_refresh(entry)
        unread_counts_forget(recipient_id)
    return bool(deleted)


# --- One service per event ------------------------------------------------------------------


def _recipient(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def note_like_notify(*, note_id: int, user_id: int) -> Notification | None:
    """`user_id` liked a note: its author hears of it, if the like still stands."""
    like = NoteLike.objects.filter(note_id=note_id, user_id=user_id).select_related("note").first()
    recipient = _recipient(like.note.author_id) if like is not None else None
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
    recipient = _recipient(first.note.author_id) if first is not None else None
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


def follow_notify(*, follower_id: int, followee_id: int) -> Notification | None:
    """A new follower: the person followed hears of it, if the follow still stands."""
    follow = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).first()
    recipient = _recipient(followee_id) if follow is not None else None
    if follow is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.FOLLOW,
        recipient=recipient,
        actor_id=follower_id,
        acted_at=follow.created_at,
    )


def unfollow_notify(*, follower_id: int, followee_id: int) -> bool:
    """An unfollow: out of the followee's unread entries, unless they follow again. The
    follower may no longer see the followee's followers-only notes: their counts are redone."""
    if Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists():
        return False
    unread_counts_forget(follower_id)
    return notification_actor_remove(
        kind=NotificationKind.FOLLOW, recipient_id=followee_id, actor_id=follower_id
    )


# --- Follow requests (private accounts) -----------------------------------------------------


def follow_request_notify(*, requester_id: int, target_id: int) -> Notification | None:
    """Someone asked to follow a private account: its owner hears of it, if the request is
    still pending."""
    request = FollowRequest.objects.filter(requester_id=requester_id, target_id=target_id).first()
    recipient = _recipient(target_id) if request is not None else None
    if request is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.FOLLOW_REQUEST,
        recipient=recipient,
        actor_id=requester_id,
        acted_at=request.created_at,
    )


def follow_request_closed_notify(*, requester_id: int, target_id: int) -> bool:
    """A request was answered or withdrawn: out of the owner's unread entries (the follow, if
    any, is told as a follow), unless the person asked again meanwhile."""
    if FollowRequest.objects.filter(requester_id=requester_id, target_id=target_id).exists():
        return False
    return notification_actor_remove(
        kind=NotificationKind.FOLLOW_REQUEST, recipient_id=target_id, actor_id=requester_id
    )


def follow_request_accepted_notify(*, requester_id: int, target_id: int) -> Notification | None:
    """The owner accepted: the requester hears of it (if the follow still stands), and the
    request leaves the owner's unread entries."""
    follow_request_closed_notify(requester_id=requester_id, target_id=target_id)
    follow = Follow.objects.filter(follower_id=requester_id, followee_id=target_id).first()
    recipient = _recipient(requester_id) if follow is not None else None
    if follow is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.FOLLOW_ACCEPTED,
        recipient=recipient,
        actor_id=target_id,
        acted_at=follow.created_at,
    )


# --- Notices from the site ------------------------------------------------------------------


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
    recipient = _recipient(user_id) if ready else None
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


@transaction.atomic
def notifications_forget_person(*, recipient_id: int, person_id: int) -> int:
    """`person_id` is blocked by or blocking `recipient_id`, or muted by them: take them out
    of every entry of `recipient_id`'s inbox, read or not (entries left with nobody go).
    Unblocking or unmuting brings nothing back. Returns how many entries were touched."""
    touched = NotificationActor.objects.filter(
        notification__recipient_id=recipient_id, actor_id=person_id
    ).values("notification_id")
    entries = list(Notification.objects.select_for_update().filter(pk__in=touched).order_by("pk"))
    if not entries:
        return 0
    NotificationActor.objects.filter(notification__in=entries, actor_id=person_id).delete()
    for entry in entries:
        _entry_refresh(entry)
    unread_counts_forget(recipient_id)
    return len(entries)


def notifications_of_note_forget(*, note_id: int, author_id: int | None = None) -> int:
    """A note was deleted: its entries go (the rows keep its id, see `notifications.models`).
    Returns how many entries were deleted."""
    entries = Notification.objects.filter(note_id=note_id)
    recipients = set(entries.values_list("recipient_id", flat=True))
    _total, deleted = entries.delete()
    unread_counts_forget(*recipients, *([author_id] if author_id else []))
    return deleted.get(Notification._meta.label, 0)


def notifications_of_note_recount(*, note_id: int) -> None:
    """A note was hidden or narrowed: its entries stay (they show again if it comes back) but
    their recipients' unread counts are read afresh."""
    unread_counts_forget(
        *Notification.objects.filter(note_id=note_id).values_list("recipient_id", flat=True)
    )


def person_acts_recount(*, user_id: int) -> None:
    """A person was suspended or restored: the entries they are in show or hide with them, so
    the counts of everyone they reached are redone."""
    unread_counts_forget(
        *NotificationActor.objects.filter(actor_id=user_id)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )


def note_withdrawn_notify(*, note_id: int, author_id: int) -> None:
    """A note left some readers: a deleted one's entries go; a hidden or narrowed one's stay
    (filtered on read, shown again if it comes back) and their recipients' counts are redone."""
    if Note.objects.filter(pk=note_id).exists():
        notifications_of_note_recount(note_id=note_id)
    else:
        notifications_of_note_forget(note_id=note_id, author_id=author_id)


@transaction.atomic
def notifications_read(
    *, recipient: User, tab: str | None = None, ids: list[int] | None = None
) -> int:
    """Mark `recipient`'s unread entries read: all of them, one tab's, or those `ids` (others'
    ids are ignored). A person who acts again afterwards opens a new entry. Returns how many
    were marked."""
    entries = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if tab is not None:
        entries = entries.filter(tab=tab)
    if ids is not None:
        entries = entries.filter(pk__in=ids)
    marked = entries.update(read_at=timezone.now())
    if marked:
        unread_counts_forget(recipient.pk)
    return marked


# --- Comments (notes.Comment) ---------------------------------------------------------------


def comment_created_notify(
    *,
    comment_id: int,
    reply_to_user_id: int | None = None,
    mentioned_user_ids: list[int] | None = None,
) -> int:
    """A comment was posted: a top-level comment tells the note's author, a reply tells the
    person answered, and people it mentions hear of it — each person once per comment, and
    only while the comment stands. Returns how many were told."""
    comment = Comment.objects.filter(pk=comment_id).select_related("note").first()
    if comment is None:
        return 0
    told: set[int] = set()
    heads: list[tuple[str, int | None]]
    if comment.parent_id is None:
        heads = [(NotificationKind.COMMENT, comment.note.author_id)]
    else:
        heads = [(NotificationKind.REPLY, reply_to_user_id or comment.reply_to_id)]
    mentioned = set(
        comment.mentions.filter(pk__in=mentioned_user_ids or []).values_list("pk", flat=True)
    )
    heads += [(NotificationKind.COMMENT_MENTION, user_id) for user_id in sorted(mentioned)]
    for kind, user_id in heads:
        recipient = _recipient(user_id)
        if recipient is None or recipient.pk in told:
            continue
        entry = notification_actor_add(
            kind=kind,
            recipient=recipient,
            actor_id=comment.author_id,
            acted_at=comment.created_at,
            note_id=comment.note_id,
            comment_id=comment.pk,
        )
        if entry is not None:
            told.add(recipient.pk)
    return len(told)


def notifications_of_comments_forget(*, note_id: int) -> int:
    """Comments under a note were deleted or hidden (a top-level one takes its replies along,
    whose ids the event does not carry): the entries about comments of that note that are gone
    go too. Returns how many entries were deleted."""
    about_comments = Notification.objects.filter(note_id=note_id, comment_id__isnull=False)
    # Hiding a comment is told with the same event: its entries stay (filtered on read, shown
    # again if unhidden), and every recipient's counts are redone.
    recipients = set(about_comments.values_list("recipient_id", flat=True))
    gone = about_comments.exclude(
        comment_id__in=Comment.objects.filter(note_id=note_id).values("pk")
    )
    _total, deleted = gone.delete()
    unread_counts_forget(*recipients)
    return deleted.get(Notification._meta.label, 0)


def comment_like_notify(*, comment_id: int, user_id: int) -> Notification | None:
    """`user_id` liked a comment: its author hears of it, if the like still stands."""
    like = (
        CommentLike.objects.filter(comment_id=comment_id, user_id=user_id)
        .select_related("comment")
        .first()
    )
    recipient = _recipient(like.comment.author_id) if like is not None else None
    if like is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.COMMENT_LIKE,
        recipient=recipient,
        actor_id=user_id,
        acted_at=like.created_at,
        note_id=like.comment.note_id,
        comment_id=comment_id,
    )


def comment_unlike_notify(*, comment_id: int, user_id: int, author_id: int) -> bool:
    if CommentLike.objects.filter(comment_id=comment_id, user_id=user_id).exists():
        return False
    return notification_actor_remove(
        kind=NotificationKind.COMMENT_LIKE,
        recipient_id=author_id,
        actor_id=user_id,
        comment_id=comment_id,
    )
