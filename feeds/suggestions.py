"""What an empty Following feed suggests: people who post, from both languages, and the
hashtags most used lately — so a new reader's home feed is not a dead end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import chain, zip_longest

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import Follow, FollowRequest, User, blocked_either_way, muted_by
from accounts.selectors import Relationship
from notes.models import Hashtag, Note, Visibility

from .models import HashtagFollow, TrendingExclusion

RECENT = timedelta(days=30)


@dataclass(frozen=True)
class Suggestions:
    people: list[User]  # each with `relationship` for the follow button
    hashtags: list[Hashtag]  # each with `recent_notes`

    def __bool__(self) -> bool:
        return bool(self.people or self.hashtags)


def _recent_public_notes() -> QuerySet:
    since = timezone.now() - RECENT
    return Note.objects.published().filter(
        visibility=Visibility.PUBLIC, published_at__gte=since, author__is_active=True
    )


def people_to_follow(*, viewer: User, limit: int = 6) -> list[User]:
    """Active authors `viewer` does not follow (nor asked to), is in no block with and has not
    muted (as people search leaves them out), the most prolific of the last 30 days first,
    alternating between people who write in a language the viewer reads and people who do not.
    Two queries."""
    authors = list(
        _recent_public_notes()
        .exclude(author=viewer)
        .values("author")
        .annotate(n=Count("pk"))
        .order_by("-n", "-author")
        .values_list("author", flat=True)[: limit * 5]
    )
    if not authors:
        return []
    rank = {author_id: index for index, author_id in enumerate(authors)}
    people = sorted(
        User.objects.active()
        .filter(pk__in=authors)
        .exclude(Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))))
        # Nor private accounts the viewer already asked to follow.
        .exclude(Exists(FollowRequest.objects.filter(requester=viewer, target=OuterRef("pk"))))
        .exclude(blocked_either_way(viewer))
        .exclude(muted_by(viewer))
        .annotate(
            follows_viewer=Exists(Follow.objects.filter(follower=OuterRef("pk"), followee=viewer))
        ),
        key=lambda person: rank[person.pk],
    )
    reads = set(viewer.reads)
    same = [p for p in people if reads & set(p.languages or [])]
    other = [p for p in people if not reads & set(p.languages or [])]
    chosen = [p for p in chain.from_iterable(zip_longest(same, other)) if p is not None][:limit]
    for person in chosen:
        person.relationship = Relationship(followed_by=person.follows_viewer)
    return chosen


def popular_hashtags(*, viewer: User, limit: int = 8) -> list[Hashtag]:
    """The hashtags on the most public notes of the last 30 days, without those moderators keep
    out of trending or `viewer` already follows. One query."""
    recent = _recent_public_notes().values("pk")
    return list(
        Hashtag.objects.filter(notes__in=recent)
        .exclude(Exists(TrendingExclusion.objects.filter(hashtag=OuterRef("pk"))))
        .exclude(Exists(HashtagFollow.objects.filter(user=viewer, hashtag=OuterRef("pk"))))
        .annotate(recent_notes=Count("notes"))
        .order_by("-recent_notes", "name")[:limit]
    )


def home_feed_suggestions(*, viewer: User) -> Suggestions:
    return Suggestions(
        people=people_to_follow(viewer=viewer), hashtags=popular_hashtags(viewer=viewer)
    )
