"""Reads for the feeds pages. Discover is "recent public notes" until ranking arrives, and the
following feed is read from the database until the Redis fan-out store exists."""

from django.db.models import QuerySet

from notes import selectors as notes_selectors


def notes_discover(*, viewer) -> QuerySet:
    """Recently published notes `viewer` may see, without those of people they muted."""
    return notes_selectors.notes_exclude_muted(
        notes_selectors.notes_recent_public(viewer=viewer), viewer=viewer
    )


def notes_following(*, viewer) -> QuerySet:
    """Published notes by people `viewer` follows (visibility and mutes applied)."""
    return notes_discover(viewer=viewer).filter(author__follower_set__follower=viewer)
