"""How the inbox hears of what happened: receivers of the notes, accounts and moderation
events, connected in `NotificationsConfig.ready()`. They only enqueue a `notifications` task
(by name) after the commit that sent the event; the tasks do the work
(`notifications.services`)."""

import uuid
from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

from rednote.tasks import enqueue_on_commit


def on_note_liked(*, note_id: int, user_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.note_liked", note_id=note_id, user_id=user_id)


def on_note_unliked(*, note_id: int, user_id: int, author_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.note_unliked", note_id=note_id, user_id=user_id, author_id=author_id
    )


def on_note_collected(*, note_id: int, user_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.note_collected", note_id=note_id, user_id=user_id)


def on_note_uncollected(*, note_id: int, user_id: int, author_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.note_uncollected", note_id=note_id, user_id=user_id, author_id=author_id
    )


def on_note_mentioned(*, note_id: int, user_ids: list[int], **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.note_mentioned", note_id=note_id, user_ids=list(user_ids))


def on_note_withdrawn(*, note_id: int, author_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.note_withdrawn", note_id=note_id, author_id=author_id)


def on_follow_changed(
    *, follower_id: int, followee_id: int, following: bool, **_kwargs: Any
) -> None:
    enqueue_on_commit(
        "notifications.follow_changed",
        follower_id=follower_id,
        followee_id=followee_id,
        following=following,
    )


def on_user_blocked(*, blocker_id: int, blocked_id: int, **_kwargs: Any) -> None:
    # Both ways: neither hears of the other while a block stands.
    enqueue_on_commit("notifications.person_forget", recipient_id=blocker_id, person_id=blocked_id)
    enqueue_on_commit("notifications.person_forget", recipient_id=blocked_id, person_id=blocker_id)


def on_user_muted(*, muter_id: int, muted_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.person_forget", recipient_id=muter_id, person_id=muted_id)


def on_user_unblocked(*, blocker_id: int, blocked_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.unread_recount", user_ids=[blocker_id, blocked_id])


def on_user_unmuted(*, muter_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.unread_recount", user_ids=[muter_id])


def on_user_suspended(*, user_id: int, **_kwargs: Any) -> None:
    # Suspended or restored alike: their entries hide or show with them.
    enqueue_on_commit("notifications.person_acts_recount", user_id=user_id)


def on_comment_created(
    *,
    comment_id: int,
    reply_to_user_id: int | None = None,
    mentioned_user_ids: list[int] | None = None,
    **_kwargs: Any,
) -> None:
    enqueue_on_commit(
        "notifications.comment_created",
        comment_id=comment_id,
        reply_to_user_id=reply_to_user_id,
        mentioned_user_ids=list(mentioned_user_ids or []),
    )


def on_comment_deleted(*, note_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.comment_deleted", note_id=note_id)


def on_comment_liked(*, comment_id: int, user_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.comment_liked", comment_id=comment_id, user_id=user_id)


def on_comment_unliked(*, comment_id: int, user_id: int, author_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.comment_unliked",
        comment_id=comment_id,
        user_id=user_id,
        author_id=author_id,
    )


def on_follow_requested(*, requester_id: int, target_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.follow_requested", requester_id=requester_id, target_id=target_id
    )


def on_follow_request_accepted(*, requester_id: int, target_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.follow_request_accepted", requester_id=requester_id, target_id=target_id
    )


def on_follow_request_removed(*, requester_id: int, target_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit(
        "notifications.follow_request_removed", requester_id=requester_id, target_id=target_id
    )


def on_data_export_ready(*, user_id: int, export_id: int, **_kwargs: Any) -> None:
    enqueue_on_commit("notifications.export_ready", user_id=user_id, export_id=export_id)


def on_moderation_notice(
    *,
    recipient_id: int,
    action: str,
    reason: str = "",
    target_type: str = "",
    target_id: int | None = None,
    details: dict | None = None,
    **_kwargs: Any,
) -> None:
    # One key per event, fixed here: a task delivered twice tells it once, while the same
    # action taken again later is told again (the audit entry's id is used when there is one).
    enqueue_on_commit(
        "notifications.moderation_notice",
        recipient_id=recipient_id,
        action=str(action),
        reason=str(reason or ""),
        target_type=str(target_type or ""),
        target_id=target_id,
        details=dict(details or {}),
        key=uuid.uuid4().hex[:24],
    )


def connect() -> None:
    """Called from `NotificationsConfig.ready()`."""
    from accounts import events as accounts_events
    from moderation import events as moderation_events
    from notes import events as notes_events

    connections: list[tuple[Signal, Callable[..., None]]] = [
        (notes_events.note_liked, on_note_liked),
        (notes_events.note_unliked, on_note_unliked),
        (notes_events.note_collected, on_note_collected),
        (notes_events.note_uncollected, on_note_uncollected),
        (notes_events.note_mentioned, on_note_mentioned),
        (notes_events.note_withdrawn, on_note_withdrawn),
        (notes_events.comment_created, on_comment_created),
        (notes_events.comment_deleted, on_comment_deleted),
        (notes_events.comment_liked, on_comment_liked),
        (notes_events.comment_unliked, on_comment_unliked),
        (accounts_events.follow_changed, on_follow_changed),
        (accounts_events.user_blocked, on_user_blocked),
        (accounts_events.user_unblocked, on_user_unblocked),
        (accounts_events.user_muted, on_user_muted),
        (accounts_events.user_unmuted, on_user_unmuted),
        (accounts_events.user_suspended, on_user_suspended),
        (accounts_events.user_unsuspended, on_user_suspended),
        (accounts_events.follow_requested, on_follow_requested),
        (accounts_events.follow_request_accepted, on_follow_request_accepted),
        (accounts_events.follow_request_removed, on_follow_request_removed),
        (accounts_events.data_export_ready, on_data_export_ready),
        (moderation_events.moderation_notice, on_moderation_notice),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
