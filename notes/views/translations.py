"""The bilingual view's htmx actions on the note page (and the Discover overlay): translate a
note or a comment ("Translate"), the visible comments at once ("Translate thread"), and the
community translations: suggest one, upvote, the author's "accept", and "bad translation /
wrong language".

Each answers an htmx request with the block to swap in (`notes/_translation.html`); a form sent
without JavaScript (`request.htmx` false) goes back to the note's page, with a message saying
what happened (`_back`). Reads and writes go through
`notes.bilingual` and `translations.services`, as the API's do; the note or comment is read
through the same permission-checked getters (404 for what the reader may not see). The cached
note page is refreshed by the services' `community_translation_changed` (`notes.page_scopes`).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rednote.ratelimits import rate_limited
from rednote.throttling import is_poll
from rednote.web import login_redirect
from translations import services as translation_services
from translations.selectors import community_translations_list

from .. import bilingual, comments_selectors, selectors
from ..limits import CONTRIBUTIONS_THROTTLE_SCOPE, TRANSLATIONS_THROTTLE_SCOPE
from ..models import Comment, Note


def _reader(request: HttpRequest) -> bilingual.Reader:
    lang = request.GET.get("lang") or request.POST.get("lang") or ""
    target = lang if lang in settings.CONTENT_LANGUAGES else None
    return bilingual.reader_get(request, target=target)


def _block_response(request: HttpRequest, block: bilingual.Bilingual) -> HttpResponse:
    status = 202 if block.show == bilingual.Show.PENDING else 200
    return render(request, "notes/_translation.html", {"b": block}, status=status)


@require_GET
@rate_limited(TRANSLATIONS_THROTTLE_SCOPE)
def note_translation(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note's title and body translated (`?lang=`, default the reader's language). A
    pending block polls with `?poll=1` (`Bilingual.poll_url`): it only reads, and counts in
    the `translation_polls` scope rather than `translations`."""
    note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
    block = bilingual.note_block(reader=_reader(request), note=note, poll=is_poll(request))
    return _block_response(request, block)


@require_GET
@rate_limited(TRANSLATIONS_THROTTLE_SCOPE)
def comment_translation(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment translated; polled as a note's is."""
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    block = bilingual.comment_blocks(
        reader=_reader(request), note=comment.note, comments=[comment], poll=is_poll(request)
    )
    return _block_response(request, block[0])


@require_POST
@rate_limited(TRANSLATIONS_THROTTLE_SCOPE)
def thread_translation(request: HttpRequest, note_id: int) -> HttpResponse:
    """ "Translate thread": the comments shown on the page (`ids`, those not translated yet) in
    one batch; the answer swaps each one's block in out of band."""
    note = selectors.note_row_get_visible(viewer=request.user, note_id=note_id)
    if not request.htmx:
        return _back(request, note)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) <= 18]
    reader = _reader(request)
    comments = [
        comment
        for comment in bilingual.thread_comments_get(viewer=request.user, note=note, ids=ids)
        # only those with a block on the page (the others are in a language the reader reads)
        if bilingual.text_needs_translation(reader, comment.language, comment.body)
    ]
    blocks = bilingual.comment_blocks(reader=reader, note=note, comments=comments)
    pending = any(block.show == bilingual.Show.PENDING for block in blocks)
    context = {"blocks": blocks, "note": note}
    return render(
        request, "notes/_translation_thread.html", context, status=202 if pending else 200
    )


def _back(request: HttpRequest, note: Note, *, errors=(), success: str = "") -> HttpResponse:
    """Without JavaScript: back to the note's own page (never a URL from the request), the
    errors or the success said in a message."""
    for error in errors:
        messages.error(request, error)
    if success and not errors:
        messages.success(request, success)
    return redirect(note.get_absolute_url())


# --- Community translations ----------------------------------------------------------------------
def _content(request: HttpRequest, kind: str, object_id: int) -> tuple[Note | Comment, Note]:
    """The note or comment (and its note) if the reader may see it, else 404."""
    if kind == "note":
        note = selectors.note_row_get_visible(viewer=request.user, note_id=object_id)
        return note, note
    if kind == "comment":
        comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=object_id)
        return comment, comment.note
    raise Http404


def _texts(content: Note | Comment) -> list[tuple[str, str]]:
    """(part, text) of what may be translated."""
    if isinstance(content, Note):
        return [
            (part, text)
            for part, text in (("title", content.title), ("body", content.body))
            if text
        ]
    return [("", content.body)]


