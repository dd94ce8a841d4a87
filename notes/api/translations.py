"""API views of the bilingual view: a note's translation, a comment's, and a thread's in one
batch (`notes.bilingual`, which the note page's buttons call too).

Each answers `{"text", "source_language", "target_language", "provider", "kind", "cached"}`
(200), or the same with an empty `text` and 202 while the translation is being made (ask again
after `Retry-After`, with `?poll=1`: a poll only reads and counts against the generous
`translation_polls` rate scope, not `translations`, `rednote.throttling.is_poll`); a provider
that is not set up, down or not allowed to see the text (a note that is not public, with a
provider that is not self-hosted) is a 503 with `detail`; the
reader's hourly quota spent is a 429. Notes and comments are read through the same
permission-checked getters as their own endpoints: 404 for what the reader may not see.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import ErrorSerializer, error_responses
from rednote.throttling import POLL_PARAMETER, is_poll
from translations.services import Reason, TranslationResult

from .. import bilingual, comments_selectors, selectors
from ..limits import TRANSLATIONS_THROTTLE_SCOPE

TAG_TRANSLATIONS = "translations"
# Seconds a client should wait before asking again for a translation being made.
PENDING_RETRY_AFTER = 2


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=gettext_lazy(
            "The language to translate into (a BCP 47 code of the site's content languages); "
            "default: the first language you read (visitors: the interface language's)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = list(settings.CONTENT_LANGUAGES)  # type: ignore[attr-defined]


KIND_HELP = gettext_lazy("`machine` or `community` (a reader's translation).")

TranslationSerializer = inline_serializer(
    name="Translation",
    fields={
        "text": serializers.CharField(
            help_text=gettext_lazy("The translation, plain text (escape it); empty while 202.")
        ),
        "source_language": serializers.CharField(allow_null=True),
        "target_language": serializers.CharField(),
        "provider": serializers.CharField(
            help_text=gettext_lazy(
                'Who translated: the provider ("LibreTranslate") or the translator ("@mei").'
            )
        ),
        "kind": serializers.CharField(help_text=KIND_HELP),
        "cached": serializers.BooleanField(),
    },
)

NoteTranslationSerializer = inline_serializer(
    name="NoteTranslation",
    fields={
        "text": serializers.CharField(
            help_text=gettext_lazy("The title and the text translated, a blank line apart.")
        ),
        "title": serializers.CharField(),
        "body": serializers.CharField(),
        "source_language": serializers.CharField(allow_null=True),
        "target_language": serializers.CharField(),
        "provider": serializers.CharField(),
        "kind": serializers.CharField(help_text=KIND_HELP),
        "cached": serializers.BooleanField(),
    },
)

ThreadTranslationSerializer = inline_serializer(
    name="ThreadTranslation",
    fields={
        "target_language": serializers.CharField(),
        "results": inline_serializer(
            name="CommentTranslation",
            fields={
                "comment_id": serializers.IntegerField(),
                "status": serializers.CharField(
                    help_text=gettext_lazy("`done`, `pending` or `unavailable`.")
                ),
                "text": serializers.CharField(),
                "source_language": serializers.CharField(allow_null=True),
                "target_language": serializers.CharField(),
                "provider": serializers.CharField(),
                "kind": serializers.CharField(help_text=KIND_HELP),
                "cached": serializers.BooleanField(),
                "detail": serializers.CharField(required=False),
            },
            many=True,
        ),
    },
)


class ThreadTranslationInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=bilingual.THREAD_TRANSLATION_MAX,
        help_text=gettext_lazy(
            "The comments to translate (those you show); comments of other notes or that you "
            "may not see are left out. Default: the thread's first page (top-level comments "
            "and their first replies)."
        ),
    )


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    required=False,
    description=gettext_lazy(
        "The language to translate into (a BCP 47 code of the site's content languages); "
        "default: the first language you read (visitors: the interface language's)."
    ),
)
POLL_PARAMETER_DOC = OpenApiParameter(
    POLL_PARAMETER,
    bool,
    required=False,
    description=gettext_lazy(
        "`1` or `true`: only ask how a translation you asked for is going (after a 202): it "
        "is never sent to the provider, and counts against the generous `translation_polls` "
        "rate limit instead of `translations`. 400 when it was not asked for (or failed and "
        "may be tried again): ask without `poll`."
    ),
)
_OTHER_RESPONSES = {
    202: OpenApiResponse(
        description=gettext_lazy(
            "Being translated: ask again after the `Retry-After` header's seconds."
        )
    ),
    503: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy(
            "No translation can be made now: machine translation is not set up, the provider "
            "is down, or the text is not public and the provider is a third party (`detail`)."
        ),
    ),
}


def _reader(request) -> bilingual.Reader:
    query = LanguageQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return bilingual.reader_get(request, target=query.validated_data.get("lang"))


class TranslationUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "translation_unavailable"


def _refuse_unavailable(results: list[TranslationResult]) -> None:
    """Raise the error for results that are not a translation and not being made: 400 (the
    text is already in `lang`, or there is no text), 429 (quota), 503 (anything else, with the
    reason in `detail`). Nothing while any is being made (the caller answers 202)."""
    answered = [r for r in results if not (r.is_unavailable and r.reason == Reason.EMPTY)]
    if not answered:
        raise exceptions.ValidationError(_("There is nothing to translate."))
    if any(r.is_pending for r in answered):
        return
    for result in answered:
        if not result.is_unavailable:
            continue
        if result.reason == Reason.SAME_LANGUAGE:
            raise exceptions.ValidationError({"lang": [result.detail]})
        if result.reason == Reason.NOT_ASKED:
            raise exceptions.ValidationError({POLL_PARAMETER: [result.detail]})
        if result.reason == Reason.QUOTA:
            raise exceptions.Throttled(wait=_seconds_to_next_hour(), detail=result.detail)
        raise TranslationUnavailable(detail=result.detail)


def _seconds_to_next_hour() -> int:
    now = timezone.now()
    return 3600 - (now.minute * 60 + now.second)


def _pending(data: dict) -> Response:
    response = Response(data, status=status.HTTP_202_ACCEPTED)
    response["Retry-After"] = str(PENDING_RETRY_AFTER)
    return response


class NoteTranslationApi(APIView):
    """A note's title and text translated."""

    permission_classes: list = []
    throttle_scope = TRANSLATIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_TRANSLATIONS],
        operation_id="note_translation",
        summary=gettext_lazy("A note's translation"),
        description=gettext_lazy(
            "The note's title and text in `lang`: a community translation when its author "
            "accepted one or enough readers upvoted it, else the machine translation (made "
            "once, then shared by every reader). 202 while it is being made; 503 when none "
            "can be made now; 429 past your hourly translation quota; 400 for a language the "
            "site does not have or the note's own; 404 when you may not see the note."
        ),
        parameters=[LANG_PARAMETER, POLL_PARAMETER_DOC],
        responses={
            200: NoteTranslationSerializer,
            **_OTHER_RESPONSES,
            **error_responses(400, 404, 429),
        },
    )
    def get(self, request, note_id: int):
        note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
        reader = _reader(request)
        title, body = bilingual.note_translate(reader=reader, note=note, poll=is_poll(request))
        _refuse_unavailable([title, body])
        done = [r for r in (title, body) if r.is_done]
        base = (body if body.is_done else title).as_json()
        data = {
            **base,
            "text": "\n\n".join(r.text for r in done if r.text),
            "title": title.text if title.is_done else "",
            "body": body.text if body.is_done else "",
            "provider": ", ".join(dict.fromkeys(r.provider for r in done if r.provider)),
            "kind": "community" if done and all(r.kind == "community" for r in done) else "machine",
            "cached": all(r.cached for r in done),
        }
        if any(r.is_pending for r in (title, body)):
            data["kind"] = base["kind"]
            return _pending(data)
        return Response(data)


