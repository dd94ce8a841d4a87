"""Reads for accounts: profiles, relationships and the lists of the social graph."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Exists, OuterRef, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from rednote.prepared import PreparedQuery

from .models import Block, DataExport, Follow, FollowRequest, Mute, User, blocked_either_way


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
    # The viewer asked to follow this private account and the owner has not answered yet.
    requested: bool = False

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
            requested=Exists(
                FollowRequest.objects.filter(requester=viewer_id, target=OuterRef("pk"))
            ),
        )
        .values("following", "followed_by", "blocking", "blocked_by", "muting", "requested")[:1]
    )


_RELATIONSHIP = PreparedQuery(_relationship_row, 2)


def users_annotate_followed(queryset: QuerySet, *, viewer) -> QuerySet:
    """Add `viewer_follows` and `viewer_requested` (bools: the viewer follows the person, or
    asked to and waits) to each user, for follow buttons in lists."""
    if viewer is None or not viewer.is_authenticated:
        return queryset.annotate(
            viewer_follows=Value(False, output_field=BooleanField()),
            viewer_requested=Value(False, output_field=BooleanField()),
        )
    return queryset.annotate(
        viewer_follows=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))),
        viewer_requested=Exists(
            FollowRequest.objects.filter(requester=viewer, target=OuterRef("pk"))
        ),
    )


def users_exclude_blocked(queryset: QuerySet, *, viewer) -> QuerySet:
    """Leave out people in a block with `viewer`, either way: never shown to each other."""
    return queryset.exclude(blocked_either_way(viewer))


PRIVATE_LISTS_MESSAGE = _(
    "This account is private: only the people it approved see whom it follows and who follows it."
)


def follow_lists_visible(*, user: User, viewer=None) -> bool:
    """The one rule for who sees a person's follower and following lists: anyone for a
    public account; for a private one, its owner and the followers it approved (a pending
    request is not enough)."""
    if not user.is_private:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == user.pk or Follow.objects.filter(follower=viewer, followee=user).exists()


def follow_lists_check(*, user: User, viewer=None) -> None:
    """Raise PermissionDenied (a 403 on the page and in the API alike) when `viewer` may not
    see `user`'s follow lists (`follow_lists_visible`)."""
    if not follow_lists_visible(user=user, viewer=viewer):
        raise PermissionDenied(PRIVATE_LISTS_MESSAGE)


def followers_list(*, user: User, viewer=None) -> QuerySet:
    """People who follow `user` that `viewer` may see, newest follow first. PermissionDenied
    when the lists are private to `viewer` (`follow_lists_check`)."""
    follow_lists_check(user=user, viewer=viewer)
    qs = (
        User.objects.active()
        .filter(following_set__followee=user)
        .order_by("-following_set__created_at")
    )
    return users_annotate_followed(users_exclude_blocked(qs, viewer=viewer), viewer=viewer)


def following_list(*, user: User, viewer=None) -> QuerySet:
    """People `user` follows that `viewer` may see, newest follow first. PermissionDenied when
    the lists are private to `viewer` (`follow_lists_check`)."""
    follow_lists_check(user=user, viewer=viewer)
    qs = (
        User.objects.active()
        .filter(follower_set__follower=user)
        .order_by("-follower_set__created_at")
    )
    return users_annotate_followed(users_exclude_blocked(qs, viewer=viewer), viewer=viewer)


# --- Follow requests (private accounts) ---------------------------------------------------


def follow_requests_of(*, owner: User) -> QuerySet:
    """The pending requests to follow `owner`, newest first, from active people in no block
    with them, each with its requester."""
    return (
        FollowRequest.objects.filter(target=owner, requester__is_active=True)
        .exclude(blocked_either_way(owner, user="requester_id"))
        .select_related("requester")
        .order_by("-created_at", "-id")
    )


def follow_request_get(*, owner: User, handle: str) -> FollowRequest:
    """`handle`'s pending request to follow `owner`, or 404 (no such person, or no request of
    theirs to `owner`: another person's requests are never found)."""
    request = (
        follow_requests_of(owner=owner).filter(requester__in=User.objects.by_handle(handle)).first()
    )
    if request is None:
        raise Http404("No such follow request.")
    return request


def inactive_account_message(*, user: User) -> str:
    """What a person is told when the password matched an inactive account (the web sign-in
    and the API's token): a closed account no longer exists; a suspended one says until
    when (`suspension_message`)."""
    from django.utils.translation import gettext

    if user.is_closed:
        return gettext("This account no longer exists.")
    return suspension_message(user=user)


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


def data_exports_recent(*, user: User, limit: int = 5) -> list[DataExport]:
    """The person's latest export requests, newest first."""
    return list(DataExport.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def data_export_get_own(*, user, export_id: int) -> DataExport:
    """One of `user`'s exports, or 404: someone else's (or a visitor's ask) is not found."""
    if user is None or not user.is_authenticated:
        raise Http404("No such export.")
    export = DataExport.objects.filter(pk=export_id, user=user).first()
    if export is None:
        raise Http404("No such export.")
    return export
