"""REST API for Discover (`GET /api/v1/feeds/discover/`): the ranked notes of `/`, the same
page for page (`feeds.discover`), for visitors too."""

from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notes.serializers import NoteSerializer
from rednote.api import error_responses

from ..discover import discover_page, reader_languages
from .paging import FORWARD_PAGE_PARAMETERS, TAG_FEEDS, forward_page


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
        parameters=FORWARD_PAGE_PARAMETERS,
        responses={200: DiscoverPageSerializer, **error_responses(400)},
    )
    def get(self, request):
        reads = reader_languages(request.user, get_language())
        page, next_url = forward_page(
            request,
            lambda cursor, size: discover_page(
                viewer=request.user,
                reads=reads,
                cursor=cursor,
                size=size,
                prepare=NoteSerializer.eager_load,
            ),
        )
        # A note is the shared note JSON (`NoteSerializer`, however it is built) plus the flag.
        results = NoteSerializer(page.items, many=True, context={"request": request}).data
        for item, note in zip(results, page.items, strict=True):
            item["other_side"] = note.other_side
        return Response({"next": next_url, "previous": None, "results": results})
