"""API views of the slang glossary: list and search the approved terms, read one, suggest one
(held for a moderator's review). Routes in rednote/api_urls.py."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.pagination import CursorPagination

from ..glossary import GLOSSARY_RANK, glossary_search, glossary_term_get, glossary_term_suggest
from ..glossary_rules import (
    GLOSSARY_LANGUAGES,
    GLOSSARY_PINYIN_MAX_LENGTH,
    GLOSSARY_VARIANTS_MAX,
)
from ..models import (
    GLOSSARY_EXAMPLE_MAX_LENGTH,
    GLOSSARY_EXPLANATION_MAX_LENGTH,
    GLOSSARY_TERM_MAX_LENGTH,
    GlossaryTerm,
)

TAG_GLOSSARY = "glossary"
# Readers' suggestions count with boards, community translations and feedback; reading does
# not (rednote.throttling.RATE_SCOPES).
CONTRIBUTIONS_THROTTLE_SCOPE = "contributions"


class GlossaryTermSerializer(serializers.ModelSerializer):
    """A glossary term as readers see it (the reading API's `slang_id` names one)."""

    class Meta:
        model = GlossaryTerm
        fields = (
            "id",
            "term",
            "language",
            "variants",
            "pinyin",
            "explanation_en",
            "explanation_zh",
            "example",
            "example_translation",
            "status",
            "created_at",
            "reviewed_at",
        )
        read_only_fields = fields

    variants = serializers.ListField(child=serializers.CharField(), read_only=True)


class GlossarySuggestInputSerializer(serializers.Serializer):
    """A suggestion; `glossary_term_suggest` checks the rest (normalised text, an explanation
    in at least one language, no duplicate of a live entry)."""

    term = serializers.CharField(max_length=GLOSSARY_TERM_MAX_LENGTH, trim_whitespace=True)
    language = serializers.ChoiceField(choices=list(GLOSSARY_LANGUAGES.items()))
    variants = serializers.ListField(
        child=serializers.CharField(max_length=GLOSSARY_TERM_MAX_LENGTH),
        required=False,
        max_length=GLOSSARY_VARIANTS_MAX,
        help_text=gettext_lazy("Other spellings found in text (YYDS, 永遠的神)."),
    )
    pinyin = serializers.CharField(
        max_length=GLOSSARY_PINYIN_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("For a Chinese term, with tone marks."),
    )
    explanation_en = serializers.CharField(
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH, required=False, allow_blank=True
    )
    explanation_zh = serializers.CharField(
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH, required=False, allow_blank=True
    )
    example = serializers.CharField(
        max_length=GLOSSARY_EXAMPLE_MAX_LENGTH, required=False, allow_blank=True
    )
    example_translation = serializers.CharField(
        max_length=GLOSSARY_EXAMPLE_MAX_LENGTH, required=False, allow_blank=True
    )


class GlossaryPagination(CursorPagination):
    # `rank` is annotated by `glossary_search`: the best matches first, then the newest.
    ordering = (f"-{GLOSSARY_RANK}", "-id")


class GlossaryApi(generics.ListAPIView):
    """The approved terms, searched; suggest a new one."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_scope = CONTRIBUTIONS_THROTTLE_SCOPE  # suggesting; reading is not counted
    serializer_class = GlossaryTermSerializer
    pagination_class = GlossaryPagination

    def get_queryset(self):
        language = self.request.query_params.get("language", "")
        if language and language not in GLOSSARY_LANGUAGES:
            raise exceptions.ValidationError(
                {"language": [str(gettext_lazy("Choose en or zh-Hans, or leave it out."))]}
            )
        return glossary_search(q=self.request.query_params.get("q", ""), language=language)

    @extend_schema(
        tags=[TAG_GLOSSARY],
        operation_id="glossary_list",
        summary=gettext_lazy("The slang glossary"),
        description=gettext_lazy(
            "Approved internet-slang terms in Chinese (`zh-Hans`) and English (`en`), each "
            "explained in both languages with an example. `q` searches the terms, their "
            "variants, pinyin and explanations (case aside); `language` keeps one language. "
            "The best matches first (the term itself, then terms and variants containing "
            "`q`), then the newest; cursor pages (`cursor`, `page_size`)."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy("Words to look for.")),
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=list(GLOSSARY_LANGUAGES),
                description=gettext_lazy("Only terms in this language."),
            ),
        ],
        responses={200: GlossaryTermSerializer(many=True), **error_responses(400)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_GLOSSARY],
        operation_id="glossary_suggest",
        summary=gettext_lazy("Suggest a term"),
        description=gettext_lazy(
            "Held as `suggested` until a moderator approves it (then it is listed and "
            "underlined in notes and comments) or rejects it. Needs `term`, `language` and an "
            "explanation in at least one language (`explanation_en`, `explanation_zh` — the "
            "Chinese one in Chinese). A term the glossary has, or that waits for review, in "
            "the same language (its variants too, case aside) is a 400 naming the field. 429 "
            "past the contributions rate. Nothing is stored when refused."
        ),
        request=GlossarySuggestInputSerializer,
        examples=[
            OpenApiExample(
                "An English term",
                value={
                    "term": "rizz",
                    "language": "en",
                    "explanation_en": "Charm, the skill of attracting someone.",
                    "explanation_zh": "魅力，撩人的本事。",
                    "example": "He has no rizz.",
                    "example_translation": "他一点都不会撩。",
                },
                request_only=True,
            ),
        ],
        responses={201: GlossaryTermSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        serializer = GlossarySuggestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = glossary_term_suggest(user=request.user, **serializer.validated_data)
        return Response(GlossaryTermSerializer(entry).data, status=status.HTTP_201_CREATED)


class GlossaryDetailApi(APIView):
    """One approved term."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_GLOSSARY],
        operation_id="glossary_retrieve",
        summary=gettext_lazy("A glossary term"),
        description=gettext_lazy(
            "A term waiting for review, rejected or deleted is a 404 (the reading API's "
            "`slang_id` names approved terms)."
        ),
        responses={200: GlossaryTermSerializer, **error_responses(404)},
    )
    def get(self, request, term_id: int):
        try:
            entry = glossary_term_get(entry_id=term_id)
        except GlossaryTerm.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(GlossaryTermSerializer(entry).data)
