"""The social graph: follows, follow requests, blocks and mutes. Each write is idempotent and
sends its domain event (accounts/events.py) after commit, only when the state changed.

A private account (`User.is_private`) is followed by request: `follow_create` stores a
`FollowRequest`, which its owner accepts (it becomes a `Follow`) or declines. A request is not
a follow: it opens no followers-only note, no follower list and puts nothing in a feed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rednote.db import get_or_create_racing
from rednote.events import send_on_commit

from .. import events
from ..models import Block, Follow, FollowRequest, Mute, User


def _follow_store(*, follower: User, followee: User) -> tuple[Follow, bool]:
    follow, created = get_or_create_racing(
        Follow, field="followee", follower=follower, followee=followee
    )
    if created:
        send_on_commit(
            events.follow_changed,
            sender=Follow,
            follower_id=follower.pk,
            followee_id=followee.pk,
            following=True,
        )
    return follow, created


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow | FollowRequest:
    """Follow someone; following twice is one follow. A private account is asked instead: the
    result is a `FollowRequest` (asking twice is one request) until its owner accepts it.
    Self-follows and blocks (either way) are refused."""
    if follower.pk == followee.pk:
        raise ValidationError({"followee": [_("You cannot follow yourself.")]})
    if Block.objects.between(follower, followee).exists():
        raise ValidationError({"followee": [_("You cannot follow this user.")]})
    follow = Follow.objects.filter(follower=follower, followee=followee).first()
    if follow is not None:
        return follow
    # Read under the owner's row lock: a switch to public (`profile_update`, which accepts the
    # pending requests) either ran before, and this is a follow, or waits for this request.
    is_private = (
        User.objects.select_for_update()
        .filter(pk=followee.pk)
        .values_list("is_private", flat=True)
        .first()
    )
    if not is_private:
        return _follow_store(follower=follower, followee=followee)[0]
    request, created = get_or_create_racing(
        FollowRequest, field="followee", requester=follower, target=followee
    )
    if created:
        send_on_commit(
            events.follow_requested,
            sender=FollowRequest,
            requester_id=follower.pk,
            target_id=followee.pk,
        )
    return request


def _request_drop(*, requester_id: int, target_id: int) -> bool:
    """Delete a pending request and say so (`follow_request_removed`); whether one existed."""
    deleted, _rows = FollowRequest.objects.filter(
        requester_id=requester_id, target_id=target_id
    ).delete()
    if deleted:
        send_on_commit(
            events.follow_request_removed,
            sender=FollowRequest,
            requester_id=requester_id,
            target_id=target_id,
        )
    return bool(deleted)


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop following, or cancel a pending request to follow; returns whether either existed."""
    cancelled = _request_drop(requester_id=follower.pk, target_id=followee.pk)
    deleted, _rows = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        send_on_commit(
            events.follow_changed,
            sender=Follow,
            follower_id=follower.pk,
            followee_id=followee.pk,
            following=False,
        )
    return bool(deleted) or cancelled


def _pending_request(*, owner: User, requester: User) -> FollowRequest:
    request = (
        FollowRequest.objects.select_for_update().filter(requester=requester, target=owner).first()
    )
    if request is None:
        raise ValidationError(
            {
                "handle": [
                    _("@%(handle)s has no pending request to follow you.")
                    % {"handle": requester.handle}
                ]
            }
        )
    return request


@transaction.atomic
def follow_request_accept(*, owner: User, requester: User) -> Follow:
    """`owner` accepts `requester`'s pending request: it becomes a follow (`follow_changed`,
    then `follow_request_accepted`). Only the owner can: the request is looked up as one made
    to them. No pending request is a ValidationError on `handle`."""
    request = _pending_request(owner=owner, requester=requester)
    request.delete()
    follow, _created = _follow_store(follower=requester, followee=owner)
    send_on_commit(
        events.follow_request_accepted,
        sender=FollowRequest,
        requester_id=requester.pk,
        target_id=owner.pk,
    )
    return follow


@transaction.atomic
def follow_request_decline(*, owner: User, requester: User) -> None:
    """`owner` declines `requester`'s pending request: it goes, and the requester is not told
    (they can ask again). No pending request is a ValidationError on `handle`."""
    request = _pending_request(owner=owner, requester=requester)
    _request_drop(requester_id=request.requester_id, target_id=owner.pk)


def follow_requests_accept_all(*, owner: User) -> int:
    """Accept every pending request to `owner` (their account became public). Call inside
    atomic() holding `owner`'s row lock. Returns how many became follows."""
    requests = list(
        FollowRequest.objects.select_for_update()
        .filter(target=owner)
        .select_related("requester")
        .order_by("created_at", "pk")
    )
    for request in requests:
        request.delete()
        _follow_store(follower=request.requester, followee=owner)
        send_on_commit(
            events.follow_request_accepted,
            sender=FollowRequest,
            requester_id=request.requester_id,
            target_id=owner.pk,
        )
    return len(requests)


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block someone: removes follows and follow requests both ways and prevents new ones.
    Idempotent."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": [_("You cannot block yourself.")]})
    block, created = get_or_create_racing(Block, field="blocked", blocker=blocker, blocked=blocked)
    if created:
        # Follows and pending requests, both ways.
        follow_delete(follower=blocker, followee=blocked)
        follow_delete(follower=blocked, followee=blocker)
        send_on_commit(
            events.user_blocked, sender=Block, blocker_id=blocker.pk, blocked_id=blocked.pk
        )
    return block


@transaction.atomic
def block_delete(*, blocker: User, blocked: User) -> bool:
    """Lift a block; returns whether one existed. Follows removed by it do not come back."""
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        send_on_commit(
            events.user_unblocked, sender=Block, blocker_id=blocker.pk, blocked_id=blocked.pk
        )
    return bool(deleted)


@transaction.atomic
def mute_create(*, muter: User, muted: User) -> Mute:
    """Mute someone: their content leaves your feeds; they are not told. Idempotent."""
    if muter.pk == muted.pk:
        raise ValidationError({"muted": [_("You cannot mute yourself.")]})
    mute, created = get_or_create_racing(Mute, field="muted", muter=muter, muted=muted)
    if created:
        send_on_commit(events.user_muted, sender=Mute, muter_id=muter.pk, muted_id=muted.pk)
    return mute


@transaction.atomic
def mute_delete(*, muter: User, muted: User) -> bool:
    """Unmute; returns whether a mute existed."""
    deleted, _rows = Mute.objects.filter(muter=muter, muted=muted).delete()
    if deleted:
        send_on_commit(events.user_unmuted, sender=Mute, muter_id=muter.pk, muted_id=muted.pk)
    return bool(deleted)
