"""REST API for hashtags (/api/v1/tags/): a tag's notes, following a tag, trending tags.

One class per operation; reads through `feeds.tag_selectors` and `feeds.trending`, writes
through `feeds.tags`. Tag names in paths are normalised as on the tag page, so `Travel`,
`travel` and `ｔｒａｖｅｌ` are one tag; an unknown tag is a 404.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from notes import selectors as notes_selectors
from notes.api.common import LIST_DESCRIPTION, NoteListApi, note_pages
from notes.models import Hashtag
from notes.serializers import NoteSerializer
from rednote.api import error_responses
from rednote.pagination import CursorPagination

from .. import tag_selectors, tags, trending

TAG_TAGS = "tags"


# --- Shapes -------------------------------------------------------------------------------


class TagSerializer(serializers.Serializer):
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Normalised key (NFKC, case-folded).")
    )
    display_name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("The tag as first written, without the #.")
    )
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The tag's page."))
    follower_count = serializers.IntegerField(read_only=True)
    following = serializers.BooleanField(
        source="viewer_follows", read_only=True, help_text=gettext_lazy("Whether you follow it.")
    )

    def get_url(self, tag) -> str:
        return self.context["request"].build_absolute_uri(tag.get_absolute_url())


class LinkedTagSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The tag's page."))

    def get_url(self, tag) -> str:
        return self.context["request"].build_absolute_uri(tag.get_absolute_url())


class LanguageCountSerializer(serializers.Serializer):
    language = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("A BCP 47 code, or “other” for every language not listed."),
    )
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("The language's name in your interface language.")
    )
    notes = serializers.IntegerField(source="count", read_only=True)


class TagDetailSerializer(TagSerializer):
    """The tag page's head (`tag_selectors.tag_head`)."""

    note_count = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy(
            "Notes of the topic you may see, counted up to 1,000 (`note_count_capped`)."
        ),
    )
    note_count_capped = serializers.BooleanField(read_only=True)
    group = LinkedTagSerializer(
        source="group_tags",
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The tags moderators linked with this one across languages: its notes and its "
            "followers are theirs too."
        ),
    )
    languages = LanguageCountSerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The topic's public notes by language, most first; recounted every few minutes."
        ),
    )

    def to_representation(self, head):
        data = super().to_representation(head.hashtag)
        data.update(
            note_count=head.note_count,
            note_count_capped=head.note_count_capped,
            group=LinkedTagSerializer(head.group_tags, many=True, context=self.context).data,
            languages=LanguageCountSerializer(head.languages, many=True).data,
        )
        return data


class TrendingTagSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The tag's page."))
    notes_24h = serializers.IntegerField(
        source="recent",
        read_only=True,
        help_text=gettext_lazy("Public notes with the tag in the last 24 hours."),
    )
    daily_average = serializers.FloatField(
        source="baseline",
        read_only=True,
        help_text=gettext_lazy("Its public notes per day over the 7 days before."),
    )
    score = serializers.FloatField(
        read_only=True,
        help_text=gettext_lazy(
            "(notes_24h − daily_average) / √(daily_average + 5): how far today stands above "
            "the tag's usual day."
        ),
    )

    def get_url(self, tag) -> str:
        return self.context["request"].build_absolute_uri(tag.url)


class TrendingSerializer(serializers.Serializer):
    results = TrendingTagSerializer(many=True, read_only=True)


# --- A tag ---------------------------------------------------------------------------------


class TagDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_TAGS],
        operation_id="tags_retrieve",
        summary=gettext_lazy("A tag"),
        description=gettext_lazy(
            "What the tag page shows above its notes: the tag, its followers, how many of its "
            "topic's notes you may see, its public notes per language and the tags linked with "
            "it across languages (a group: its notes are listed with this tag's)."
        ),
        responses={200: TagDetailSerializer, **error_responses(404)},
    )
    def get(self, request, name: str):
        head = tag_selectors.tag_head(name=name, viewer=request.user)
        return Response(TagDetailSerializer(head, context={"request": request}).data)


# --- A tag's notes ------------------------------------------------------------------------


class TagLatestPagination(CursorPagination):
    # `tagged_at`: the tag link's copy of the note's publication time (`tag_selectors.TAG_TABS`),
    # so the keyset is a range of the links' (hashtag, published_at, note) index.
    ordering = (f"-{tag_selectors.TAG_TABS[tag_selectors.LATEST]}", "-id")


class TagTopPagination(CursorPagination):
    # `engagement` (likes + collects) is annotated by `tag_selectors.tag_notes`.
    ordering = ("-engagement", "-id")


_PAGINATIONS = {tag_selectors.LATEST: TagLatestPagination, tag_selectors.TOP: TagTopPagination}

