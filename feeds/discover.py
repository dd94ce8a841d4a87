"""Discover pages: ranked notes, a share of each page "from the other side".

A reader reads some of the content languages (`User.reads`; a visitor, or someone who has not
said, reads the interface language). Discover splits the ranked notes (`notes_discover`) into
two streams: the *own side* (notes in a language the reader reads, or of unknown or mixed
language) and the *other side* (notes in a content language the reader does not read). Each
page takes `round(size × DISCOVER_OTHER_SIDE_SHARE)` notes from the other side and the rest
from the own side; when one stream runs dry the other fills the page. The other side's notes
are spread evenly through the page and flagged `other_side` (the card says "From the other
side").

Paging: each stream is a keyset stream of its own, read with `rednote.pagination.cursor_page`
on (`discover_score`, id), both descending: first its ranked notes (`notes_discover`, walked in
the order of the rank index), then its notes not ranked yet (`notes_discover_unranked`, score
0, newest first; normally only notes published moments ago). The page's cursor holds both
positions:

    <own>.<other>     each part: ""  — the stream has not been read from yet,
                                 "~" — the stream is exhausted,
                                 a `rednote.cursors` token — the last note taken from it.

The next page continues each stream strictly after its own position, so no note appears on
two pages and a page never depends on what the previous page was filled with. Ranks move only
when a note's engagement does (`feeds.ranking`), so recomputations between two pages do not
reshuffle the order. A page costs one query per stream and the prefetches once for the page,
whatever its size (two for a stream whose ranked notes end within the page).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet, prefetch_related_objects

from accounts.models import User
from notes.models import Note
from notes.rendered import note_rows
from rednote.cursors import InvalidCursor, cursor_decode, cursor_encode
from rednote.pagination import PreparedPages, cursor_page

from . import selectors
from .selectors import UNRANKED_SCORE

SCORE_KEY = "discover_score"
NOT_STARTED, EXHAUSTED = "", "~"
_SEPARATOR = "."


@dataclass(frozen=True)
class DiscoverPage:
    items: list[Note]  # each with `other_side` (bool) when they are Note instances
    next_cursor: str | None
    other_side_ids: frozenset[int] = frozenset()  # the items from the other side

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def reader_languages(viewer, interface_language: str | None) -> list[str]:
    """The content languages `viewer` reads: their own list, else the interface language's."""
    reads = list(viewer.reads) if viewer is not None and viewer.is_authenticated else []
    if reads:
        return reads
    code = (interface_language or settings.LANGUAGE_CODE).lower()
    exact = [c for c in settings.CONTENT_LANGUAGES if c.lower() == code]
    if exact:
        return exact
    base = code.split("-")[0]
    return [c for c in settings.CONTENT_LANGUAGES if c.lower().split("-")[0] == base]


def other_side_languages(reads: list[str]) -> list[str]:
    """The content languages a reader of `reads` does not read."""
    return [c for c in settings.CONTENT_LANGUAGES if c not in reads]


def other_side_share() -> float:
    return min(max(float(settings.DISCOVER_OTHER_SIDE_SHARE), 0.0), 1.0)


def _split_cursor(cursor: str | None) -> tuple[str, str]:
    if cursor is None:
        return NOT_STARTED, NOT_STARTED
    if not isinstance(cursor, str) or len(cursor) > 130 or cursor.count(_SEPARATOR) != 1:
        raise InvalidCursor(cursor)
    own, other = cursor.split(_SEPARATOR)
    if own == other == NOT_STARTED or (own == other == EXHAUSTED):
        raise InvalidCursor(cursor)  # never made: such a page would have no next
    for part in (own, other):
        if part not in (NOT_STARTED, EXHAUSTED) and cursor_decode(part).backwards:
            raise InvalidCursor(cursor)
    return own, other


def _spread(own: list[Note], other: list[Note]) -> list[Note]:
    """Both lists in one, their order kept, `other` spread evenly (slot i holds an other-side
    note when the running share ⌊(i+1)·k/n⌋ steps up)."""
    n, k = len(own) + len(other), len(other)
    page, own_iter, other_iter = [], iter(own), iter(other)
    for i in range(n):
        take_other = (i + 1) * k // n > i * k // n
        page.append(next(other_iter) if take_other else next(own_iter))
    return page


class _Stream:
    """One side's keyset stream: its ranked notes, then its notes not ranked yet (score 0, see
    `feeds.selectors`), up to `size` after its position. One query — two where the ranked
    notes end within the page."""

    def __init__(self, ranked: Callable, unranked: Callable, part: str, size: int):
        """`ranked(cursor, size)` and `unranked(cursor, size)` read a page of each part."""
        self.items: list[Note] = []
        self.more = False
        self.part = part
        if part == EXHAUSTED:
            return
        position = cursor_decode(part) if part else None
        past_ranked = position is not None and position.score <= UNRANKED_SCORE
        if not past_ranked:
            page = ranked(part or None, size)
            self.items, self.more = page.items, page.has_next
        if not self.more:
            rest = size - len(self.items)
            cursor = part if past_ranked else None
            page = unranked(cursor, max(rest, 1))
            self.items += page.items[:rest]
            self.more = len(page.items) > rest or page.has_next

    def next_part(self, taken: int) -> str:
        """This stream's part of the next cursor, once `taken` of its notes are on the page."""
        if self.part == EXHAUSTED or (taken == len(self.items) and not self.more):
            return EXHAUSTED
        if taken == 0:
            return self.part
        last = self.items[taken - 1]
        return cursor_encode(getattr(last, SCORE_KEY), last.id)


