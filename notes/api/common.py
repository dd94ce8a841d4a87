"""What the notes API's views share: tags, answers built from the selectors, the keyset
paginations of each list, and the base of every note list."""

import abc

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from rest_framework import generics, permissions, status
from rest_framework.response import Response

from accounts.models import User
from rednote.pagination import CursorPagination, PreparedPages

from .. import selectors
from ..rendered import (
    json_answer,
    note_row,
    note_rows,
    notes_json_texts,
    page_text,
    renders_plain_json,
)
from ..representation import notes_json
from ..serializers import (
    BoardSerializer,
    NoteSerializer,
)

TAG_NOTES = "notes"
TAG_BOARDS = "boards"

LIST_DESCRIPTION = gettext_lazy(
    "In pages of `page_size` (default 20, at most 100); follow `next` for the following page."
)


def note_response(request, note_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    """The note as `request.user` sees it now (fresh counters and like/collect flags): one
    query for the row, the visibility check and the flags; images, tags and mentions from the
    cache (`notes.representation`), as pre-rendered text (`notes.rendered`) for plain JSON."""
    note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
    if renders_plain_json(request):
        # The note's JSON text from the cache, the row's fresh values filled in.
        text = notes_json_texts([note_row(note)], request=request, loaded=[note])[0]
        return json_answer(text, status=code)
    return Response(notes_json([note], request=request)[0], status=code)


def board_response(request, board_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    board = selectors.board_card_get_visible(viewer=request.user, board_id=board_id)
    return Response(BoardSerializer(board, context={"request": request}).data, status=code)


def viewer_of(viewer_id: int | None):
    """The viewer a prepared list is built for: a visitor, or a reader known by id."""
    return AnonymousUser() if viewer_id is None else User(pk=viewer_id)


def note_pages(pagination: type[CursorPagination], build, *, ids: int = 0) -> PreparedPages:
    """The `PreparedPages` of a note list paged by `pagination`: `build(viewer, *ids)` is the
    list's selector, read as fresh rows (`note_rows`)."""
    key, tiebreak = (name.lstrip("-") for name in pagination.ordering)
    return PreparedPages(
        lambda viewer_id, *values: note_rows(build(viewer_of(viewer_id), *values), key),
        ids=ids,
        key=key,
        tiebreak=tiebreak,
    )


class RecentNotesPagination(CursorPagination):
    ordering = ("-published_at", "-id")


class AuthorNotesPagination(CursorPagination):
    # Not published_at: the author's own processing notes have none yet.
    ordering = ("-created_at", "-id")


class BoardNotesPagination(CursorPagination):
    # `collected_at` is annotated by `selectors.board_notes`.
    ordering = ("-collected_at", "-id")


class LikedNotesPagination(CursorPagination):
    # `liked_at` is annotated by `selectors.notes_liked_by`: newest like first.
    ordering = ("-liked_at", "-id")


class BoardPagination(CursorPagination):
    # `listed_at` is annotated by `selectors.board_cards_of`: "Saved" first, then newest.
    ordering = ("-listed_at", "-id")


class NoteListApi(generics.ListAPIView, abc.ABC):
    """A cursor-paginated list of notes; one page costs a constant number of queries (one
    when every note's relations are cached, four at most)."""

    serializer_class = NoteSerializer
    permission_classes = [permissions.AllowAny]

    @abc.abstractmethod
    def notes(self) -> QuerySet:
        """The notes of the list, from one selector (visibility applied there)."""

    def get_queryset(self):
        # Images, tags and mentions come from the cache (notes.representation), loaded only
        # for the notes of the page that miss there: no prefetch here.
        return self.notes().prefetch_related(None)

    def prepared_pages(self) -> tuple[PreparedPages, tuple[int, ...]] | None:
        """A list whose queryset is built from ids alone may name its `PreparedPages` (built
        with `note_rows`) and those ids: its pages are then compiled once per shape instead
        of built for every request."""
        return None

    def list(self, request, *args, **kwargs):
        if not renders_plain_json(request):
            return super().list(request, *args, **kwargs)
        # Plain JSON: the page as fresh rows of the same queryset (one query), each note's
        # JSON text from the cache (`notes.rendered`); no serializer, no model instances.
        paginator = self.paginator
        prepared = self.prepared_pages()
        if prepared is not None:
            pages, ids = prepared
            viewer_id = request.user.pk if request.user.is_authenticated else None
            rows = paginator.paginate_prepared(pages, request, *ids, viewer_id=viewer_id)
        else:
            key = paginator.ordering[0].lstrip("-")
            rows = paginator.paginate_queryset(note_rows(self.get_queryset(), key), request, self)
        texts = notes_json_texts(rows, request=request)
        return json_answer(
            page_text(
                results=texts,
                next_url=paginator.get_next_link(),
                previous_url=paginator.get_previous_link(),
            )
        )