_TAB_PARAMETER = OpenApiParameter(
    "tab",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(tag_selectors.TAG_TABS),
    description=gettext_lazy(
        "`latest` (default): newest first. `top`: the tag's 500 most liked and collected "
        "public notes, most first (ranked every few minutes, read fresh)."
    ),
)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_TAGS],
        operation_id="tags_notes_list",
        summary=gettext_lazy("A tag's notes"),
        description=format_lazy(
            "{}{}",
            gettext_lazy(
                "The notes of the tag page: published notes the viewer may see, without those "
                "of people they muted. A tag moderators linked with others across languages "
                "lists the notes of every tag of its group, each once. "
            ),
            LIST_DESCRIPTION,
        ),
        parameters=[_TAB_PARAMETER],
        responses={200: NoteSerializer(many=True), **error_responses(400, 404)},
    )
)
class TagNotesApi(NoteListApi):
    def _tab(self) -> str:
        tab = self.request.query_params.get("tab") or tag_selectors.LATEST
        if tab not in tag_selectors.TAG_TABS:
            raise exceptions.ValidationError(
                {"tab": [_("Choose “latest” or “top”.")]}, code="invalid"
            )
        return tab

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = _PAGINATIONS[self._tab()]()
        return self._paginator

    def notes(self):
        tab = self._tab()
        hashtag = notes_selectors.hashtag_get(name=self.kwargs["name"])
        return tag_selectors.tag_notes(hashtag=hashtag, viewer=self.request.user, tab=tab)

    def prepared_pages(self):
        # Latest only: Top reads a cached list of ids whose length varies.
        if self._tab() != tag_selectors.LATEST:
            return None
        hashtag = notes_selectors.hashtag_get(name=self.kwargs["name"])
        if hashtag.group_id is not None:
            return _GROUP_LATEST_PAGES, (hashtag.group_id,)
        return _LATEST_PAGES, (hashtag.pk,)


_LATEST_PAGES = note_pages(
    TagLatestPagination,
    lambda viewer, hashtag_id: tag_selectors.tag_notes(
        hashtag=Hashtag(pk=hashtag_id), viewer=viewer, tab=tag_selectors.LATEST
    ),
    ids=1,
)
# A linked tag's Latest is its group's (`notes_of_hashtag` reads only the group's id then).
_GROUP_LATEST_PAGES = note_pages(
    TagLatestPagination,
    lambda viewer, group_id: tag_selectors.tag_notes(
        hashtag=Hashtag(group_id=group_id), viewer=viewer, tab=tag_selectors.LATEST
    ),
    ids=1,
)


# --- Following a tag ----------------------------------------------------------------------


class TagFollowApi(APIView):
    """POST follows the tag, DELETE unfollows it; both idempotent."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "social_graph"

    def _tag(self, request, name: str):
        return tag_selectors.hashtag_get_with_follow(name=name, viewer=request.user)

    @extend_schema(
        tags=[TAG_TAGS],
        operation_id="tags_follow",
        summary=gettext_lazy("Follow a tag"),
        description=format_lazy(
            gettext_lazy(
                "Its new notes reach your home feed, and those of the tags moderators linked "
                "with it across languages. At most {limit} tags per person (400, field "
                "`hashtag`)."
            ),
            limit=tags.HASHTAG_FOLLOW_LIMIT,
        ),
        request=None,
        responses={
            201: OpenApiResponse(TagSerializer, gettext_lazy("Followed.")),
            200: OpenApiResponse(TagSerializer, gettext_lazy("Already followed.")),
            **error_responses(400, 401, 404, 429),
        },
    )
    def post(self, request, name: str):
        hashtag = self._tag(request, name)
        _follow, created = tags.hashtag_follow(user=request.user, hashtag=hashtag)
        hashtag = self._tag(request, hashtag.name)
        return Response(
            TagSerializer(hashtag, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        tags=[TAG_TAGS],
        operation_id="tags_unfollow",
        summary=gettext_lazy("Unfollow a tag"),
        description=gettext_lazy(
            "Also when you did not follow it. For a tag linked with others across languages, "
            "every tag of its group you follow."
        ),
        request=None,
        responses={204: None, **error_responses(401, 404, 429)},
    )
    def delete(self, request, name: str):
        hashtag = self._tag(request, name)
        tags.hashtag_unfollow(user=request.user, hashtag=hashtag)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Trending -----------------------------------------------------------------------------


class TrendingInputSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=trending.TRENDING_CANDIDATES,
        default=trending.TRENDING_SIZE,
        help_text=gettext_lazy("How many tags (1 to 50, default 10)."),
    )


class TrendingTagsApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_TAGS],
        operation_id="tags_trending",
        summary=gettext_lazy("Trending tags"),
        description=gettext_lazy(
            "The tags whose public notes grew most in the last 24 hours against their daily "
            "average over the 7 days before, best first; tags moderators keep out of trending "
            "are left out, and for a signed-in reader so are the notes of people they block, "
            "who block them or whom they muted. Recomputed every few minutes."
        ),
        parameters=[TrendingInputSerializer],
        responses={200: TrendingSerializer, **error_responses(400)},
    )
    def get(self, request):
        params = TrendingInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = trending.trending_tags(viewer=request.user, size=params.validated_data["limit"])
        return Response(TrendingSerializer({"results": found}, context={"request": request}).data)
