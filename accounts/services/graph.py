"""The social graph: follows, blocks and mutes. Each write is idempotent and sends its domain
event (accounts/events.py) after commit, only when the state changed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rednote.db import get_or_create_racing
from rednote.events import send_on_commit

from .. import events
from ..models import Block, Follow, Mute, User


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow someone; following twice is one follow. Self-follows and blocks are refused."""
    if follower.pk == followee.pk:
        raise ValidationError({"followee": [_("You cannot follow yourself.")]})
    if Block.objects.between(follower, followee).exists():
        raise ValidationError({"followee": [_("You cannot follow this user.")]})
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
    return follow


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop following; returns whether a follow existed."""
    deleted, _rows = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        send_on_commit(
            events.follow_changed,
            sender=Follow,
            follower_id=follower.pk,
            followee_id=followee.pk,
            following=False,
        )
    return bool(deleted)


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block someone: removes follows both ways and prevents new ones. Idempotent."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": [_("You cannot block yourself.")]})
    block, created = get_or_create_racing(Block, field="blocked", blocker=blocker, blocked=blocked)
    if created:
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
