"""API views for comments: a note's thread and posting to it, a comment's replies, deleting
and liking a comment.

Each view reads through `notes.comments_selectors` (404 for a note or comment the viewer may
not see) and writes through `notes.services.comments`; the page's htmx views call the same
two, so the rules are the same everywhere.
"""

from typing import cast

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.cursors import InvalidCursor
from rednote.pagination import CursorPage, CursorPagination

from .. import comments_selectors, selectors, services
from ..comment_serializers import (
    CommentCreateInputSerializer,
    CommentSerializer,
    ThreadCommentSerializer,
)
from ..limits import COMMENTS_THROTTLE_SCOPE, REACTIONS_THROTTLE_SCOPE
from ..models import Comment
from .common import LIST_DESCRIPTION
from .hidden import hidden_comment_response

TAG_COMMENTS = "comments"


class ThreadPagination(CursorPagination):
    """A note's top-level comments, newest first (`comments_selectors.note_thread`)."""

    ordering = ("-created_at", "-id")


class RepliesPagination(CursorPagination):
    """A comment's replies, oldest first (`comments_selectors.comment_replies`)."""

    ordering = ("-sequence", "-id")


def _page(paginator: CursorPagination, request, read) -> None:
    """Run `read(cursor, size)` for the request's page; a bad cursor is a 400 naming it."""
    paginator.request = request
    paginator.page_size = paginator.get_page_size(request) or type(paginator).page_size
    paginator.base_url = request.build_absolute_uri()
    try:
        items, next_cursor = read(
            request.query_params.get(paginator.cursor_query_param) or None, paginator.page_size
        )
    except InvalidCursor:
        raise exceptions.ValidationError(
            {paginator.cursor_query_param: [str(paginator.invalid_cursor_message)]}
        ) from None
    paginator.keyset_page = CursorPage(items=items, next_cursor=next_cursor)


