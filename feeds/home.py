"""The home feed (`/following/` and `GET /api/v1/feeds/home/`): the notes of the people and the
hashtags a reader follows, newest first, in keyset pages.

With a feed store (`feeds.store`) a page is read from the reader's timeline, merged with the
newest notes of the authors too followed to be pushed (`feeds.fanout.pull_authors`); a timeline
that is missing (never built, expired while its reader was away, or flushed) is first rebuilt
from the database, with the same result. Without one (the quick start) the page is read from
the database (`feeds.sources`). Either way the notes are loaded through
`Note.objects.visible_to(viewer).without_muted_by(viewer)` and must still reach the reader, so
an entry left behind by a racing fan-out is never shown — and is taken out of the timeline.

A page costs a constant number of queries whatever its size: the notes (one query, plus the
card's prefetches), the pull authors' notes when the reader follows any, and a rebuild when the
timeline was missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from notes.models import Note
from notes.selectors import notes_annotate_viewer
from rednote.cursors import InvalidCursor, cursor_decode, cursor_encode
from rednote.pagination import CursorPage
from rednote.prepared import PreparedQuery

from .fanout import pull_authors_known
from .sources import home_reach, reader_entries
from .store import Entry, FeedStore, StoreError, get_store, store_configured

logger = logging.getLogger(__name__)

# A timeline must be gone before its reader stops getting pushes (FEED_ACTIVE_DAYS after their
# last activity, which is written at most once an hour): it expires this much earlier.
_EXPIRY_MARGIN = timedelta(hours=1)
_MIN_LIFETIME = timedelta(minutes=10)

Source = tuple[list[Entry], bool]  # entries newest first, and whether more may follow


def timeline_expiry(reader: User) -> int:
    """When `reader`'s timeline must expire (unix seconds): before pushes to them stop, so a
    reader back after FEED_ACTIVE_DAYS finds it missing and gets it rebuilt. A reader not
    marked active yet (their activity is written by this request) keeps it a few minutes."""
    now = timezone.now()
    seen = reader.last_active_at or now
    expiry = seen + timedelta(days=settings.FEED_ACTIVE_DAYS) - _EXPIRY_MARGIN
    return int(max(expiry, now + _MIN_LIFETIME).timestamp())


def timeline_rebuild(reader: User, store: FeedStore | None = None) -> int:
    """Rebuild `reader`'s timeline from the database (one query); returns its entry count."""
    store = store or get_store()
    if store is None:
        return 0
    entries = reader_entries(reader, limit=store.max_length)
    store.timeline_rebuild(reader.pk, entries, timeline_expiry(reader))
    return len(entries)


def home_notes(viewer: User) -> QuerySet:
    """The notes a home feed page may show `viewer`, with their authors and the viewer's flags.

    No photos: the page's cards come from the card cache (`notes.cards`), which loads photos
    only for the cards it has to render, and the API's from `notes.representation`'s."""
    notes = (
        Note.objects.visible_to(viewer)
        .published()
        .without_muted_by(viewer)
        .filter(home_reach(viewer))
        .exclude(author=viewer)
        .select_related("author")
    )
    return notes_annotate_viewer(notes, viewer=viewer)


# The page's notes query, built and compiled by the ORM once per process and shape (`prepare`,
# and the number of ids rounded up to a power of two, the rest padded with 0, which is no
# note's id), then run again with the viewer's and the notes' ids: building it (visibility,
# mutes, reach and the viewer's flags are eight subqueries) cost more than running it.
_PREPARED: dict[tuple[Callable | None, int], PreparedQuery] = {}
_MIN_BUCKET = 16
_MAX_PREPARED = 32


def _notes_query(viewer_id: int, ids: tuple[int, ...], prepare: Callable | None) -> QuerySet:
    notes = home_notes(User(pk=viewer_id)).filter(pk__in=ids)
    return prepare(notes) if prepare is not None else notes


def _load(viewer: User, ids: list[int], prepare: Callable | None) -> list[Note]:
    if not ids:
        return []
    bucket = max(_MIN_BUCKET, 1 << (len(ids) - 1).bit_length())
    prepared = _PREPARED.get((prepare, bucket))
    if prepared is None and len(_PREPARED) >= _MAX_PREPARED:  # callers passing fresh lambdas
        return list(_notes_query(viewer.pk, tuple(ids), prepare))
    if prepared is None:
        prepared = _PREPARED.setdefault(
            (prepare, bucket),
            PreparedQuery(
                lambda viewer_id, *ids: _notes_query(viewer_id, ids, prepare), 1 + bucket
            ),
        )
    return prepared(viewer.pk, *ids, *[0] * (bucket - len(ids)))


