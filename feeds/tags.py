"""Writes for hashtags as feeds see them: following a tag, and keeping a tag out of trending.

Following is idempotent (following twice is one follow, unfollowing what you don't follow is
nothing) and sends `feeds.events.hashtag_followed` / `hashtag_unfollowed` after commit, only when
something changed, so the home feed can start or stop delivering the tag's notes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from notes.models import Hashtag
from rednote.db import get_or_create_racing
from rednote.events import send_on_commit

from . import events, trending
from .models import HashtagFollow, TrendingExclusion

# How many tags one person may follow: every followed tag is a lookup on each note's fan-out
# path, and past a few hundred a home feed is Discover anyway.
HASHTAG_FOLLOW_LIMIT = 500


# Tries of a follow that keeps meeting a concurrent follow and unfollow of the same tag.


def hashtag_follow(*, user: User, hashtag: Hashtag) -> tuple[HashtagFollow, bool]:
    """`user` follows `hashtag`; returns the follow and whether it is new. Refuses (field
    `hashtag`) a new follow beyond HASHTAG_FOLLOW_LIMIT; an existing one is always fine."""
    return get_or_create_racing(
        HashtagFollow,
        field="hashtag",
        create=lambda: _hashtag_follow_create(user=user, hashtag=hashtag),
        user=user,
        hashtag=hashtag,
    )


def _hashtag_follow_create(*, user: User, hashtag: Hashtag) -> HashtagFollow:
    with transaction.atomic():
        # Lock the person's row so two concurrent follows can't both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if HashtagFollow.objects.filter(user=user).count() >= HASHTAG_FOLLOW_LIMIT:
            raise ValidationError(
                {
                    "hashtag": [
                        _(
                            "You follow %(limit)s tags already, the most one can follow. "
                            "Unfollow one to follow this one."
                        )
                        % {"limit": HASHTAG_FOLLOW_LIMIT}
                    ]
                }
            )
        follow = HashtagFollow.objects.create(user=user, hashtag=hashtag)
        send_on_commit(
            events.hashtag_followed,
            sender=HashtagFollow,
            user_id=user.pk,
            hashtag_id=hashtag.pk,
        )
    return follow


@transaction.atomic
def hashtag_unfollow(*, user: User, hashtag: Hashtag) -> bool:
    """`user` stops following `hashtag` — and, for a tag moderators linked into a group, every
    tag of the group they follow, since following one of them follows the topic; whether they
    were following any. One `hashtag_unfollowed` per tag unfollowed."""
    tag_ids = [hashtag.pk]
    if hashtag.group_id is not None:
        linked = HashtagFollow.objects.filter(
            Q(hashtag=hashtag) | Q(hashtag__group_id=hashtag.group_id), user=user
        )
        tag_ids = sorted(linked.values_list("hashtag_id", flat=True))
    deleted, _rows = HashtagFollow.objects.filter(user=user, hashtag_id__in=tag_ids).delete()
    for tag_id in tag_ids if deleted else []:
        send_on_commit(
            events.hashtag_unfollowed,
            sender=HashtagFollow,
            user_id=user.pk,
            hashtag_id=tag_id,
        )
    return bool(deleted)


@transaction.atomic
def trending_exclude(
    *, hashtag: Hashtag, by: User | None = None, reason: str | None = None
) -> TrendingExclusion:
    """Keep `hashtag` out of trending (its page and notes stay); idempotent, and `reason`
    (None: leave it as it is) replaces the one recorded. Trending forgets its cached list
    after commit, so the tag is gone from it at once."""
    exclusion, created = TrendingExclusion.objects.get_or_create(
        hashtag=hashtag, defaults={"created_by": by, "reason": reason or ""}
    )
    if not created and reason is not None and exclusion.reason != reason:
        exclusion.reason = reason
        exclusion.save(update_fields=["reason"])
    transaction.on_commit(trending.trending_forget)
    return exclusion


@transaction.atomic
def trending_include(*, hashtag: Hashtag) -> bool:
    """Let `hashtag` trend again; whether it was kept out."""
    deleted, _rows = TrendingExclusion.objects.filter(hashtag=hashtag).delete()
    transaction.on_commit(trending.trending_forget)
    return bool(deleted)
