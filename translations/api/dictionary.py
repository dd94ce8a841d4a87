"""`GET /api/v1/dictionary/?q=`: CC-CEDICT's entries for a word, both directions (a Chinese word
→ its entries; an English word → the Chinese entries whose senses hold it), as on the
dictionary page (`translations.dictionary`). The answers never change between deploys: a 200 is
cacheable by anyone for a day."""

from django.core.exceptions import ValidationError
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses

from ..dictionary import DICTIONARY_MAX_AGE, READING_THROTTLE_SCOPE, dictionary_search

TAG_READING = "reading"


class DictionaryEntrySerializer(serializers.Serializer):
    simplified = serializers.CharField(help_text=gettext_lazy("The word in Simplified Chinese."))
    traditional = serializers.CharField(help_text=gettext_lazy("The word in Traditional Chinese."))
    pinyin = serializers.CharField(
        help_text=gettext_lazy('Pinyin with tone marks, syllables apart ("yín háng").')
    )
    senses = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("The English senses, as CC-CEDICT gives them."),
    )


class DictionaryResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text=gettext_lazy("The word looked up, blanks tidied."))
    direction = serializers.ChoiceField(
        choices=("zh-en", "en-zh"),
        help_text=gettext_lazy(
            "`zh-en` for a query with Chinese characters, `en-zh` for an English word."
        ),
    )
    entries = DictionaryEntrySerializer(
        many=True, help_text=gettext_lazy("Best first; empty for a word the dictionary lacks.")
    )


class DictionaryApi(APIView):
    """Look a word up in the dictionary."""

    permission_classes: list = []
    throttle_scope = READING_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_READING],
        operation_id="dictionary",
        summary=gettext_lazy("Look up a word"),
        description=gettext_lazy(
            "CC-CEDICT (CC BY-SA 4.0) entries for `q`: a Chinese word (Simplified or "
            "Traditional) gives its pinyin and English senses; an English word gives the "
            "Chinese words whose senses hold it, best first. The `gloss_id` of a reading "
            "segment is a valid `q`. An unknown word has no entries; 400 names `q` when it is "
            "missing, empty or too long."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description=gettext_lazy("A Chinese or English word or short phrase."),
            )
        ],
        responses={200: DictionaryResultSerializer, **error_responses(400, 429)},
    )
    def get(self, request):
        try:
            result = dictionary_search(request.query_params.get("q"))
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        data = {
            "query": result.query,
            "direction": result.direction,
            "entries": [
                {
                    "simplified": entry.simplified,
                    "traditional": entry.traditional,
                    "pinyin": entry.pinyin,
                    "senses": list(entry.senses),
                }
                for entry in result.entries
            ],
        }
        response = Response(data)
        patch_cache_control(response, public=True, max_age=DICTIONARY_MAX_AGE)
        return response
