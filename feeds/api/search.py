"""REST API for search: `GET /api/v1/search/?q=&type=notes|users|tags`.

Reads through `feeds.search` (the same listings as the `/search/` page). A page is a keyset
page like every list of the API: `{"next", "previous", "results"}`, `?cursor=&page_size=`.
Results are notes (`NoteSerializer`), people (`UserCardSerializer`) or tags (`SearchTag`).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.serializers import UserCardSerializer
from notes.serializers import NoteSerializer
from rednote.api import error_responses
from rednote.page_size import PageSizeField
from rednote.pagination import CursorPagination, InvalidCursor, cursor_page

from .. import search

TAG_SEARCH = "search"
INVALID_CURSOR = CursorPagination.invalid_cursor_message


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=search.SEARCH_QUERY_MAX_LENGTH,
        help_text=gettext_lazy(
            "What to look for: words in Chinese or any other language (notes), part of a "
            "handle or name (people, a leading @ is ignored), part of a tag (a leading # is "
            "ignored)."
        ),
    )
    type = serializers.ChoiceField(
        choices=search.SEARCH_TYPES,
        default=search.SEARCH_NOTES,
        help_text=gettext_lazy("What to search: notes (default), users or tags."),
    )
    cursor = serializers.CharField(
        required=False,
        max_length=64,
        help_text=gettext_lazy("The cursor of the page to fetch, from `next` or `previous`."),
    )
    page_size = PageSizeField()

    def validate_q(self, value: str) -> str:
        try:
            cleaned = search.search_query_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["q"]) from None
        if not cleaned:
            raise serializers.ValidationError(gettext_lazy("Type something to search for."))
        return cleaned


class SearchTagSerializer(serializers.Serializer):
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Normalised key (NFKC, case-folded).")
    )
    display_name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("The tag as first written, without the #.")
    )
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The tag's page."))
    note_count = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Notes with the tag that you may see.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, tag) -> str:
        return self.context["request"].build_absolute_uri(tag.get_absolute_url())


_SERIALIZERS = {
    search.SEARCH_NOTES: NoteSerializer,
    search.SEARCH_USERS: UserCardSerializer,
    search.SEARCH_TAGS: SearchTagSerializer,
}

SearchPageSerializer = inline_serializer(
    name="SearchPage",
    fields={
        "next": serializers.URLField(
            allow_null=True, help_text=gettext_lazy("The next page, or null at the end.")
        ),
        "previous": serializers.URLField(
            allow_null=True, help_text=gettext_lazy("The page before, or null on the first.")
        ),
        "results": PolymorphicProxySerializer(
            component_name="SearchResult",
            serializers=[NoteSerializer, UserCardSerializer, SearchTagSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    },
)


class SearchApi(APIView):
    """Search notes, people or tags."""

    permission_classes = [permissions.AllowAny]
    # Visitors' searches are counted by address with the search page's
    # (feeds.search_views.SEARCH_THROTTLE_SCOPE); signed-in people have the per-user rate.
    throttle_scope = "search"

    @extend_schema(
        tags=[TAG_SEARCH],
        operation_id="search",
        summary=gettext_lazy("Search notes, people or tags"),
        description=gettext_lazy(
            "Notes are found by their words, Chinese included (each word of `q` must appear in "
            "the title, text, tags or place), most relevant first, then newest; people by part "
            "of their handle or display name, and tags by part of their name, closest match "
            "first. Only what the viewer may see: never hidden or private notes, nor people "
            "in a block with the viewer, people they muted, or suspended accounts. An empty or "
            "over-long `q` is a 400 naming `q`. Visitors have a search rate of their own (429)."
        ),
        parameters=[SearchInputSerializer],
        responses={200: SearchPageSerializer, **error_responses(400, 429)},
    )
    def get(self, request):
        params = SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kind = data["type"]
        listing = search.search_listing(kind=kind, query=data["q"], viewer=request.user)
        queryset = listing.queryset
        if kind == search.SEARCH_NOTES:
            # Images, tags and mentions come from the cache (`notes.representation`, through
            # NoteSerializer's list), loaded only for the notes that miss there.
            queryset = queryset.prefetch_related(None)
        try:
            with search.search_reading():
                page = cursor_page(
                    queryset, cursor=data.get("cursor"), key=listing.key, size=data["page_size"]
                )
        except InvalidCursor:
            raise exceptions.ValidationError({"cursor": [str(INVALID_CURSOR)]}) from None
        serializer = _SERIALIZERS[kind](page.items, many=True, context={"request": request})
        base = request.build_absolute_uri()
        return Response(
            {
                "next": _link(base, page.next_cursor),
                "previous": _link(base, page.previous_cursor),
                "results": serializer.data,
            }
        )


def _link(base: str, cursor: str | None) -> str | None:
    return replace_query_param(base, "cursor", cursor) if cursor else None
