"""The note page and what is done on it: status polling, likes, collecting into boards, and the
photo renditions (served only to those who may see the note)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts import selectors as accounts_selectors
from rednote.pagecache import visitor_page_cache
from rednote.ratelimits import rate_limited
from rednote.security import media_headers
from rednote.web import login_redirect, safe_next, service_refusal

from .. import selectors, services
from ..limits import REACTIONS_THROTTLE_SCOPE
from ..models import ImageStatus, Note, NoteStatus, Visibility
from ..page_scopes import note_page_scopes
from .comments import comments_thread_context
from .hidden import hidden_comments_context, hidden_note_page

# Renditions never change under a URL (the image id is in it); visibility can, so a public
# note's photos are cached for an hour by anyone, other notes' photos only by the browser.
IMAGE_MAX_AGE = 3600


def picker_boards(request: HttpRequest, note: Note) -> list:
    """The signed-in viewer's boards for the collect picker, marking those holding `note`."""
    if not request.user.is_authenticated:
        return []
    return list(selectors.boards_for_picker(user=request.user, note=note))


def _note_context(request: HttpRequest, note: Note) -> dict:
    user = request.user
    is_author = user.is_authenticated and user.pk == note.author_id
    return {
        "note": note,
        "images": list(note.images.all()),
        "is_author": is_author,
        "person": note.author,
        "relationship": accounts_selectors.relationship_get(viewer=user, other=note.author),
        "boards": picker_boards(request, note),
        "hidden_comments": hidden_comments_context(request, note),
        **comments_thread_context(request, note, with_note=True),
    }


@require_GET
@visitor_page_cache(scopes=note_page_scopes)
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """`/notes/<id>/`: photos on the left, the author, text and actions on the right.

    Asked by script (`HX-Request`, as the Discover overlay does), only the note itself, without
    the page around it; the answer varies on that header so a cache never mixes the two."""
    try:
        note = selectors.note_page_get_visible(viewer=request.user, note_id=note_id)
    except Http404:
        # Its author still sees a note moderators hid, with the reason and the appeal.
        hidden_page = hidden_note_page(request, note_id)
        if hidden_page is None:
            raise
        return hidden_page
    context = _note_context(request, note)
    htmx = request.htmx
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        context["base_template"] = "notes/_overlay_base.html"
    response = render(request, "notes/detail.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def note_status(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author's "processing" banner, polled by htmx until the note is published."""
    note = selectors.note_get_editable(user=request.user, note_id=note_id)
    if note.status == NoteStatus.PUBLISHED and request.htmx:
        return HttpResponseClientRefresh()
    if note.status == NoteStatus.PUBLISHED:
        return redirect(note)
    return render(request, "notes/_status.html", {"note": note})


# --- Likes and collections ----------------------------------------------------------------


def _note_action(request: HttpRequest, note_id: int, action) -> HttpResponse:
    """Run a like/collect action on a visible note and answer with the re-rendered control.

    Anonymous visitors are sent to log in; a note they may not see is a 404 either way.
    """
    if not request.user.is_authenticated:
        note_url = reverse("notes:detail", kwargs={"note_id": note_id})
        selectors.note_get_visible(viewer=request.user, note_id=note_id)
        return login_redirect(request, safe_next(request, note_url))
    note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
    back = safe_next(request, note.get_absolute_url())
    try:
        template = action(note)
    except ValidationError as exc:
        return service_refusal(request, exc, back)
    if not request.htmx:
        return redirect(back)
    note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
    return render(
        request,
        template,
        {
            "note": note,
            "boards": picker_boards(request, note),
            "picker_open": True,
            "variant": request.POST.get("variant", "detail"),
        },
    )


@require_POST
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def note_like(request: HttpRequest, note_id: int) -> HttpResponse:
    """Like a note (liking twice is one like); answers with the like button."""

    def like(note):
        services.note_like(user=request.user, note=note)
        return "notes/_like_button.html"

    return _note_action(request, note_id, like)


@require_POST
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def note_unlike(request: HttpRequest, note_id: int) -> HttpResponse:
    def unlike(note):
        services.note_unlike(user=request.user, note=note)
        return "notes/_like_button.html"

    return _note_action(request, note_id, unlike)


def _board_from_post(request: HttpRequest):
    """The board named in the POST (`board`), or None for "Saved"; another's board is 404."""
    board_id = request.POST.get("board") or ""
    if not board_id:
        return None
    if not board_id.isdigit():
        raise Http404("No such board.")
    return selectors.board_get_owned(user=request.user, board_id=int(board_id))


@require_http_methods(["GET", "POST"])
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def note_collect(request: HttpRequest, note_id: int) -> HttpResponse:
    """Collect a note into "Saved" or a board (`board`); GET shows the board picker page."""
    if request.method == "GET":
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        if not request.user.is_authenticated:
            return login_redirect(request, request.get_full_path())
        context = {"note": note, "boards": picker_boards(request, note), "picker_open": True}
        return render(request, "notes/collect.html", context)

    def collect(note):
        services.note_collect(user=request.user, note=note, board=_board_from_post(request))
        return "notes/_collect.html"

    return _note_action(request, note_id, collect)


@require_POST
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def note_uncollect(request: HttpRequest, note_id: int) -> HttpResponse:
    """Take a note out of one board (`board`), or out of all the user's boards."""

    def uncollect(note):
        board = _board_from_post(request) if request.POST.get("board") else None
        services.note_uncollect(user=request.user, note=note, board=board)
        return "notes/_collect.html"

    return _note_action(request, note_id, uncollect)


# --- Images -------------------------------------------------------------------------------


@require_GET
def note_image(request: HttpRequest, note_id: int, image_id: int, kind: str) -> HttpResponse:
    """A web rendition of a photo, only for those who may see its note (else 404, the same as
    a missing one). Originals have no URL at all."""
    image = selectors.note_image_get_visible(
        viewer=request.user, note_id=note_id, image_id=image_id
    )
    field = getattr(image, kind)
    if image.status != ImageStatus.READY or not field:
        raise Http404("No such image.")
    stamp = int(image.processed_at.timestamp()) if image.processed_at else 0
    etag = f'"{image.pk}-{kind}-{stamp}"'
    public = image.note.visibility == Visibility.PUBLIC
    cache_control = f"{'public' if public else 'private'}, max-age={IMAGE_MAX_AGE}"
    if settings.MEDIA_STORAGE == "s3":
        # The private bucket answers with a short-lived signed URL; the check above came first.
        response = HttpResponseRedirect(field.storage.url(field.name))
        response["Cache-Control"] = "private, no-store"
        return response
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404("No such image.") from exc
        response = FileResponse(handle, content_type="image/webp")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    media_headers(response)
    return response
