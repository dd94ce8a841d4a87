"""Reads for accounts: profiles, relationships and the lists of the social graph."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, OuterRef, QuerySet, Value
from django.http import Http404

from rednote.prepared import PreparedQuery

from .models import Block, Follow, Mute, User, blocked_either_way


def user_get_by_handle(*, handle: str) -> User:
    """The active user with this handle (any case), or 404."""
    user = User.objects.active().by_handle(handle).first()
    if user is None:
        raise Http404("No such user.")
    return user


def user_get_profile(*, handle: str) -> User:
    """The active user with follower/following counts annotated, or 404."""
    user = (
        User.objects.active()
        .by_handle(handle)
        .annotate(
            follower_count=Count("follower_set", distinct=True),
            following_count=Count("following_set", distinct=True),
        )
        .first()
    )
    if user is None:
        raise Http404("No such user.")
    return user


@dataclass(frozen=True)
class Relationship:
    is_self: bool = False
    following: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False

    @property
    def can_follow(self) -> bool:
        return not (self.is_self or self.blocking or self.blocked_by)


def relationship_get(*, viewer, other: User) -> Relationship:
    """How `viewer` stands to `other`, in one query (prepared: the note page and profiles ask
    it on every signed-in read, and building its five subqueries cost more than running it)."""
    if viewer is None or not viewer.is_authenticated:
        return Relationship()
    if viewer.pk == other.pk:
        return Relationship(is_self=True)
    rows = _RELATIONSHIP(other.pk, viewer.pk)
    if not rows:
        raise User.DoesNotExist("No such user.")
    return Relationship(**rows[0])


def _relationship_row(other_id: int, viewer_id: int) -> QuerySet:
    return (
        User.objects.filter(pk=other_id)
        .annotate(
            following=Exists(Follow.objects.filter(follower=viewer_id, followee=OuterRef("pk"))),
            followed_by=Exists(Follow.objects.filter(follower=OuterRef("pk"), followee=viewer_id)),
            blocking=Exists(Block.objects.filter(blocker=viewer_id, blocked=OuterRef("pk"))),
            blocked_by=Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked=viewer_id)),
            muting=Exists(Mute.objects.filter(muter=viewer_id, muted=OuterRef("pk"))),
        )
        .values("following", "followed_by", "blocking", "blocked_by", "muting")[:1]
    )


_RELATIONSHIP = PreparedQuery(_relationship_row, 2)


def users_annotate_followed(queryset: QuerySet, *, viewer) -> QuerySet:
    """Add `viewer_follows` (bool) to each user, for follow buttons in lists."""
    if viewer is None or not viewer.is_authenticated:
        return queryset.annotate(viewer_follows=Value(False, output_field=BooleanField()))
    return queryset.annotate(
        viewer_follows=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
    )


def users_exclude_blocked(queryset: QuerySet, *, viewer) -> QuerySet:
    """Leave out people in a block with `viewer`, either way: never shown to each other."""
    return queryset.exclude(blocked_either_way(viewer))


def followers_list(*, user: User, viewer=None) -> QuerySet:
    """People who follow `user` that `viewer` may see, newest follow first."""
    qs = (
        User.objects.active()
        .filter(following_set__followee=user)
        .order_by("-following_set__created_at")
    )
    return users_annotate_followed(users_exclude_blocked(qs, viewer=viewer), viewer=viewer)


def following_list(*, user: User, viewer=None) -> QuerySet:
    """People `user` follows that `viewer` may see, newest follow first."""
    qs = (
        User.objects.active()
        .filter(follower_set__follower=user)
        .order_by("-follower_set__created_at")
    )
    return users_annotate_followed(users_exclude_blocked(qs, viewer=viewer), viewer=viewer)


def suspension_message(*, user: User) -> str:
    """What a suspended person is told when they try to sign in: until when, or that it is
    permanent. The time is in the active time zone (UTC unless told)."""
    from django.utils import formats, timezone
    from django.utils.translation import gettext

    if user.suspended_until is None:
        return gettext("Your account is suspended permanently.")
    until = formats.date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
    return gettext("Your account is suspended until %(until)s.") % {"until": until}


# --- Data exports -------------------------------------------------------------------------