def comment_response(request, comment_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    """The comment as `request.user` sees it now (fresh counters and flags)."""
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    data = CommentSerializer(comment, context={"request": request}).data
    return Response(data, status=code)


class NoteCommentsApi(generics.ListAPIView):
    """A note's thread; post a comment or a reply."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = ThreadCommentSerializer
    pagination_class = ThreadPagination

    # Posting counts against the comment rate (the note page's form too); reading does not.
    throttle_scope = COMMENTS_THROTTLE_SCOPE

    def get_queryset(self):  # for the schema; `list` reads the thread itself
        return Comment.objects.none()

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="note_comments_list",
        summary=gettext_lazy("A note's comments"),
        description=format_lazy(
            "{}{}",
            gettext_lazy(
                "Top-level comments, newest first, each with its first two replies (`replies`), "
                "how many more there are (`more_replies`) and where they are (`replies_url`). "
                "Comments of people in a block with you are left out; those of people you "
                "muted come with `collapsed`. 404 when you may not see the note. "
            ),
            LIST_DESCRIPTION,
        ),
        responses={200: ThreadCommentSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request, note_id: int):
        note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
        paginator = cast(CursorPagination, self.paginator)

        def read(cursor, size):
            page = comments_selectors.note_thread(
                viewer=request.user, note=note, cursor=cursor, size=size
            )
            return page.comments, page.next_cursor

        _page(paginator, request, read)
        context = {"request": request, "note_author_id": note.author_id}
        data = ThreadCommentSerializer(paginator.keyset_page.items, many=True, context=context)
        return paginator.get_paginated_response(data.data)

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="note_comments_create",
        summary=gettext_lazy("Comment on a note, or reply"),
        description=gettext_lazy(
            "`body` (1 to 500 characters after trimming, no control characters, at most 10 "
            "@mentions); with `parent_id`, a reply to that comment of the note — a reply to a "
            "reply is filed under its top-level comment. Refused with a 400 naming the field "
            "(nothing is stored) for bad text, a comment you cannot reply to, or a block "
            "between you and the person you answer; 404 when you may not see the note; 429 "
            "past the comment rate."
        ),
        request=CommentCreateInputSerializer,
        responses={201: CommentSerializer, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, note_id: int):
        note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
        serializer = CommentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        parent = comment_parent_get(viewer=request.user, parent_id=fields.pop("parent_id"))
        comment = services.comment_create(author=request.user, note=note, parent=parent, **fields)
        return comment_response(request, comment.pk, code=status.HTTP_201_CREATED)


def comment_parent_get(*, viewer, parent_id: int | None) -> Comment | None:
    """The comment a reply answers, or None; one the viewer may not see is a field error."""
    if parent_id is None:
        return None
    try:
        return comments_selectors.comment_get_visible(viewer=viewer, comment_id=parent_id)
    except Http404:
        raise ValidationError({"parent_id": [_("This comment cannot be replied to.")]}) from None


class CommentRepliesApi(generics.ListAPIView):
    """The replies under a top-level comment (its "expand N replies")."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CommentSerializer
    pagination_class = RepliesPagination

    def get_queryset(self):  # for the schema; `list` reads the replies itself
        return Comment.objects.none()

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="comment_replies_list",
        summary=gettext_lazy("A comment's replies"),
        description=format_lazy(
            "{}{}",
            gettext_lazy(
                "Oldest first. A reply has no replies of its own (an empty list). 404 when "
                "you may not see the comment or its note. "
            ),
            LIST_DESCRIPTION,
        ),
        responses={200: CommentSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request, comment_id: int):
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
        paginator = cast(CursorPagination, self.paginator)

        def read(cursor, size):
            page = comments_selectors.comment_replies(
                viewer=request.user, comment=comment, cursor=cursor, size=size
            )
            return page.replies, page.next_cursor

        _page(paginator, request, read)
        context = {"request": request, "note_author_id": comment.note.author_id}
        data = CommentSerializer(paginator.keyset_page.items, many=True, context=context)
        return paginator.get_paginated_response(data.data)


class CommentDetailApi(APIView):
    """One comment: read it; its author (or the note's) deletes it."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="comments_retrieve",
        summary=gettext_lazy("A comment"),
        description=gettext_lazy(
            "404 when the comment or its note does not exist or the viewer may not see it. "
            "Its author still reads a comment moderators hid, with a `moderation` object: "
            "`hidden`, the `reason`, `hidden_at`, `can_appeal` and the `appeal` made "
            "(`POST /api/v1/appeals/`)."
        ),
        responses={200: CommentSerializer, **error_responses(404)},
    )
    def get(self, request, comment_id: int):
        try:
            return comment_response(request, comment_id)
        except Http404:
            # Its author still reads a hidden comment, with a `moderation` object.
            hidden = hidden_comment_response(request, comment_id)
            if hidden is None:
                raise
            return hidden

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="comments_destroy",
        summary=gettext_lazy("Delete a comment"),
        description=gettext_lazy(
            "Your own comment, or any comment on your note (403 otherwise). A top-level "
            "comment takes its replies with it."
        ),
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request, comment_id: int):
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
        services.comment_delete(actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentLikeApi(APIView):
    """Like and unlike a comment; both are idempotent and answer with the comment."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = REACTIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="comments_like",
        summary=gettext_lazy("Like a comment"),
        description=gettext_lazy("Liking twice is one like."),
        request=None,
        responses={200: CommentSerializer, **error_responses(401, 404, 429)},
    )
    def post(self, request, comment_id: int):
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
        services.comment_like(user=request.user, comment=comment)
        return comment_response(request, comment.pk)

    @extend_schema(
        tags=[TAG_COMMENTS],
        operation_id="comments_unlike",
        summary=gettext_lazy("Take back a like of a comment"),
        request=None,
        responses={200: CommentSerializer, **error_responses(401, 404, 429)},
    )
    def delete(self, request, comment_id: int):
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
        services.comment_unlike(user=request.user, comment=comment)
        return comment_response(request, comment.pk)