def _panel(request: HttpRequest, kind: str, content, note: Note, *, errors=None, status=200):
    reader = _reader(request)
    suggestions = {
        part: list(
            community_translations_list(
                content=content, language=reader.target, viewer=request.user, part=part
            )
        )
        for part, _text in _texts(content)
    }
    context = {
        "kind": kind,
        "content": content,
        "parts": [
            {"part": part, "text": text, "suggestions": suggestions[part]}
            for part, text in _texts(content)
        ],
        "target": reader.target,
        "is_content_author": request.user.is_authenticated and request.user.pk == content.author_id,
        "errors": errors or [],
        "note": note,
    }
    return render(request, "notes/_translation_panel.html", context, status=status)


@require_http_methods(["GET", "POST"])
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
def translation_suggest(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """GET: the community translations of a note or comment into the reader's language, with
    votes and the form to suggest one; POST: suggest (or replace your suggestion)."""
    content, note = _content(request, kind, object_id)
    if not request.user.is_authenticated:
        return login_redirect(request, note.get_absolute_url())
    if request.method == "GET":
        return _panel(request, kind, content, note)
    reader = _reader(request)
    errors = []
    try:
        with_text = False
        for part, text in _texts(content):
            suggestion = request.POST.get(f"text_{part or 'body'}", "")
            if not suggestion.strip():
                continue
            with_text = True
            translation_services.community_translation_suggest(
                user=request.user,
                content=content,
                source_text=text,
                language=reader.target,
                text=suggestion,
                part=part,
            )
        if not with_text:
            raise ValidationError({"text": [_("Write the translation.")]})
    except ValidationError as exc:
        errors = exc.messages
    if not request.htmx:
        return _back(
            request, note, errors=errors, success=_("Thank you: your translation is saved.")
        )
    return _panel(request, kind, content, note, errors=errors)


def _suggestion(request: HttpRequest, suggestion_id: int):
    suggestion, kind = bilingual.community_suggestion_get(suggestion_id=suggestion_id)
    content, note = _content(request, kind, suggestion.object_id)
    return suggestion, kind, content, note


@require_POST
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
def translation_vote(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """Upvote a community translation (again: take the vote back)."""
    suggestion, kind, content, note = _suggestion(request, suggestion_id)
    if not request.user.is_authenticated:
        return login_redirect(request, note.get_absolute_url())
    errors = []
    success = _("Your vote is counted.")
    try:
        if not translation_services.community_translation_vote(
            user=request.user, suggestion=suggestion
        ):
            translation_services.community_translation_unvote(
                user=request.user, suggestion=suggestion
            )
            success = _("Your vote is taken back.")
    except ValidationError as exc:
        errors = exc.messages
    if not request.htmx:
        return _back(request, note, errors=errors, success=success)
    return _panel(request, kind, content, note, errors=errors)


@require_POST
def translation_accept(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """The content's author accepts a community translation: every reader sees it."""
    suggestion, kind, content, note = _suggestion(request, suggestion_id)
    if not request.user.is_authenticated:
        return login_redirect(request, note.get_absolute_url())
    errors = []
    try:
        translation_services.community_translation_accept(
            user=request.user, suggestion=suggestion, content_author_id=content.author_id
        )
    except PermissionDenied as exc:
        errors = [str(exc)]
    if not request.htmx:
        return _back(request, note, errors=errors, success=_("Translation accepted."))
    return _panel(request, kind, content, note, errors=errors)


@require_POST
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
def translation_feedback(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """ "Bad translation" / "wrong language" (`kind` in the form as `feedback`)."""
    content, note = _content(request, kind, object_id)
    if not request.user.is_authenticated:
        return login_redirect(request, note.get_absolute_url())
    reader = _reader(request)
    errors: list[str] = []
    try:
        bilingual.translation_feedback(
            reader=reader, content=content, note=note, kind=request.POST.get("feedback", "")
        )
        message = _("Thank you: moderators will have a look.")
    except ValidationError as exc:
        errors = exc.messages
        message = " ".join(errors)
    if not request.htmx:
        return _back(request, note, errors=errors, success=message)
    return HttpResponse(
        format_html(
            '<span class="translation-thanks" data-testid="translation-feedback-done">{}</span>',
            message,
        )
    )
