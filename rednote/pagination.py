"""Keyset pages, for the HTML grids' "load more" and every API list alike.

A page is the rows after a position in a descending order — a score (a time, or a number) and
then a unique id that breaks ties — never an offset: it costs one query at any depth and stays
right while rows are added at the top. Positions travel as `rednote.cursors` tokens, the same
codec the Redis feed store uses. A forged cursor can only move the position, never widen what
the queryset lets the viewer see; a malformed one raises `InvalidCursor` (the API answers 400
naming `cursor`, a page answers 400).
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination as DrfCursorPagination
from rest_framework.utils.urls import replace_query_param

from .cursors import (
    Cursor,
    InvalidCursor,
    cursor_decode,
    cursor_encode,
    datetime_score,
    score_datetime,
)
from .page_size import API_MAX_PAGE_SIZE, API_PAGE_SIZE, PAGE_SIZE_DESCRIPTION, api_page_size
from .prepared import PreparedQuery

__all__ = ["DEFAULT_PAGE_SIZE", "CursorPage", "CursorPagination", "InvalidCursor", "cursor_page"]

DEFAULT_PAGE_SIZE = 24


@dataclass(frozen=True)
class CursorPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _score_field(queryset: QuerySet, name: str) -> models.Field | None:
    query = queryset.query
    if name in query.annotations:
        return query.annotations[name].output_field
    try:
        field = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _score_of(value) -> int:
    if isinstance(value, datetime):
        return datetime_score(value)
    if isinstance(value, bool | int):
        return int(value)
    raise TypeError(f"A keyset score is a time or an integer, not {value!r}.")


def _position(row, score: str, tiebreak: str, *, backwards: bool = False) -> str:
    return cursor_encode(
        _score_of(getattr(row, score)), getattr(row, tiebreak), backwards=backwards
    )


def _keyset(queryset: QuerySet, *, key: str, tiebreak: str, after) -> QuerySet:
    """`queryset` in descending (`key`, `tiebreak`) order, after `after` = (score, id,
    backwards) — the score as the field holds it — or from the top when None."""
    if after is None:
        return queryset.order_by(f"-{key}", f"-{tiebreak}")
    score, pk, backwards = after
    beyond = "gt" if backwards else "lt"
    queryset = queryset.filter(
        Q(**{f"{key}__{beyond}": score}) | Q(**{key: score, f"{tiebreak}__{beyond}": pk})
    )
    order = (key, tiebreak) if backwards else (f"-{key}", f"-{tiebreak}")
    return queryset.order_by(*order)


def _page(rows: list, *, position: Cursor | None, key: str, tiebreak: str, size: int):
    items, more = rows[:size], len(rows) > size
    if position is not None and position.backwards:
        items.reverse()
        next_cursor = _position(items[-1], key, tiebreak) if items else None
        previous_cursor = (
            _position(items[0], key, tiebreak, backwards=True) if more and items else None
        )
    else:
        next_cursor = _position(items[-1], key, tiebreak) if more and items else None
        previous_cursor = (
            _position(items[0], key, tiebreak, backwards=True)
            if position is not None and items
            else None
        )
    return CursorPage(items=items, next_cursor=next_cursor, previous_cursor=previous_cursor)


def cursor_page(
    queryset: QuerySet,
    *,
    cursor: str | None,
    key: str,
    tiebreak: str = "id",
    size: int = DEFAULT_PAGE_SIZE,
) -> CursorPage:
    """One page of `queryset` in descending (`key`, `tiebreak`) order, after `cursor` (or, for
    a backwards cursor, just before it). `key` is a non-null time or integer field or
    annotation, `tiebreak` a unique integer one. Raises InvalidCursor for a bad cursor.

    One query (plus the queryset's prefetches), whatever the size or depth of the page.
    """
    position: Cursor | None = cursor_decode(cursor) if cursor else None
    after = None
    if position is not None:
        field = _score_field(queryset, key)
        score: datetime | int
        if isinstance(field, models.DateTimeField):
            score = score_datetime(position.score)
        else:
            score = position.score
        after = (score, position.id, position.backwards)
    queryset = _keyset(queryset, key=key, tiebreak=tiebreak, after=after)
    rows = list(queryset[: size + 1])
    return _page(rows, position=position, key=key, tiebreak=tiebreak, size=size)


class PreparedPages:
    """`cursor_page` of a queryset built from ids (`build(viewer_id, *ids)`, `viewer_id` None
    for a visitor), compiled once per shape — visitor or reader, first page or after a
    position (forwards or backwards), page size — and rerun with the values
    (`rednote.prepared.PreparedQuery`): for the hottest lists, whose queryset (visibility,
    blocks, mutes, flags) costs more to build than to run. Same pages, same cursors."""

    def __init__(self, build, *, ids: int, key: str, tiebreak: str = "id"):
        self.build, self.ids, self.key, self.tiebreak = build, ids, key, tiebreak
        self._prepared: dict[tuple, PreparedQuery] = {}
        self._lock = threading.Lock()
        self._datetime_key: bool | None = None

    def _query(self, reader: bool, backwards: bool | None, size: int) -> PreparedQuery:
        shape = (reader, backwards, size)
        prepared = self._prepared.get(shape)
        if prepared is not None:
            return prepared
        if self._datetime_key is None:
            sample = self.build(None, *[0] * self.ids)
            self._datetime_key = isinstance(_score_field(sample, self.key), models.DateTimeField)
        score_kind = datetime if self._datetime_key else int

        def build(*args):
            viewer_id = args[0] if reader else None
            rest = args[1:] if reader else args
            queryset = self.build(viewer_id, *rest[: self.ids])
            after = None
            if backwards is not None:
                after = (rest[self.ids], rest[self.ids + 1], backwards)
            keyset = _keyset(queryset, key=self.key, tiebreak=self.tiebreak, after=after)
            return keyset[: size + 1]

        kinds: list[type] = [int] * (int(reader) + self.ids)
        if backwards is not None:
            kinds += [score_kind, int]
        prepared = PreparedQuery(build, len(kinds), kinds=kinds)
        with self._lock:
            return self._prepared.setdefault(shape, prepared)

    def page(self, *ids: int, viewer_id: int | None, cursor: str | None, size: int):
        """The page after `cursor` (InvalidCursor for a bad one), as `cursor_page` gives it."""
        position: Cursor | None = cursor_decode(cursor) if cursor else None
        prepared = self._query(
            viewer_id is not None, None if position is None else position.backwards, size
        )
        args: list = [viewer_id] if viewer_id is not None else []
        args += ids
        if position is not None:
            score = score_datetime(position.score) if self._datetime_key else position.score
            args += [score, position.id]
        rows = prepared(*args)
        return _page(rows, position=position, key=self.key, tiebreak=self.tiebreak, size=size)


class CursorPagination(DrfCursorPagination):
    """Cursor pages for the API: `{"next", "previous", "results"}`, `?cursor=&page_size=`.

    Each list names its `ordering`: a score field (a time or an integer, nearly unique) and a
    unique integer tie-breaker, both descending; either may be an annotation, which is how a
    list of people is ordered by when they followed. Pages are read by `cursor_page`, so the
    API continues across equal scores exactly as the HTML grids and the feed store do.
    """

    page_size = API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = API_MAX_PAGE_SIZE
    # Lazy, so the schema and the error speak the request's language; DRF's stubs say `str`.
    page_size_query_description = PAGE_SIZE_DESCRIPTION  # type: ignore[assignment]
    cursor_query_description = _("The cursor of the page to fetch, from `next` or `previous`.")  # type: ignore[assignment]
    invalid_cursor_message = _("This cursor is not valid; start again from the first page.")  # type: ignore[assignment]
    ordering = ("-created_at", "-id")
    keyset_page: CursorPage

    def get_page_size(self, request) -> int:
        """`?page_size=` by the API's one rule (`rednote.page_size`)."""
        return api_page_size(
            request.query_params.get(self.page_size_query_param),
            default=type(self).page_size,
            maximum=type(self).max_page_size,
        )

    def _keys(self) -> tuple[str, str]:
        score, tiebreak = self.ordering
        if not (score.startswith("-") and tiebreak.startswith("-")):
            raise ValueError("A keyset ordering is (score, tie-breaker), both descending.")
        return score[1:], tiebreak[1:]

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request) or type(self).page_size
        self.base_url = request.build_absolute_uri()
        key, tiebreak = self._keys()
        try:
            self.keyset_page = cursor_page(
                queryset,
                cursor=request.query_params.get(self.cursor_query_param) or None,
                key=key,
                tiebreak=tiebreak,
                size=self.page_size,
            )
        except InvalidCursor:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [str(self.invalid_cursor_message)]}
            ) from None
        return self.keyset_page.items

    def paginate_prepared(self, pages: PreparedPages, request, *ids: int, viewer_id=None):
        """`paginate_queryset` for a list read through `pages` (the same page, links and
        bad-cursor 400)."""
        self.request = request
        self.page_size = self.get_page_size(request) or type(self).page_size
        self.base_url = request.build_absolute_uri()
        try:
            self.keyset_page = pages.page(
                *ids,
                viewer_id=viewer_id,
                cursor=request.query_params.get(self.cursor_query_param) or None,
                size=self.page_size,
            )
        except InvalidCursor:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [str(self.invalid_cursor_message)]}
            ) from None
        return self.keyset_page.items

    def _link(self, token: str | None) -> str | None:
        if token is None or self.base_url is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        return self._link(self.keyset_page.next_cursor)

    def get_previous_link(self) -> str | None:
        return self._link(self.keyset_page.previous_cursor)

    def get_html_context(self):
        return {
            "previous_url": self.get_previous_link(),
            "next_url": self.get_next_link(),
        }
