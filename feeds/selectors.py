"""Reads for the feeds pages. Discover is ranked (`feeds.ranking`) and paged in two streams
(`feeds.discover`); the home feed (`/following/`) has its own module, `feeds.home`.

The rules come from below: `Note.objects.visible_to` and `without_muted_by` (through
`notes.selectors.notes_recent_public`), so a feed shows what the API's lists show."""

from datetime import timedelta

from django.db.models import BigIntegerField, F, QuerySet, Value
from django.utils import timezone

from notes import selectors as notes_selectors

# Below every rank (`feeds.ranking` scores are positive for anything published since 2000).
UNRANKED_SCORE = 0
UNRANKED_WINDOW = timedelta(days=1)


def notes_discover(*, viewer) -> QuerySet:
    """Discover's ranked notes: the published notes `viewer` may see, without those of people
    they muted (the rules of `GET /api/v1/notes/`), that have a rank, annotated
    `discover_score` (their `NoteRank` score) and ordered by it, then by id — read in the
    order of the rank index, so a page costs the same at any table size. Notes not ranked yet
    are `notes_discover_unranked`; `feeds.discover` pages through both."""
    return (
        notes_selectors.notes_recent_public(viewer=viewer)
        .filter(rank__isnull=False)
        .annotate(discover_score=F("rank__score"))
        .order_by("-discover_score", "-id")
    )


def notes_discover_unranked(*, viewer) -> QuerySet:
    """The notes Discover shows after every ranked one, newest first (`discover_score` 0): those
    published moments ago whose rank is still on its way (a task on `note_published`), or whose
    ranking was lost and awaits the periodic recomputation (`feeds.ranking`, every 5 minutes),
    which ranks every note left without a rank. Only notes of the last UNRANKED_WINDOW (a day)
    are looked for, so the query reads a day of notes, whatever the size of the table (3 ms
    for a visitor, 18 ms for a member at 100k notes, none of them unranked)."""
    return (
        notes_selectors.notes_recent_public(viewer=viewer)
        .filter(rank__isnull=True, published_at__gte=timezone.now() - UNRANKED_WINDOW)
        .annotate(discover_score=Value(UNRANKED_SCORE, output_field=BigIntegerField()))
        .order_by("-discover_score", "-id")
    )
