"""API views of the reading aids: a note's or a comment's text annotated for a learner —
segmented into words, pinyin on Chinese words, the dictionary key of each word (`gloss_id`, for
`GET /api/v1/dictionary/?q=`) and the slang glossary's terms found (`slang_id`, for
`GET /api/v1/glossary/`) — made on this server (`translations.reading`), no provider involved.

The API always annotates fully (a client asking wants the annotations, whatever the "Reading
aids" setting); whether the text is shown converted between Traditional and Simplified Chinese
is the reader's (`translations.reading.aids_for`, as on the note page: a zh-Hant text for a
zh-Hans reader), unless `?script=` asks for a script. A mixed text counts by its main language.

Notes and comments are read through the same permission-checked getters as their own endpoints:
404 for what the reader may not see (their own note or comment hidden by moderators excepted,
as there).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from translations.dictionary import READING_THROTTLE_SCOPE
from translations.reading import Reading, reading_annotate_many

from .. import bilingual, comments_selectors, selectors
from ..reading import SCRIPTS, reader_aids

TAG_READING = "reading"


class SegmentSerializer(serializers.Serializer):
    text = serializers.CharField(
        help_text=gettext_lazy(
            "A slice of the text (a word, a run of spaces or punctuation...); the segments "
            "concatenate to the text exactly."
        )
    )
    pinyin = serializers.CharField(
        required=False,
        help_text=gettext_lazy(
            "Chinese words only: the word's pinyin with tone marks, its syllables joined "
            '("yínháng"), one syllable per Han character.'
        ),
    )
    gloss_id = serializers.CharField(
        required=False,
        help_text=gettext_lazy(
            "The word as the dictionary knows it: ask `GET /api/v1/dictionary/?q=` with it. "
            "Absent for punctuation, spaces, numbers and unknown words."
        ),
    )
    slang_id = serializers.IntegerField(
        required=False,
        help_text=gettext_lazy(
            "A slang glossary term found here (its id in `GET /api/v1/glossary/`); a term of "
            'several words ("no cap") is one segment.'
        ),
    )


class ReadingSerializer(serializers.Serializer):
    language = serializers.CharField(
        help_text=gettext_lazy(
            "The language of the segments' text (BCP 47): the text's own, or the script it "
            "was converted to."
        )
    )
    segments = SegmentSerializer(many=True)
    script_converted = serializers.CharField(
        required=False,
        help_text=gettext_lazy(
            "Present when the text was converted between Traditional and Simplified Chinese: "
            "the original's language (`zh-Hant`); the segments are the conversion."
        ),
    )


class TitleReadingSerializer(serializers.Serializer):
    segments = SegmentSerializer(
        many=True, help_text=gettext_lazy("The title's segments (none for a note without one).")
    )


class NoteReadingSerializer(ReadingSerializer):
    title = TitleReadingSerializer(
        help_text=gettext_lazy(
            "The title, annotated (and converted) as the text is; `language` and "
            "`script_converted` apply to both."
        )
    )


class ReadingQuerySerializer(serializers.Serializer):
    script = serializers.ChoiceField(
        choices=SCRIPTS,
        required=False,
        help_text=gettext_lazy(
            "Show Chinese text in this script (converting Traditional ↔ Simplified); default: "
            "the script you read."
        ),
    )


SCRIPT_PARAMETER = OpenApiParameter(
    "script",
    str,
    enum=list(SCRIPTS),
    required=False,
    description=gettext_lazy(
        "Chinese text in this script, converted when it is written in the other one "
        "(`zh-Hans` or `zh-Hant`; 400 for anything else). Default: the script you read "
        "(visitors: the interface language's), as on the note page."
    ),
)


def _reading_plan(request, *, language: str, text: str, main: str | None) -> tuple[str, str | None]:
    """The language to annotate `text` as and the script to show it in, for the request:
    `?script=` when the text is Chinese in the other script, else the reader's (`aids_for`).
    A mixed text counts by its main language: converted, it is annotated as that language
    (the conversion's source); otherwise as mixed."""
    query = ReadingQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    # The page's rule (`notes.reading.reader_aids`); only the conversion is taken from it:
    # `learning` and the switch decide what a page shows, while the API always annotates.
    aids, annotate_as = reader_aids(
        bilingual.reader_get(request),
        language,
        text,
        main,
        script=query.validated_data.get("script"),
    )
    return annotate_as, aids.convert_to


def _annotate(texts: list[str], *, language: str, convert_to: str | None) -> list[Reading | None]:
    """Each text annotated (one cache round trip for them all); None for an empty one."""
    wanted = [(text, language, convert_to) for text in texts if text.strip()]
    readings = iter(reading_annotate_many(wanted) if wanted else [])
    return [next(readings) if text.strip() else None for text in texts]


def _empty(language: str) -> dict:
    return {"language": language, "segments": []}


class NoteReadingApi(APIView):
    """A note's title and text with reading aids."""

    permission_classes: list = []
    throttle_scope = READING_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_READING],
        operation_id="note_reading",
        summary=gettext_lazy("A note's reading aids"),
        description=gettext_lazy(
            "The note's text as segments with pinyin (Chinese words), dictionary keys "
            "(`gloss_id`) and slang terms (`slang_id`); its title likewise under `title`. "
            "Chinese in the script you do not read comes converted to yours "
            "(`script_converted` names the original's), or to `script`. Text in other "
            "languages is one plain segment per run. 404 when you may not see the note."
        ),
        parameters=[SCRIPT_PARAMETER],
        responses={200: NoteReadingSerializer, **error_responses(400, 404, 429)},
    )
    def get(self, request, note_id: int):
        try:
            note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
        except Http404:
            # Its author still reads a hidden note (`notes/<id>/`), so its reading too.
            hidden = selectors.note_get_hidden_own(viewer=request.user, note_id=note_id)
            if hidden is None:
                raise
            note = hidden
        language, convert_to = _reading_plan(
            request,
            language=note.language,
            text=f"{note.title}\n{note.body}",
            main=note.language_main,
        )
        title, body = _annotate([note.title, note.body], language=language, convert_to=convert_to)
        # The text's reading names the language and any conversion; a note with a title and
        # no text takes them from the title's.
        shown = body or title
        data = shown.as_json() if shown is not None else _empty(language)
        data["segments"] = data["segments"] if body is not None else []
        data["title"] = {"segments": title.as_json()["segments"] if title is not None else []}
        return Response(data)


class CommentReadingApi(APIView):
    """A comment with reading aids."""

    permission_classes: list = []
    throttle_scope = READING_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_READING],
        operation_id="comment_reading",
        summary=gettext_lazy("A comment's reading aids"),
        description=gettext_lazy(
            "The comment as segments with pinyin, dictionary keys and slang terms, converted "
            "between Traditional and Simplified Chinese as for a note. 404 when you may not "
            "see the comment."
        ),
        parameters=[SCRIPT_PARAMETER],
        responses={200: ReadingSerializer, **error_responses(400, 404, 429)},
    )
    def get(self, request, comment_id: int):
        try:
            comment = comments_selectors.comment_get_visible(
                viewer=request.user, comment_id=comment_id
            )
        except Http404:
            hidden = comments_selectors.comment_get_hidden_own(
                viewer=request.user, comment_id=comment_id
            )
            if hidden is None:
                raise
            comment = hidden
        language, convert_to = _reading_plan(
            request, language=comment.language, text=comment.body, main=comment.language_main
        )
        (body,) = _annotate([comment.body], language=language, convert_to=convert_to)
        return Response(body.as_json() if body is not None else _empty(language))
