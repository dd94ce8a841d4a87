"""Notification tasks: thin, by id; each calls one service (`notifications.services`), which
looks at the source row first, so a task delivered twice or late changes nothing more.
Routed to the `default` queue (no route of their own in `CELERY_TASK_ROUTES`)."""

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from . import services


@shared_task(name="notifications.note_liked", acks_late=True, **RETRY_POLICY)
def note_liked_task(note_id: int, user_id: int) -> None:
    services.note_like_notify(note_id=note_id, user_id=user_id)


@shared_task(name="notifications.note_unliked", acks_late=True, **RETRY_POLICY)
def note_unliked_task(note_id: int, user_id: int, author_id: int) -> None:
    services.note_unlike_notify(note_id=note_id, user_id=user_id, author_id=author_id)


@shared_task(name="notifications.note_collected", acks_late=True, **RETRY_POLICY)
def note_collected_task(note_id: int, user_id: int) -> None:
    services.note_collect_notify(note_id=note_id, user_id=user_id)


@shared_task(name="notifications.note_uncollected", acks_late=True, **RETRY_POLICY)
def note_uncollected_task(note_id: int, user_id: int, author_id: int) -> None:
    services.note_uncollect_notify(note_id=note_id, user_id=user_id, author_id=author_id)


@shared_task(name="notifications.note_mentioned", acks_late=True, **RETRY_POLICY)
def note_mentioned_task(note_id: int, user_ids: list[int]) -> None:
    services.note_mention_notify(note_id=note_id, user_ids=user_ids)


@shared_task(name="notifications.note_withdrawn", acks_late=True, **RETRY_POLICY)
def note_withdrawn_task(note_id: int, author_id: int) -> None:
    services.note_withdrawn_notify(note_id=note_id, author_id=author_id)


@shared_task(name="notifications.follow_changed", acks_late=True, **RETRY_POLICY)
def follow_changed_task(follower_id: int, followee_id: int, following: bool) -> None:
    if following:
        services.follow_notify(follower_id=follower_id, followee_id=followee_id)
    else:
        services.unfollow_notify(follower_id=follower_id, followee_id=followee_id)


@shared_task(name="notifications.person_forget", acks_late=True, **RETRY_POLICY)
def person_forget_task(recipient_id: int, person_id: int) -> None:
    """A block (either way) or a mute: `person_id` leaves `recipient_id`'s inbox."""
    services.notifications_forget_person(recipient_id=recipient_id, person_id=person_id)


@shared_task(name="notifications.unread_recount", acks_late=True, **RETRY_POLICY)
def unread_recount_task(user_ids: list[int]) -> None:
    """Something that changes what these people may see (unblock, unmute, a suspension):
    their unread counts are read afresh."""
    services.unread_counts_forget(*user_ids)


@shared_task(name="notifications.person_acts_recount", acks_late=True, **RETRY_POLICY)
def person_acts_recount_task(user_id: int) -> None:
    """A suspension or its lifting: the counts of the people `user_id` reached."""
    services.person_acts_recount(user_id=user_id)


@shared_task(name="notifications.comment_created", acks_late=True, **RETRY_POLICY)
def comment_created_task(
    comment_id: int, reply_to_user_id: int | None, mentioned_user_ids: list[int]
) -> None:
    services.comment_created_notify(
        comment_id=comment_id,
        reply_to_user_id=reply_to_user_id,
        mentioned_user_ids=mentioned_user_ids,
    )


@shared_task(name="notifications.comment_deleted", acks_late=True, **RETRY_POLICY)
def comment_deleted_task(note_id: int) -> None:
    services.notifications_of_comments_forget(note_id=note_id)


@shared_task(name="notifications.comment_liked", acks_late=True, **RETRY_POLICY)
def comment_liked_task(comment_id: int, user_id: int) -> None:
    services.comment_like_notify(comment_id=comment_id, user_id=user_id)


@shared_task(name="notifications.comment_unliked", acks_late=True, **RETRY_POLICY)
def comment_unliked_task(comment_id: int, user_id: int, author_id: int) -> None:
    services.comment_unlike_notify(comment_id=comment_id, user_id=user_id, author_id=author_id)


@shared_task(name="notifications.follow_requested", acks_late=True, **RETRY_POLICY)
def follow_requested_task(requester_id: int, target_id: int) -> None:
    services.follow_request_notify(requester_id=requester_id, target_id=target_id)


@shared_task(name="notifications.follow_request_accepted", acks_late=True, **RETRY_POLICY)
def follow_request_accepted_task(requester_id: int, target_id: int) -> None:
    services.follow_request_accepted_notify(requester_id=requester_id, target_id=target_id)


@shared_task(name="notifications.follow_request_removed", acks_late=True, **RETRY_POLICY)
def follow_request_removed_task(requester_id: int, target_id: int) -> None:
    services.follow_request_closed_notify(requester_id=requester_id, target_id=target_id)


@shared_task(name="notifications.export_ready", acks_late=True, **RETRY_POLICY)
def export_ready_task(user_id: int, export_id: int) -> None:
    services.export_ready_notify(user_id=user_id, export_id=export_id)


@shared_task(name="notifications.moderation_notice", acks_late=True, **RETRY_POLICY)
def moderation_notice_task(
    recipient_id: int,
    action: str,
    reason: str,
    target_type: str,
    target_id: int | None,
    details: dict,
    key: str,
) -> None:
    services.moderation_notify(
        recipient_id=recipient_id,
        action=action,
        reason=reason,
        target_type=target_type,
        target_id=target_id,
        details=details,
        key=key,
    )
