"""Discover's ranking: each published note's score from its engagement and its age.

The formula is Reddit's "hot" rank, which is HN-style gravity written so that it never has to
change with the clock:

    points = 1 + Σ weight × count   (likes ×1, collects ×2, comments ×3; ENGAGEMENT_WEIGHTS)
    score  = log10(points) + (published_at − EPOCH) / TENFOLD

A note needs ten times the engagement to rank level with one published TENFOLD (48 h) later:
the same order as an engagement score decaying exponentially with age (×1/10 per 48 h), since
subtracting the same "now" from every note does not change the order. Stored in
`NoteRank.score` as an integer (× 10⁶) so keyset cursors stay exact.

Why not divide by (age + 2)^gravity as HN does? That score sinks for every note at every
recomputation, so a reader paging through Discover while ranks are refreshed would see notes
of the first page again below the cursor. This one moves only when a note's engagement moves:
pages stay stable across recomputations, and a recomputation is an upsert of the changed
counts.

Ranks are written by `discover_ranks_recompute` — periodically by Celery beat for the notes
published in the last RECOMPUTE_WINDOW (an older note would need thousands of times the
engagement of a new one to matter, so its rank is left as last computed), and by the demo
seed for all — and by `note_rank_update` when a note is published (`note_published`), so a
new note is ranked within moments, and when a comment is posted or removed (`comment_created`,
`comment_deleted`), so a note people are talking under climbs at once. A note without a rank
yet still appears in Discover, after the ranked ones (`feeds.selectors.notes_discover_unranked`);
the periodic run ranks any note left without one.
"""

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from notes.models import Note, NoteStatus

from .models import NoteRank

# What a reaction is worth: a comment (or a reply) is more effort than a collect, which is more
# than a like. The one place to change.
ENGAGEMENT_WEIGHTS: dict[str, int] = {"like_count": 1, "collect_count": 2, "comment_count": 3}
TENFOLD = timedelta(hours=48)
# Any instant before the first note; it keeps every score positive (unranked notes count 0).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
SCALE = 10**6
RECOMPUTE_WINDOW = timedelta(days=14)
BATCH_SIZE = 1000

_COLUMNS = ("pk", "published_at", *ENGAGEMENT_WEIGHTS)


def discover_score(*, published_at: datetime, counts: dict[str, int]) -> int:
    """The stored score (× 10⁶) of a note published at `published_at` with these engagement
    counters (keys of ENGAGEMENT_WEIGHTS; missing ones count as 0)."""
    points = 1 + sum(
        weight * max(counts.get(name, 0), 0) for name, weight in ENGAGEMENT_WEIGHTS.items()
    )
    age_units = (published_at - EPOCH) / TENFOLD
    return round((math.log10(points) + age_units) * SCALE)


def _rank_rows(rows: Iterable[tuple], computed_at: datetime) -> list[NoteRank]:
    """Ranks for rows of (`_COLUMNS`..., stored score or None), leaving out those whose stored
    score is already right: most recent notes gained nothing since the last run."""
    ranks = []
    for pk, published_at, *values, stored in rows:
        counts = dict(zip(ENGAGEMENT_WEIGHTS, values, strict=True))
        score = discover_score(published_at=published_at, counts=counts)
        if score != stored:
            ranks.append(NoteRank(note_id=pk, score=score, computed_at=computed_at))
    return ranks


def _upsert(ranks: list[NoteRank]) -> None:
    if ranks:
        NoteRank.objects.bulk_create(
            ranks,
            update_conflicts=True,
            unique_fields=["note"],
            update_fields=["score", "computed_at"],
        )


def discover_ranks_recompute(*, since: datetime | None, missing: bool = False) -> int:
    """Compute the rank of every published note published at or after `since` (all of them
    for None) — with `missing`, also of every published note of any age that has no rank —
    and store those that changed, in batches of BATCH_SIZE upserts. Returns how many notes
    were ranked (changed or not).

    Idempotent; safe to run concurrently with itself (each upsert is a row-level write of a
    value that depends only on the note's current counters)."""
    published = Note.objects.filter(status=NoteStatus.PUBLISHED, published_at__isnull=False)
    passes = [published if since is None else published.filter(published_at__gte=since)]
    if missing and since is not None:
        # A pass of its own: an OR of the two conditions defeats both indexes.
        passes.append(published.filter(published_at__lt=since, rank__isnull=True))
    now = timezone.now()
    total = 0
    for notes in passes:
        batch: list[tuple] = []
        rows = notes.order_by().values_list(*_COLUMNS, "rank__score")
        for row in rows.iterator(chunk_size=BATCH_SIZE):
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                _upsert(_rank_rows(batch, now))
                total, batch = total + len(batch), []
        if batch:
            _upsert(_rank_rows(batch, now))
            total += len(batch)
    return total


def discover_ranks_recompute_recent() -> int:
    """The periodic recomputation: notes published within RECOMPUTE_WINDOW, and any published
    note left without a rank (its task on `note_published` lost, or published before ranks
    existed), so that no note stays among the unranked for longer than one period."""
    return discover_ranks_recompute(since=timezone.now() - RECOMPUTE_WINDOW, missing=True)


def note_rank_update(*, note_id: int) -> bool:
    """(Re)rank one note if it is published; drop a stale rank otherwise. True if ranked."""
    rows = list(
        Note.objects.filter(
            Q(pk=note_id), Q(status=NoteStatus.PUBLISHED), Q(published_at__isnull=False)
        ).values_list(*_COLUMNS, "rank__score")
    )
    if not rows:
        NoteRank.objects.filter(note_id=note_id).delete()
        return False
    _upsert(_rank_rows(rows, timezone.now()))
    return True


def on_note_published(sender, note_id: int, **kwargs) -> None:
    """`note_published` receiver: rank the note soon (queue `feeds`), so it is not last."""
    from rednote.tasks import enqueue_on_commit

    enqueue_on_commit("feeds.note_rank_update", note_id=note_id)


def on_comment_changed(sender, note_id: int, **kwargs) -> None:
    """`comment_created` / `comment_deleted` receiver: the note's comment count moved; rank it
    again soon (queue `feeds`)."""
    from rednote.tasks import enqueue_on_commit

    enqueue_on_commit("feeds.note_rank_update", note_id=note_id)


def connect_receivers() -> None:
    """Called from `FeedsConfig.ready()`."""
    from notes.events import comment_created, comment_deleted, note_published

    note_published.connect(on_note_published, dispatch_uid="feeds.ranking.note_published")
    comment_created.connect(on_comment_changed, dispatch_uid="feeds.ranking.comment_created")
    comment_deleted.connect(on_comment_changed, dispatch_uid="feeds.ranking.comment_deleted")
