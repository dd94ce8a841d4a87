"""The relationship actions — follow, block, mute and their undo — in one table that the web
buttons (accounts.views), the API (accounts.api) and the admin (accounts.admin) all use.

Each kind names its model and the two people on it (the actor first), the services that create
and remove it, the `Relationship` flag that says whether the actor has it, and the words the
web says after each action.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Block, Follow, Mute, User


@dataclass(frozen=True)
class RelationshipKind:
    name: str  # "follow"; its undo is "unfollow"
    model: type[models.Model]
    people: tuple[str, str]  # the model's fields: the actor, then the other person
    create: Callable[[User, User], Any]  # (actor, other) -> the row; idempotent
    remove: Callable[[User, User], bool]  # (actor, other); whether one existed
    flag: str  # the `accounts.selectors.Relationship` attribute: the actor has it
    created: Promise  # after the action, %(handle)s is the other person
    removed: Promise
    # A `Relationship` attribute for a step on the way (a follow request to a private
    # account), and what the web says after taking it or taking it back.
    pending_flag: str = ""
    pending_created: Promise | None = None
    pending_removed: Promise | None = None

    @property
    def undo(self) -> str:
        return f"un{self.name}"

    def held(self, relationship) -> bool:
        """Whether the actor has it, or has taken its pending step, in `relationship`."""
        return getattr(relationship, self.flag) or bool(
            self.pending_flag and getattr(relationship, self.pending_flag)
        )


RELATIONSHIP_KINDS: dict[str, RelationshipKind] = {
    kind.name: kind
    for kind in (
        RelationshipKind(
            name="follow",
            model=Follow,
            people=("follower", "followee"),
            create=lambda me, other: services.follow_create(follower=me, followee=other),
            remove=lambda me, other: services.follow_delete(follower=me, followee=other),
            flag="following",
            created=_("You now follow @%(handle)s."),
            removed=_("You no longer follow @%(handle)s."),
            pending_flag="requested",
            pending_created=_(
                "@%(handle)s's account is private: your request to follow is sent, and they "
                "can accept it."
            ),
            pending_removed=_("You cancelled your request to follow @%(handle)s."),
        ),
        RelationshipKind(
            name="block",
            model=Block,
            people=("blocker", "blocked"),
            create=lambda me, other: services.block_create(blocker=me, blocked=other),
            remove=lambda me, other: services.block_delete(blocker=me, blocked=other),
            flag="blocking",
            created=_("You blocked @%(handle)s. Neither of you can follow the other now."),
            removed=_("You unblocked @%(handle)s."),
        ),
        RelationshipKind(
            name="mute",
            model=Mute,
            people=("muter", "muted"),
            create=lambda me, other: services.mute_create(muter=me, muted=other),
            remove=lambda me, other: services.mute_delete(muter=me, muted=other),
            flag="muting",
            created=_(
                "You muted @%(handle)s. Their notes stay out of your feeds; they are not told."
            ),
            removed=_("You unmuted @%(handle)s."),
        ),
    )
}


@dataclass(frozen=True)
class RelationshipAction:
    """One of the six actions: a kind, and whether it creates or removes the relationship."""

    kind: RelationshipKind
    creates: bool

    @property
    def name(self) -> str:
        return self.kind.name if self.creates else self.kind.undo

    @property
    def done(self) -> Promise:
        return self.kind.created if self.creates else self.kind.removed

    def done_in(self, relationship) -> Promise:
        """What to say once done, given the `relationship` before (for an undo) or after (for
        the action): a pending step taken or taken back has words of its own."""
        pending = bool(self.kind.pending_flag and getattr(relationship, self.kind.pending_flag))
        if pending:
            message = self.kind.pending_created if self.creates else self.kind.pending_removed
            if message is not None:
                return message
        return self.done

    def run(self, *, actor: User, other: User) -> None:
        """Apply it for `actor`; raises the service's ValidationError when refused."""
        if self.creates:
            self.kind.create(actor, other)
        else:
            self.kind.remove(actor, other)


RELATIONSHIP_ACTIONS: dict[str, RelationshipAction] = {
    action.name: action
    for kind in RELATIONSHIP_KINDS.values()
    for action in (RelationshipAction(kind, creates=True), RelationshipAction(kind, creates=False))
}