def _merge(sources: list[Source]) -> tuple[list[Entry], bool]:
    """The entries of all sources, newest first, cut where a source that has more stops (past
    it, entries of that source are unknown), and whether more may follow."""
    merged = sorted({entry for entries, _more in sources for entry in entries}, reverse=True)
    horizons = [entries[-1] for entries, more in sources if more and entries]
    if horizons:
        horizon = max(horizons)
        merged = [entry for entry in merged if entry >= horizon]
    return merged, any(more for _entries, more in sources)


def _position(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    position = cursor_decode(cursor)
    if position.backwards:  # the home feed only pages forwards
        raise InvalidCursor(cursor)
    return position.score, position.id


def _stored_sources(
    store: FeedStore, viewer: User, before: tuple[int, int] | None, size: int
) -> list[Source]:
    """The timeline's entries after `before` (rebuilt first when missing) and, when the viewer
    follows authors merged at read time, their newest notes."""
    expire_at = timeline_expiry(viewer)
    # The timeline's page and the pull authors in one round trip.
    read, known = store.timeline_page_and_pull_authors(
        viewer.pk, before=before, count=2 * size, expire_at=expire_at
    )
    if read is None:
        timeline_rebuild(viewer, store)
        read = store.timeline_page(viewer.pk, before=before, count=2 * size) or ([], False)
    sources = [read]
    pulled_authors = pull_authors_known(store, known)
    if pulled_authors:
        pulled = reader_entries(
            viewer, before=before, limit=size + 1, author_ids=pulled_authors, include_tags=False
        )
        sources.append((pulled, len(pulled) > size))
    return sources


def home_feed_page(
    *,
    viewer: User,
    cursor: str | None,
    size: int,
    prepare: Callable[[QuerySet], QuerySet] | None = None,
) -> CursorPage:
    """One page of `viewer`'s home feed after `cursor` (`rednote.cursors`; stable while notes
    arrive). `prepare` adds what the caller renders (e.g. `NoteSerializer.eager_load`), or
    makes the items rows (`notes.rendered.note_rows`; whatever it returns has `id`).
    Raises InvalidCursor for a cursor the feed did not make."""
    before = _position(cursor)
    store: FeedStore | None = None
    sources: list[Source] = []
    if store_configured():
        try:
            store = get_store()
            if store is not None:
                sources = _stored_sources(store, viewer, before, size)
        except StoreError:
            # The same page from the database: a Redis outage slows the feed, never breaks it.
            logger.warning("home feed of %s read from the database: Redis failed", viewer.pk)
            store = None
    if store is None:
        entries = reader_entries(viewer, before=before, limit=size + 1)
        sources = [(entries, len(entries) > size)]
    window, more = _merge(sources)
    by_id = {note.id: note for note in _load(viewer, [entry.note_id for entry in window], prepare)}
    shown = [by_id[entry.note_id] for entry in window if entry.note_id in by_id]
    if store is not None:
        stored, in_window = sources[0][0], set(window)
        stale = [
            entry.note_id for entry in stored if entry in in_window and entry.note_id not in by_id
        ]
        if stale:  # withdrawn, or left behind by a fan-out that raced a change
            try:
                store.timeline_remove([viewer.pk], stale)
            except StoreError:  # kept out of the page anyway; the next read tries again
                logger.warning("home feed of %s: stale entries not removed", viewer.pk)
    if len(shown) > size:
        items = shown[:size]
        last = next(entry for entry in window if entry.note_id == items[-1].id)
        next_cursor: str | None = cursor_encode(last.score, last.note_id)
    else:
        items = shown
        next_cursor = (
            cursor_encode(window[-1].score, window[-1].note_id) if more and window else None
        )
    return CursorPage(items=items, next_cursor=next_cursor)


def rebuild_active_timelines(*, store: FeedStore | None = None) -> int:
    """Rebuild the timeline of every reader active within FEED_ACTIVE_DAYS (after a Redis loss,
    or to warm a new store). Returns how many were rebuilt."""
    from .fanout import active_since

    store = store or get_store()
    if store is None:
        return 0
    count = 0
    readers = User.objects.filter(is_active=True, last_active_at__gte=active_since())
    for reader in readers.order_by("pk").iterator(chunk_size=500):
        timeline_rebuild(reader, store)
        count += 1
    return count
