"""REST API for Discover (`GET /api/v1/feeds/discover/`): the ranked notes of `/`, the same
page for page (`feeds.discover`), for visitors too."""

from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from notes.serializers import NoteSerializer
from rednote.api import error_responses
from rednote.cursors import InvalidCursor
from rednote.pagination import CursorPagination

from ..discover import discover_page, reader_languages

TAG_FEEDS = "feeds"


class DiscoverNoteSerializer(NoteSerializer):
    """The schema of a Discover item: a note, and whether it comes from the other side."""

    other_side = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "The note is in a language the reader does not read: “from the other side”."
        ),
    )

    class Meta(NoteSerializer.Meta):
        fields = (*NoteSerializer.Meta.fields, "other_side")
        read_only_fields = fields


class DiscoverPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text=gettext_lazy("The next page; null on the last.")
    )
    previous = serializers.URLField(
        allow_null=True, help_text=gettext_lazy("Always null: Discover pages forward only.")
    )
    results = DiscoverNoteSerializer(many=True)


class DiscoverPagination(CursorPagination):
    """Only for its page size rules (`page_size`, 1 to 100, default 20)."""


class DiscoverApi(APIView):
    """The Discover feed."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_FEEDS],
        operation_id="feeds_discover",
        summary=gettext_lazy("Discover"),
        description=gettext_lazy(
            "The notes of the Discover grid (`/`), best ranked first: engagement (likes, "
            "collects) weighed against age. A share of each page (the server's "
            "`DISCOVER_OTHER_SIDE_SHARE`, 0.3 by default) are notes in languages the reader "
            "does not read (their `reads`; for a visitor, the `Accept-Language` interface "
            "language), marked "
            "`other_side`. Visibility, blocks and mutes apply as everywhere. Follow `next` for "
            "the following page: no note appears on two pages."
        ),
        parameters=[
            OpenApiParameter(
                "cursor",
                OpenApiTypes.STR,
                description=gettext_lazy("The cursor of the page to fetch, from `next`."),
            ),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=gettext_lazy("Number of results per page (1 to 100, default 20)."),
            ),
        ],
        responses={200: DiscoverPageSerializer, **error_responses(400)},
    )
    def get(self, request):
        size = DiscoverPagination().get_page_size(request) or DiscoverPagination.page_size
        cursor = request.query_params.get("cursor") or None
        try:
            page = discover_page(
                viewer=request.user,
                reads=reader_languages(request.user, get_language()),
                cursor=cursor,
                size=size,
                prepare=NoteSerializer.eager_load,
            )
        except InvalidCursor:
            message = CursorPagination.invalid_cursor_message
            raise exceptions.ValidationError({"cursor": [str(message)]}) from None
        next_url = None
        if page.next_cursor is not None:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        # A note is the shared note JSON (`NoteSerializer`, however it is built) plus the flag.
        results = NoteSerializer(page.items, many=True, context={"request": request}).data
        for item, note in zip(results, page.items, strict=True):
            item["other_side"] = note.other_side
        return Response({"next": next_url, "previous": None, "results": results})