_RANKED_ROWS_PAGES: dict[tuple[tuple[str, ...], bool], PreparedPages] = {}


def _ranked_rows_pages(others: tuple[str, ...], other_side: bool) -> PreparedPages:
    """The ranked notes of one side as fresh rows (`notes.rendered.note_rows`), for the
    languages `others` of the other side: `selectors.notes_discover` compiled once per shape
    and rerun with the viewer's id and the stream's position (`PreparedPages`)."""
    pages = _RANKED_ROWS_PAGES.get((others, other_side))
    if pages is not None:
        return pages

    def build(viewer_id: int | None) -> QuerySet:
        viewer = AnonymousUser() if viewer_id is None else User(pk=viewer_id)
        notes = note_rows(selectors.notes_discover(viewer=viewer), SCORE_KEY)
        if other_side:
            return notes.filter(language__in=others)
        return notes.exclude(language__in=others)

    return _RANKED_ROWS_PAGES.setdefault(
        (others, other_side), PreparedPages(build, ids=0, key=SCORE_KEY)
    )


def discover_page(
    *,
    viewer,
    reads: list[str],
    cursor: str | None,
    size: int,
    prepare: Callable[[QuerySet], QuerySet] | None = None,
    rows: bool = False,
) -> DiscoverPage:
    """One Discover page for `viewer`, a reader of `reads`, after `cursor`: the notes of
    `feeds.selectors.notes_discover` (then `notes_discover_unranked`), a share of them from
    the other side. `prepare` adds what the caller's rendering reads (e.g.
    `NoteSerializer.eager_load`; its prefetches run once, for the page's notes), or makes the
    items rows (`notes.rendered.note_rows`; whatever it returns has `id` and the score).
    `rows`: the items are fresh rows (`note_rows`, `prepare` must make them too), and the
    ranked streams are read through pages compiled once per shape (`_ranked_rows_pages`).

    Raises InvalidCursor for a cursor this function did not make. Constant queries: at most
    two per stream (none for a stream exhausted or empty by definition), then the prefetches."""
    own_part, other_part = _split_cursor(cursor)
    others = other_side_languages(reads)
    if not others:
        other_part = EXHAUSTED
    lookups: tuple = ()
    if not rows:  # else read through `_ranked_rows_pages`, built once
        ranked = selectors.notes_discover(viewer=viewer)
        if prepare is not None:
            ranked = prepare(ranked)
        # The prefetches run once for the page's notes, not once per query.
        lookups = getattr(ranked, "_prefetch_related_lookups", ())
        ranked = ranked.prefetch_related(None)

    def unranked_reader(side):
        def read(cursor, size):
            # Built when read: only where a stream's ranked notes end within the page.
            notes = selectors.notes_discover_unranked(viewer=viewer)
            notes = (prepare(notes) if prepare is not None else notes).prefetch_related(None)
            return cursor_page(side(notes), cursor=cursor, key=SCORE_KEY, size=size)

        return read

    def ranked_reader(side, other_side: bool):
        if rows:
            pages = _ranked_rows_pages(tuple(others), other_side)
            viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
            return lambda cursor, size: pages.page(viewer_id=viewer_id, cursor=cursor, size=size)
        return lambda cursor, size: cursor_page(
            side(ranked), cursor=cursor, key=SCORE_KEY, size=size
        )

    def own_side(notes):
        return notes.exclude(language__in=others)

    def other_side(notes):
        return notes.filter(language__in=others)

    own = _Stream(ranked_reader(own_side, False), unranked_reader(own_side), own_part, size)
    other = _Stream(ranked_reader(other_side, True), unranked_reader(other_side), other_part, size)

    other_taken = min(round(size * other_side_share()), len(other.items))
    own_taken = min(size - other_taken, len(own.items))
    other_taken = min(size - own_taken, len(other.items))  # the own side ran dry: fill

    items = _spread(own.items[:own_taken], other.items[:other_taken])
    other_ids = frozenset(note.id for note in other.items[:other_taken])
    for note in items:
        if isinstance(note, Note):  # rows (`notes.rendered.note_rows`) take no attribute
            setattr(note, "other_side", note.id in other_ids)  # noqa: B010 - not a model field
    if lookups:
        prefetch_related_objects(items, *lookups)
    parts = own.next_part(own_taken), other.next_part(other_taken)
    next_cursor = None if parts == (EXHAUSTED, EXHAUSTED) else _SEPARATOR.join(parts)
    return DiscoverPage(items=items, next_cursor=next_cursor, other_side_ids=other_ids)
