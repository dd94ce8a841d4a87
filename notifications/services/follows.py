"""Follows and follow requests (private accounts), told to the person followed or asked, and an
accepted request to the person who asked."""

from accounts.models import Follow, FollowRequest

from ..models import Notification, NotificationKind
from .grouping import active_recipient, notification_actor_add, notification_actor_remove
from .reading import unread_counts_forget


def follow_notify(*, follower_id: int, followee_id: int) -> Notification | None:
    """A new follower: the person followed hears of it, if the follow still stands."""
    follow = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).first()
    recipient = active_recipient(followee_id) if follow is not None else None
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
    recipient = active_recipient(target_id) if request is not None else None
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
    recipient = active_recipient(requester_id) if follow is not None else None
    if follow is None or recipient is None:
        return None
    return notification_actor_add(
        kind=NotificationKind.FOLLOW_ACCEPTED,
        recipient=recipient,
        actor_id=target_id,
        acted_at=follow.created_at,
    )
