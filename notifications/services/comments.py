"""Comments (notes.Comment): a new comment, reply or mention in a comment, and likes of
comments, told to those they concern while the comment stands."""

from notes.models import Comment, CommentLike

from ..models import Notification, NotificationKind
from .grouping import active_recipient, notification_actor_add, notification_actor_remove


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
        recipient = active_recipient(user_id)
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


def comment_like_notify(*, comment_id: int, user_id: int) -> Notification | None:
    """`user_id` liked a comment: its author hears of it, if the like still stands."""
    like = (
        CommentLike.objects.filter(comment_id=comment_id, user_id=user_id)
        .select_related("comment")
        .first()
    )
    recipient = active_recipient(like.comment.author_id) if like is not None else None
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
