"""REST API for the home feed (`GET /api/v1/feeds/home/`): the notes of `/following/`, the same
page for page (`feeds.home.home_feed_page`)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notes.rendered import json_answer, note_rows, notes_json_texts, page_text, renders_plain_json
from notes.serializers import NoteSerializer
from rednote.api import error_responses

from ..home import home_feed_page
from .paging import FORWARD_PAGE_PARAMETERS, TAG_FEEDS, forward_page


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
        parameters=FORWARD_PAGE_PARAMETERS,
        responses={200: HomeFeedPageSerializer, **error_responses(400, 401)},
    )
    def get(self, request):
        # Plain JSON (what clients ask for): the page's notes as fresh rows (one query: the
        # visibility rule, mutes, counters and flags), their JSON text from the cache
        # (`notes.rendered`). The browsable API renders Note instances through the serializer.
        plain = renders_plain_json(request)
        page, next_url = forward_page(
            request,
            lambda cursor, size: home_feed_page(
                viewer=request.user,
                cursor=cursor,
                size=size,
                # Images, tags and mentions come from the cache (notes.representation), loaded
                # only for the notes of the page that miss there: no prefetch here.
                prepare=note_rows if plain else _without_prefetches,
            ),
        )
        if plain:
            texts = notes_json_texts(page.items, request=request)
            return json_answer(page_text(results=texts, next_url=next_url, previous_url=None))
        results = NoteSerializer(page.items, many=True, context={"request": request})
        return Response({"next": next_url, "previous": None, "results": results.data})
