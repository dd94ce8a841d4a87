"""Keyset ("cursor") pages for the HTML note grids: discover, tags, profiles, boards.

A page is the rows after a position in a descending order (a timestamp, then the id as a
tie-breaker), never an offset: it costs the same at any depth and stays right while notes are
published at the top. The cursor is opaque to people (base64 of the position); a forged one can
only move the position, never widen what the queryset lets the viewer see.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet

DEFAULT_PAGE_SIZE = 24


class InvalidCursor(ValueError):
    """The `cursor` parameter is not one this module made."""


@dataclass(frozen=True)
class CursorPage:
    items: list
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def cursor_encode(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
        when = datetime.fromisoformat(moment)
        position = when.astimezone(UTC), int(pk)  # a naive or unrepresentable time fails here
        if when.tzinfo is None or not 0 < position[1] < 2**63:
            raise InvalidCursor(cursor)
    except (ValueError, OverflowError, UnicodeError, binascii.Error) as exc:
        raise InvalidCursor(cursor) from exc
    return position


def cursor_page(
    queryset: QuerySet, *, cursor: str | None, key: str, size: int = DEFAULT_PAGE_SIZE
) -> CursorPage:
    """One page of `queryset` ordered by `key` (a non-null datetime field or annotation) then
    id, both descending, starting after `cursor`. Raises InvalidCursor for a bad cursor.

    One query (plus the queryset's prefetches), whatever the size or depth of the page.
    """
    queryset = queryset.order_by(f"-{key}", "-id")
    if cursor:
        moment, pk = cursor_decode(cursor)
        queryset = queryset.filter(Q(**{f"{key}__lt": moment}) | Q(**{key: moment, "id__lt": pk}))
    rows = list(queryset[: size + 1])
    items, more = rows[:size], len(rows) > size
    next_cursor = None
    if more and items:
        last = items[-1]
        next_cursor = cursor_encode(getattr(last, key), last.pk)
    return CursorPage(items=items, next_cursor=next_cursor)
