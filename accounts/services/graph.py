"""The social graph: follows, blocks and mutes. Each write is idempotent and sends its domain
event (accounts/events.py) after commit, only when the state changed."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from rednote.events import send_on_commit

from .. import events
from ..models import Block, Follow, Mute, User

_Row = TypeVar("_Row", bound=models.Model)
# Tries of a write that keeps meeting a concurrent create and delete of the same row.
_RACE_ATTEMPTS = 3


def _get_or_create(model: type[_Row], **fields) -> tuple[_Row, bool]:
    """`get_or_create` for a row the same person may be creating and deleting in concurrent
    requests: a collided INSERT looks again, and creates anew when a concurrent delete already
    took the row away (Django's own raises then, a 500)."""
    for _attempt in range(_RACE_ATTEMPTS):
        row = model._default_manager.filter(**fields).first()
        if row is not None:
            return row, False
        try:
            with transaction.atomic():
                return model._default_manager.create(**fields), True
        except IntegrityError:
            continue
    return model._default_manager.get_or_create(**fields)


def _is_blocked_between(a: User, b: User) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow someone; following twice is one follow. Self-follows and blocks are refused."""
    if follower.pk == followee.pk:
        raise ValidationError({"followee": [_("You cannot follow yourself.")]})
    if _is_blocked_between(follower, followee):
        raise ValidationError({"followee": [_("You cannot follow this user.")]})
    follow, created = _get_or_create(Follow, follower=follower, followee=followee)
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
    block, created = _get_or_create(Block, blocker=blocker, blocked=blocked)
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
    mute, created = _get_or_create(Mute, muter=muter, muted=muted)
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
