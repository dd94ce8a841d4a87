"""Reads for the feeds pages. Discover is ranked (`feeds.ranking`) and paged in two streams
(`feeds.discover`); the home feed (`/following/`) has its own module, `feeds.home`.

The rules come from below: `Note.objects.visible_to` and `without_muted_by` (through
`notes.selectors.notes_recent_public`), so a feed shows what the API's lists show."""

from django.db.models import BigIntegerField, F, QuerySet, Value
from django.db.models.functions import Coalesce

from notes import selectors as notes_selectors


def notes_discover(*, viewer) -> QuerySet:
    """Discover: the published notes `viewer` may see, without those of people they muted (the
    rules of `GET /api/v1/notes/`), best ranked first: annotated `discover_score` (the note's
    `NoteRank` score, 0 until it is first ranked — a note is ranked moments after it is
    published, see `feeds.ranking`), ordered by it, then by id. Paged by `feeds.discover`."""
    score = Coalesce(F("rank__score"), Value(0), output_field=BigIntegerField())
    return (
        notes_selectors.notes_recent_public(viewer=viewer)
        .annotate(discover_score=score)
        .order_by("-discover_score", "-id")
    )
