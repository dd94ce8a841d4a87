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

A group of tags moderators linked across languages (`notes.HashtagGroup`: #美食 ↔ #food) trends
as one topic: its counts are its distinct notes (a note tagged #美食 and #food counts once), and
it is shown as its tag with the most notes in the last 24 h. A group is kept out of trending
when any of its tags is. (The group's counts come from the copy of the group on each note's
link, `NoteHashtag.group`.)

The global list (TRENDING_CANDIDATES tags) is computed in two queries (four when tags of a
group were used) and cached for TRENDING_CACHE_SECONDS (a moderator's exclusion forgets it at
once, `trending_forget`); a note hidden or deleted meanwhile still counts until then, never
longer. For a signed-in reader the notes of people they block, who block them, or whom they
muted are taken out of the counts in one more query per computation (cached with it), so those
people never make a tag trend for them.
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
TRENDING_CACHE_KEY = "feeds:trending:v2"

HashtagNotes = NoteHashtag


class _CachedTag(TypedDict):
    id: int
    name: str
    display_name: str
    recent: int
    previous: int
    group_id: int | None  # the counts are the group's: its notes, each once


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


def _links(*, now: datetime, notes):
    since, _split = _windows(now)
    return HashtagNotes.objects.filter(
        note__in=notes.filter(published_at__gte=since, published_at__lte=now)
    )


def _window_counts(*, now: datetime, field: str, distinct: bool = False) -> dict[str, Count]:
    _since, split = _windows(now)
    return {
        "recent": Count(field, filter=Q(note__published_at__gte=split), distinct=distinct),
        "previous": Count(field, filter=Q(note__published_at__lt=split), distinct=distinct),
    }


def _counts(*, now: datetime, notes, hashtag_ids=None) -> dict[int, tuple[int, int, int | None]]:
    """{hashtag id: (recent, previous, group id or None)} over `notes` (a Note queryset) in the
    two windows."""
    links = _links(now=now, notes=notes)
    if hashtag_ids is not None:
        links = links.filter(hashtag_id__in=hashtag_ids)
    rows = (
        links.values("hashtag_id", "group_id")
        .annotate(**_window_counts(now=now, field="pk"))
        .order_by()
    )
    return {r["hashtag_id"]: (r["recent"], r["previous"], r["group_id"]) for r in rows}


def _group_counts(*, now: datetime, notes, group_ids) -> dict[int, tuple[int, int]]:
    """{group id: (recent, previous)} over `notes`: each note once, whichever of the group's
    tags it carries."""
    if not group_ids:
        return {}
    rows = (
        _links(now=now, notes=notes)
        .filter(group_id__in=list(group_ids))
        .values("group_id")
        .annotate(**_window_counts(now=now, field="note_id", distinct=True))
        .order_by()
    )
    return {r["group_id"]: (r["recent"], r["previous"]) for r in rows}


def trending_compute(*, now: datetime) -> list[_CachedTag]:
    """The global candidates at `now`, best first (three queries, four when tags of a group
    were used; uncached). A group is one candidate: its distinct notes, shown as its tag with
    the most recent notes (then the most previous ones, then the oldest tag)."""
    public = Note.objects.visible_to(None)
    counts = _counts(now=now, notes=public)
    groups = _group_counts(
        now=now, notes=public, group_ids={g for _r, _p, g in counts.values() if g is not None}
    )
    shown: dict[int, tuple[int, int, int | None]] = {}  # hashtag id: the counts it trends with
    best: dict[int, tuple[int, int, int]] = {}  # group id: its tag with the most recent notes
    for pk, (recent, previous, group_id) in counts.items():
        if group_id is None:
            shown[pk] = (recent, previous, None)
        elif group_id in groups and (recent, previous, -pk) > best.get(group_id, (-1, -1, 0)):
            best[group_id] = (recent, previous, -pk)
    for group_id, (_recent, _previous, minus_pk) in best.items():
        shown[-minus_pk] = (*groups[group_id], group_id)
    kept_out = set(
        Hashtag.objects.filter(group_id__in=list(best), trending_exclusion__isnull=False)
        .values_list("group_id", flat=True)
        .distinct()
    )
    tags = Hashtag.objects.filter(
        pk__in=[
            pk
            for pk, (recent, _previous, group_id) in shown.items()
            if recent >= MIN_RECENT and group_id not in kept_out
        ],
        trending_exclusion__isnull=True,
    )
    rows: list[_CachedTag] = [
        {
            "id": tag.pk,
            "name": tag.name,
            "display_name": tag.display_name,
            "recent": shown[tag.pk][0],
            "previous": shown[tag.pk][1],
            "group_id": shown[tag.pk][2],
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
    """`rows` less the notes of people in a block with `viewer` or muted by them (one query,
    two when a group trends)."""
    unwanted = Note.objects.visible_to(None).filter(
        Q(blocked_either_way(viewer, user="author_id")) | Q(muted_by(viewer, user="author_id"))
    )
    group_ids = [row["group_id"] for row in rows if row.get("group_id") is not None]
    tag_ids = [row["id"] for row in rows if row.get("group_id") is None]
    minus_tags = _counts(now=at, notes=unwanted, hashtag_ids=tag_ids) if tag_ids else {}
    minus_groups = _group_counts(now=at, notes=unwanted, group_ids=group_ids)
    if not minus_tags and not minus_groups:
        return rows

    def minus(row: _CachedTag) -> tuple[int, int]:
        group_id = row.get("group_id")
        if group_id is not None:
            return minus_groups.get(group_id, (0, 0))
        return minus_tags.get(row["id"], (0, 0, None))[:2]

    return [
        {
            **row,
            "recent": max(0, row["recent"] - minus(row)[0]),
            "previous": max(0, row["previous"] - minus(row)[1]),
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