class CommentTranslationApi(APIView):
    """A comment translated."""

    permission_classes: list = []
    throttle_scope = TRANSLATIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_TRANSLATIONS],
        operation_id="comment_translation",
        summary=gettext_lazy("A comment's translation"),
        description=gettext_lazy(
            "The comment in `lang`, as for a note: community over machine; 202 while being "
            "made, 503 when none can be made now, 429 past your quota, 404 when you may not "
            "see the comment."
        ),
        parameters=[LANG_PARAMETER, POLL_PARAMETER_DOC],
        responses={
            200: TranslationSerializer,
            **_OTHER_RESPONSES,
            **error_responses(400, 404, 429),
        },
    )
    def get(self, request, comment_id: int):
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
        reader = _reader(request)
        (result,) = bilingual.comments_translate(
            reader=reader, note=comment.note, comments=[comment], poll=is_poll(request)
        )
        _refuse_unavailable([result])
        if result.is_pending:
            return _pending(result.as_json())
        return Response(result.as_json())


class ThreadTranslationApi(APIView):
    """A thread's comments translated in one batch."""

    permission_classes: list = []
    throttle_scope = TRANSLATIONS_THROTTLE_SCOPE

    @extend_schema(
        tags=[TAG_TRANSLATIONS],
        operation_id="note_comments_translation",
        summary=gettext_lazy("Translate a thread"),
        description=gettext_lazy(
            "The comments `ids` of the note (default: the thread's first page) in `lang`, in "
            "one batch: every text not translated yet goes to the provider in one call. Each "
            "result has its `status`: `done`, `pending` or `unavailable` (with `detail`). "
            "202 while any is being made; 503 when none could be translated and the provider "
            "is not set up or down; 429 past your quota; 404 when you may not see the note."
        ),
        parameters=[LANG_PARAMETER],
        request=ThreadTranslationInputSerializer,
        responses={
            200: ThreadTranslationSerializer,
            **_OTHER_RESPONSES,
            **error_responses(400, 404, 429),
        },
    )
    def post(self, request, note_id: int):
        note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
        reader = _reader(request)
        serializer = ThreadTranslationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comments = bilingual.thread_comments_get(
            viewer=request.user, note=note, ids=serializer.validated_data.get("ids") or []
        )
        results = bilingual.comments_translate(reader=reader, note=note, comments=comments)
        items = []
        for comment, result in zip(comments, results, strict=True):
            item = {"comment_id": comment.pk, "status": result.state, **result.as_json()}
            items.append(item)
        data = {"target_language": reader.target, "results": items}
        if any(r.is_pending for r in results):
            return _pending(data)
        counted = [
            r
            for r in results
            if not (r.is_unavailable and r.reason in (Reason.EMPTY, Reason.SAME_LANGUAGE))
        ]
        if counted and not any(r.is_done for r in counted):
            quota = next((r for r in counted if r.reason == Reason.QUOTA), None)
            if quota is not None:
                raise exceptions.Throttled(wait=_seconds_to_next_hour(), detail=quota.detail)
            raise TranslationUnavailable(detail=counted[0].detail)
        return Response(data)
