"""REST API for the home feed (`GET /api/v1/feeds/home/`): the notes of `/following/`, the same
page for page (`feeds.home.home_feed_page`)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
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

from ..home import home_feed_page

TAG_FEEDS = "feeds"


class HomeFeedPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text=gettext_lazy("The next page; null on the last.")
    )
    previous = serializers.URLField(
        allow_null=True, help_text=gettext_lazy("Always null: the home feed pages forward only.")
    )
    results = NoteSerializer(many=True)


def _without_prefetches(notes: QuerySet) -> QuerySet:
    return notes.prefetch_related(None)


class HomeFeedApi(APIView):
    """The signed-in reader's home feed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_FEEDS],
        operation_id="feeds_home",
        summary=gettext_lazy("Home feed"),
        description=gettext_lazy(
            "The notes of the people and the hashtags you follow (public notes for hashtags), "
            "newest first: the Following page (`/following/`). Visibility, blocks and mutes "
            "apply as everywhere. Follow `next` for the following page; notes published "
            "meanwhile never shift the pages you are reading."
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
        responses={200: HomeFeedPageSerializer, **error_responses(400, 401)},
    )
    def get(self, request):
        size = CursorPagination().get_page_size(request) or CursorPagination.page_size
        try:
            page = home_feed_page(
                viewer=request.user,
                cursor=request.query_params.get("cursor") or None,
                size=size,
                # Images, tags and mentions come from the cache (notes.representation), loaded
                # only for the notes of the page that miss there: no prefetch here.
                prepare=_without_prefetches,
            )
        except InvalidCursor:
            message = CursorPagination.invalid_cursor_message
            raise exceptions.ValidationError({"cursor": [str(message)]}) from None
        next_url = None
        if page.next_cursor is not None:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        results = NoteSerializer(page.items, many=True, context={"request": request})
        return Response({"next": next_url, "previous": None, "results": results.data})
