"""Reads for the feeds pages. Discover is "recent public notes" until ranking arrives, and the
following feed is read from the database until the Redis fan-out store exists.

The rules come from below: `Note.objects.visible_to` and `without_muted_by` (through
`notes.selectors.notes_recent_public`), so a feed shows what the API's lists show."""

from django.db.models import QuerySet

from notes import selectors as notes_selectors


def notes_discover(*, viewer) -> QuerySet:
    """Recently published notes `viewer` may see, without those of people they muted: the same
    list as `GET /api/v1/notes/`."""
    return notes_selectors.notes_recent_public(viewer=viewer)


def notes_following(*, viewer) -> QuerySet:
    """Published notes by people `viewer` follows (visibility and mutes applied)."""
    return notes_discover(viewer=viewer).filter(author__follower_set__follower=viewer)
