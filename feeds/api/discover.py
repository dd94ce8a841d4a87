"""REST API for Discover (`GET /api/v1/feeds/discover/`): the ranked notes of `/`, the same
page for page (`feeds.discover`), for visitors too."""

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notes.rendered import (
    json_answer,
    note_rows,
    notes_json_texts,
    page_text,
    renders_plain_json,
    with_field,
)
from notes.serializers import NoteSerializer
from rednote.api import error_responses

from ..discover import SCORE_KEY, discover_page, reader_languages
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
        # Plain JSON (what clients ask for): the page's notes as fresh rows (visibility,
        # mutes, counters and flags), their JSON text from the cache (`notes.rendered`). The
        # browsable API renders Note instances through the serializer.
        plain = renders_plain_json(request)
        page, next_url = forward_page(
            request,
            lambda cursor, size: discover_page(
                viewer=request.user,
                reads=reads,
                cursor=cursor,
                size=size,
                prepare=_rows if plain else _without_prefetches,
                rows=plain,
            ),
        )
        if plain:
            texts = [
                with_field(text, "other_side", note.id in page.other_side_ids)
                for text, note in zip(
                    notes_json_texts(page.items, request=request), page.items, strict=True
                )
            ]
            return json_answer(page_text(results=texts, next_url=next_url, previous_url=None))
        # A note is the shared note JSON (`NoteSerializer`, however it is built) plus the flag.
        results = NoteSerializer(page.items, many=True, context={"request": request}).data
        for item, note in zip(results, page.items, strict=True):
            item["other_side"] = note.other_side
        return Response({"next": next_url, "previous": None, "results": results})


def _rows(notes: QuerySet) -> QuerySet:
    return note_rows(notes, SCORE_KEY)


def _without_prefetches(notes: QuerySet) -> QuerySet:
    # Images, tags and mentions come from the cache (notes.representation), loaded only for
    # the notes of the page that miss there.
    return notes.prefetch_related(None)
