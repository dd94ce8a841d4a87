"""Trending hashtags: the tags whose notes grew most in the last 24 hours against their usual
pace. A read (selector); it keeps its computed list in the Django cache for a few minutes.

The formula, per tag, from public notes only (`Note.objects.visible_to(None)`: published,
public, not hidden, by an active author) and leaving out tags in `TrendingExclusion`:

    recent   = the tag's notes published in the last 24 h
    baseline = its notes published in the 7 days before that, divided by 7 (a daily average)
    score    = (recent − baseline) / √(baseline + SMOOTHING)

that is, how far today stands above the tag's usual day, measured in the spread a day's count
naturally has (a count of independent posts varies by about its square root). SMOOTHING (5)
is the spread assumed for a tag with no history, so a tag going 0 → 2 scores 0.9 while one going
50 → 120 scores 9.4: a handful of posts is not a trend. A tag needs at least MIN_RECENT notes in
the last 24 h and more than its baseline to trend at all; ties go to the bigger count, then the
name.

The global list (TRENDING_CANDIDATES tags) is computed in two queries and cached for
TRENDING_CACHE_SECONDS (a moderator's exclusion forgets it at once, `trending_forget`); a note
hidden or deleted meanwhile still counts until then, never longer. For a signed-in reader the
notes of people they block, who block them, or whom they muted are taken out of the counts in
one more query per computation (cached with it), so those people never make a tag trend for
them.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import blocked_either_way, muted_by
from notes.models import Hashtag, Note, NoteHashtag

from .recompute import cached_value, cached_value_forget

RECENT_WINDOW = timedelta(hours=24)
BASELINE_DAYS = 7
SMOOTHING = 5.0
MIN_RECENT = 3
TRENDING_CANDIDATES = 50
TRENDING_SIZE = 10
TRENDING_CACHE_SECONDS = 300
TRENDING_CACHE_KEY = "feeds:trending:v1"

HashtagNotes = NoteHashtag


class _CachedTag(TypedDict):
    id: int
    name: str
    display_name: str
    recent: int
    previous: int


@dataclass(frozen=True)
class TrendingTag:
    """A trending hashtag: its notes in the last 24 h, its daily average over the 7 days
    before, and the score it is ranked by."""

    id: int
    name: str
    display_name: str
    recent: int
    baseline: float
    score: float

    @property
    def url(self) -> str:
        return reverse("feeds:tag", kwargs={"name": self.name})


def trending_score(*, recent: int, baseline: float) -> float:
    """(recent − baseline) / √(baseline + SMOOTHING); see the module's docstring."""
    return (recent - baseline) / math.sqrt(baseline + SMOOTHING)


def _rank(rows: list[_CachedTag]) -> list[TrendingTag]:
    tags = []
    for row in rows:
        baseline = row["previous"] / BASELINE_DAYS
        if row["recent"] < MIN_RECENT or row["recent"] <= baseline:
            continue
        score = trending_score(recent=row["recent"], baseline=baseline)
        tags.append(
            TrendingTag(
                id=row["id"],
                name=row["name"],
                display_name=row["display_name"],
                recent=row["recent"],
                baseline=round(baseline, 2),
                score=round(score, 3),
            )
        )
    tags.sort(key=lambda t: (-t.score, -t.recent, t.name))
    return tags


def _windows(now: datetime) -> tuple[datetime, datetime]:
    split = now - RECENT_WINDOW
    return split - timedelta(days=BASELINE_DAYS), split


def _counts(*, now: datetime, notes, hashtag_ids=None) -> dict[int, tuple[int, int]]:
    """{hashtag id: (recent, previous)} over `notes` (a Note queryset) in the two windows."""
    since, split = _windows(now)
    links = HashtagNotes.objects.filter(
        note__in=notes.filter(published_at__gte=since, published_at__lte=now)
    )
    if hashtag_ids is not None:
        links = links.filter(hashtag_id__in=hashtag_ids)
    rows = (
        links.values("hashtag_id")
        .annotate(
            recent=Count("pk", filter=Q(note__published_at__gte=split)),
            previous=Count("pk", filter=Q(note__published_at__lt=split)),
        )
        .order_by()
    )
    return {r["hashtag_id"]: (r["recent"], r["previous"]) for r in rows}


def trending_compute(*, now: datetime) -> list[_CachedTag]:
    """The global candidates at `now`, best first (two queries; uncached)."""
    counts = _counts(now=now, notes=Note.objects.visible_to(None))
    tags = Hashtag.objects.filter(
        pk__in=[pk for pk, (recent, _previous) in counts.items() if recent >= MIN_RECENT],
        trending_exclusion__isnull=True,
    )
    rows: list[_CachedTag] = [
        {
            "id": tag.pk,
            "name": tag.name,
            "display_name": tag.display_name,
            "recent": counts[tag.pk][0],
            "previous": counts[tag.pk][1],
        }
        for tag in tags
    ]
    order = {t.id: i for i, t in enumerate(_rank(rows))}
    rows = sorted((r for r in rows if r["id"] in order), key=lambda r: order[r["id"]])
    return rows[:TRENDING_CANDIDATES]


def _candidates() -> tuple[datetime, list[_CachedTag]]:
    """(when computed, the global candidates): cached, and recomputed by one request at a
    time (`feeds.recompute`)."""

    def compute() -> tuple[datetime, list[_CachedTag]]:
        now = timezone.now()
        return now, trending_compute(now=now)

    return cached_value(TRENDING_CACHE_KEY, compute, seconds=TRENDING_CACHE_SECONDS)


def trending_forget() -> None:
    """Drop the cached lists (after a moderator keeps a tag out, or lets it back in): the next
    read computes afresh."""
    cached_value_forget(TRENDING_CACHE_KEY)


def _without_unwanted(rows: list[_CachedTag], *, viewer, at: datetime) -> list[_CachedTag]:
    """`rows` less the notes of people in a block with `viewer` or muted by them (one query)."""
    unwanted = Note.objects.visible_to(None).filter(
        Q(blocked_either_way(viewer, user="author_id")) | Q(muted_by(viewer, user="author_id"))
    )
    minus = _counts(now=at, notes=unwanted, hashtag_ids=[r["id"] for r in rows])
    if not minus:
        return rows
    return [
        {
            **row,
            "recent": max(0, row["recent"] - minus.get(row["id"], (0, 0))[0]),
            "previous": max(0, row["previous"] - minus.get(row["id"], (0, 0))[1]),
        }
        for row in rows
    ]


def trending_tags(*, viewer, size: int = TRENDING_SIZE) -> list[TrendingTag]:
    """Up to `size` trending tags for `viewer`, best first, from the cache. A signed-in
    reader's list leaves out the notes of people in a block with them or muted by them: one
    query per reader and computation (kept as long as the global list), so a block or mute
    made meanwhile shows at the next computation, within TRENDING_CACHE_SECONDS."""
    computed_at, rows = _candidates()
    if rows and viewer is not None and viewer.is_authenticated:
        key = f"{TRENDING_CACHE_KEY}:reader:{viewer.pk}:{computed_at.timestamp():.6f}"
        mine: Any = cache.get(key)
        if mine is None:
            mine = _without_unwanted(rows, viewer=viewer, at=computed_at)
            cache.set(key, mine, TRENDING_CACHE_SECONDS)
        rows = mine
    return _rank(rows)[:size]
