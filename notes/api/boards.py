"""API views for boards: a person's boards, one board, its notes."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_get_by_handle
from rednote.api import error_responses

from .. import selectors, services
from ..limits import CONTRIBUTIONS_THROTTLE_SCOPE
from ..models import Board
from ..serializers import (
    BoardCreateInputSerializer,
    BoardSerializer,
    BoardUpdateInputSerializer,
    NoteSerializer,
)
from .common import (
    LIST_DESCRIPTION,
    TAG_BOARDS,
    BoardNotesPagination,
    BoardPagination,
    NoteListApi,
    board_response,
    note_pages,
)

# --- Boards -------------------------------------------------------------------------------


class BoardsApi(generics.ListAPIView):
    """Your boards; create one."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = CONTRIBUTIONS_THROTTLE_SCOPE  # creating; reading is not counted
    serializer_class = BoardSerializer
    pagination_class = BoardPagination

    def get_queryset(self):
        return selectors.board_cards_of(owner=self.request.user, viewer=self.request.user)

    @extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_list",
        summary=gettext_lazy("Your boards"),
        description=format_lazy(
            "{}{}", gettext_lazy("“Saved” first, then the newest. "), LIST_DESCRIPTION
        ),
        responses={200: BoardSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_create",
        summary=gettext_lazy("Create a board"),
        description=gettext_lazy(
            "Board names are unique per person, in any case. With `note`, that note is "
            "collected into the new board in the same step (a note you cannot see is a 404, "
            "and then no board is made)."
        ),
        request=BoardCreateInputSerializer,
        responses={201: BoardSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request):
        serializer = BoardCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        note_id = fields.pop("note")
        if note_id is None:
            board = services.board_create(owner=request.user, **fields)
        else:
            note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
            board = services.note_collect_into_new_board(user=request.user, note=note, **fields)
        return board_response(request, board.pk, code=status.HTTP_201_CREATED)


class BoardDetailApi(APIView):
    """One board: anyone may read a public one; its owner edits or deletes it."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_scope = CONTRIBUTIONS_THROTTLE_SCOPE  # editing; reading and deleting are not

    @extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_retrieve",
        summary=gettext_lazy("A board"),
        description=gettext_lazy("Someone else's private board is a 404."),
        responses={200: BoardSerializer, **error_responses(404)},
    )
    def get(self, request, board_id: int):
        return board_response(request, board_id)

    @extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_update",
        summary=gettext_lazy("Edit your board"),
        description=gettext_lazy(
            "Rename it, describe it, make it private or public. “Saved” keeps its name."
        ),
        request=BoardUpdateInputSerializer,
        responses={200: BoardSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request, board_id: int):
        board = selectors.board_get_owned(user=request.user, board_id=board_id)
        serializer = BoardUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.board_update(board=board, **serializer.validated_data)
        return board_response(request, board.pk)

    @extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_destroy",
        summary=gettext_lazy("Delete your board"),
        description=gettext_lazy(
            "Its notes stay collected if they are in another of your boards. “Saved” cannot be "
            "deleted (400, field `board`)."
        ),
        request=None,
        responses={204: None, **error_responses(400, 401, 404)},
    )
    def delete(self, request, board_id: int):
        board = selectors.board_get_owned(user=request.user, board_id=board_id)
        services.board_delete(board=board)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_BOARDS],
        operation_id="boards_notes_list",
        summary=gettext_lazy("The notes of a board"),
        description=format_lazy(
            "{}{}",
            gettext_lazy("The ones the viewer may see, most recently collected first. "),
            LIST_DESCRIPTION,
        ),
        responses={200: NoteSerializer(many=True), **error_responses(400, 404)},
    )
)
class BoardNotesApi(NoteListApi):
    pagination_class = BoardNotesPagination

    def notes(self):
        board = selectors.board_get_visible(
            viewer=self.request.user, board_id=self.kwargs["board_id"]
        )
        return selectors.board_notes(board=board, viewer=self.request.user)

    def prepared_pages(self):
        board = selectors.board_get_visible(
            viewer=self.request.user, board_id=self.kwargs["board_id"]
        )
        return _BOARD_PAGES, (board.pk,)


_BOARD_PAGES = note_pages(
    BoardNotesPagination,
    lambda viewer, board_id: selectors.board_notes(board=Board(pk=board_id), viewer=viewer),
    ids=1,
)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_BOARDS],
        operation_id="users_boards_list",
        summary=gettext_lazy("A person's boards"),
        description=format_lazy(
            "{}{}",
            gettext_lazy("Their public boards (and all of them to themselves). "),
            LIST_DESCRIPTION,
        ),
        responses={200: BoardSerializer(many=True), **error_responses(400, 404)},
    )
)
class UserBoardsApi(generics.ListAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = BoardSerializer
    pagination_class = BoardPagination

    def get_queryset(self):
        owner = user_get_by_handle(handle=self.kwargs["handle"])
        return selectors.board_cards_of(owner=owner, viewer=self.request.user)
