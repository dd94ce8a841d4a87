"""Web pages and actions for notes: posting, the note page, likes, collections, boards, tag
pages, profile grids and the image renditions.

Views stay thin: reads go through notes.selectors (whose getters 404 for missing and forbidden
alike), writes through notes.services, whose ValidationErrors become form errors (or a 400 for
htmx and JSON callers). Every page that lists notes is a keyset page (`notes.pagination`) and
costs a constant number of queries whatever its size.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts import selectors as accounts_selectors
from rednote.images import image_inspect
from rednote.web import form_errors_json, login_redirect, safe_next, service_refusal, wants_json

from . import selectors, services
from .forms import PHOTO_ACCEPT, BoardForm, MediaUploadForm, NoteCreateForm, NoteUpdateForm
from .models import MAX_IMAGES, ImageStatus, Note, NoteStatus, Visibility
from .pagination import DEFAULT_PAGE_SIZE, InvalidCursor, cursor_page

# Renditions never change under a URL (the image id is in it); visibility can, so a public
# note's photos are cached for an hour by anyone, other notes' photos only by the browser.
IMAGE_MAX_AGE = 3600


# --- Shared helpers -----------------------------------------------------------------------


def grid_page(
    request: HttpRequest,
    queryset,
    *,
    template: str,
    context: dict,
    key: str = "published_at",
    size: int = DEFAULT_PAGE_SIZE,
) -> HttpResponse:
    """Render one keyset page of note cards: the whole page, or (htmx "load more") just the
    next cards and a new "load more" control. A malformed `cursor` is a 400."""
    try:
        page = cursor_page(queryset, cursor=request.GET.get("cursor"), key=key, size=size)
    except InvalidCursor:
        return HttpResponseBadRequest(
            gettext("This page link is not valid; start again from the first page."),
            content_type="text/plain; charset=utf-8",
        )
    next_url = None
    if page.has_next:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = f"{request.path}?{query.urlencode()}"
    context = {**context, "page": page, "notes": page.items, "next_url": next_url}
    if request.htmx and request.GET.get("cursor"):
        return render(request, "notes/_cards_page.html", context)
    return render(request, template, context)


# --- Posting ------------------------------------------------------------------------------


def _discard_uploads(images) -> None:
    """Remove originals stored for a post that was then refused (their rows rolled back)."""
    for image in images:
        image.original.storage.delete(image.original.name)


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest) -> HttpResponse:
    """`/notes/new/`: post a note.

    With JavaScript, photos are uploaded one by one to `notes:media` as they are picked and the
    form sends their ids in order (`media_ids`, alt texts as `alt_text_<id>`), asking for JSON
    so the page keeps its previews on an error. Without, the plain form sends the files
    (`photos`, with `photo_alt` per file): each is checked before any is stored, then they are
    uploaded and the note posted in one transaction.
    """
    if request.method != "POST":
        return render(request, "notes/new.html", _new_context(NoteCreateForm()))
    form = NoteCreateForm(request.POST, request.FILES)
    note = None
    if form.is_valid():
        files = form.cleaned_data["photos"]
        file_alts = form.file_alt_texts()
        for index, file in enumerate(files):
            try:
                image_inspect(file)
            except ValidationError as exc:
                form.add_error(
                    "photos",
                    gettext("Photo %(n)s (%(name)s): %(problem)s")
                    % {"n": index + 1, "name": file.name, "problem": " ".join(exc.messages)},
                )
        if form.is_valid():
            uploaded = []
            try:
                with transaction.atomic():
                    for index, file in enumerate(files):
                        alt = file_alts[index] if index < len(file_alts) else ""
                        uploaded.append(
                            services.media_upload(owner=request.user, file=file, alt_text=alt)
                        )
                    note = services.note_create(
                        author=request.user,
                        media_ids=[*form.cleaned_data["media_ids"], *(i.pk for i in uploaded)],
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        visibility=form.cleaned_data["visibility"],
                        location=form.cleaned_data["location"],
                        alt_texts=form.alt_texts(),
                    )
            except ValidationError as exc:
                _discard_uploads(uploaded)
                form.add_service_errors(exc)
    if note is None:
        if wants_json(request):
            return form_errors_json(form)
        return render(request, "notes/new.html", _new_context(form), status=400)
    if wants_json(request):
        return JsonResponse({"id": note.pk, "url": note.get_absolute_url()}, status=201)
    return redirect(note)


def _new_context(form: NoteCreateForm) -> dict:
    return {
        "form": form,
        "max_images": MAX_IMAGES,
        "photo_accept": PHOTO_ACCEPT,
        "alt_slots": range(1, MAX_IMAGES + 1),
        "composer_config": {
            "uploadUrl": reverse("notes:media"),
            "maxImages": MAX_IMAGES,
            "messages": {
                "moveLeft": gettext("Move photo %(n)s left"),
                "moveRight": gettext("Move photo %(n)s right"),
                "remove": gettext("Remove photo %(n)s"),
                "alt": gettext("Alt text for photo %(n)s"),
                "tooMany": gettext("A note has at most %(max)s photos; the others were left out.")
                % {"max": MAX_IMAGES},
                "stillUploading": gettext("Wait a moment: the photos are still uploading."),
                "removeFailed": gettext("Remove the photos that could not be uploaded first."),
                "uploadFailed": gettext("The upload failed. Check your connection and try again."),
                "failed": gettext("The note could not be posted. Please try again."),
            },
        },
    }


@require_POST
def media_upload(request: HttpRequest) -> JsonResponse:
    """`POST /notes/media/` (session + CSRF): keep one photo for a note to come.

    201 `{"id", "status", "width", "height"}`, or 400 `{"detail", "errors": {"file": [...]}}`
    with the reason the photo was refused; 401 when not signed in.
    """
    if not request.user.is_authenticated:
        return JsonResponse(
            {"detail": gettext("Log in to upload photos."), "errors": {}}, status=401
        )
    form = MediaUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.media_upload(
                owner=request.user,
                file=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return JsonResponse(
                {
                    "id": image.pk,
                    "status": image.status,
                    "width": image.original_width,
                    "height": image.original_height,
                },
                status=201,
            )
    return form_errors_json(form)


# --- The note page ------------------------------------------------------------------------


def _note_context(request: HttpRequest, note: Note) -> dict:
    user = request.user
    is_author = user.is_authenticated and user.pk == note.author_id
    return {
        "note": note,
        "images": list(note.images.all()),
        "is_author": is_author,
        "person": note.author,
        "relationship": accounts_selectors.relationship_get(viewer=user, other=note.author),
        "boards": _picker_boards(request, note),
    }


def _picker_boards(request: HttpRequest, note: Note):
    if not request.user.is_authenticated:
        return []
    return list(selectors.boards_for_picker(user=request.user, note=note))


@require_GET
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """`/notes/<id>/`: photos on the left, the author, text and actions on the right."""
    note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
    return render(request, "notes/detail.html", _note_context(request, note))


@require_GET
def note_status(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author's "processing" banner, polled by htmx until the note is published."""
    note = selectors.note_get_editable(user=request.user, note_id=note_id)
    if note.status == NoteStatus.PUBLISHED and request.htmx:
        return HttpResponseClientRefresh()
    if note.status == NoteStatus.PUBLISHED:
        return redirect(note)
    return render(request, "notes/_status.html", {"note": note})


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, note_id: int) -> HttpResponse:
    """`/notes/<id>/edit/`: the author edits text, tags, visibility and location."""
    note = selectors.note_get_editable(user=request.user, note_id=note_id)
    if request.method != "POST":
        form = NoteUpdateForm(
            initial={
                "title": note.title,
                "body": note.body,
                "visibility": note.visibility,
                "location": note.location,
            }
        )
        return render(request, "notes/edit.html", {"note": note, "form": form})
    form = NoteUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.note_update(note=note, **form.cleaned_data)
        except ValidationError as exc:
            note.refresh_from_db()
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext("Your note is saved."))
            return redirect(note)
    return render(request, "notes/edit.html", {"note": note, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    """Delete a note: GET asks for confirmation (without JavaScript), POST deletes."""
    note = selectors.note_get_editable(user=request.user, note_id=note_id)
    if request.method != "POST":
        return render(request, "notes/delete.html", {"note": note})
    services.note_delete(note=note)
    messages.success(request, gettext("Your note is deleted."))
    return redirect(request.user.get_absolute_url())


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
            "boards": _picker_boards(request, note),
            "picker_open": True,
            "variant": request.POST.get("variant", "detail"),
        },
    )


@require_POST
def note_like(request: HttpRequest, note_id: int) -> HttpResponse:
    """Like a note (liking twice is one like); answers with the like button."""

    def like(note):
        services.note_like(user=request.user, note=note)
        return "notes/_like_button.html"

    return _note_action(request, note_id, like)


@require_POST
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
def note_collect(request: HttpRequest, note_id: int) -> HttpResponse:
    """Collect a note into "Saved" or a board (`board`); GET shows the board picker page."""
    if request.method == "GET":
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        if not request.user.is_authenticated:
            return login_redirect(request, request.get_full_path())
        context = {"note": note, "boards": _picker_boards(request, note), "picker_open": True}
        return render(request, "notes/collect.html", context)

    def collect(note):
        services.note_collect(user=request.user, note=note, board=_board_from_post(request))
        return "notes/_collect.html"

    return _note_action(request, note_id, collect)


@require_POST
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
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Tag pages and profile grids ----------------------------------------------------------


@require_GET
def tag(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>/`: the notes of a topic, newest first (name normalised, so `#Travel`,
    `#travel` and `＃ｔｒａｖｅｌ` are one page)."""
    hashtag = selectors.hashtag_get(name=name)
    notes = selectors.notes_exclude_muted(
        selectors.notes_of_hashtag(name=hashtag.name, viewer=request.user), viewer=request.user
    )
    context = {"hashtag": hashtag, "note_count": notes.count()}
    return grid_page(request, notes, template="notes/tag.html", context=context)


def _profile_context(request: HttpRequest, handle: str) -> dict:
    person = accounts_selectors.user_get_profile(handle=handle)
    return {
        "person": person,
        "relationship": accounts_selectors.relationship_get(viewer=request.user, other=person),
    }


@require_GET
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/` with the person's notes grid.

    The accounts app owns the profile (its selectors and `accounts/profile.html`) and must not
    import notes, which sits above it. So this route is registered before `accounts.urls` and
    wins resolution for `/@handle/`: it builds the same context from the accounts selectors
    and renders `notes/profile.html`, which extends `accounts/profile.html` and fills its
    `profile_notes` block with the grid. `accounts:profile` still reverses to the same URL.
    The author also sees their processing and failed notes, with a badge.
    """
    context = _profile_context(request, handle)
    person = context["person"]
    notes = selectors.notes_of_author(author=person, viewer=request.user)
    context["section"] = "notes"
    return grid_page(
        request, notes, template="notes/profile.html", context=context, key="created_at"
    )


@require_GET
def boards(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/boards/`: the person's boards (private ones only for their owner)."""
    context = _profile_context(request, handle)
    person = context["person"]
    context["section"] = "boards"
    context["boards"] = list(selectors.board_cards_of(owner=person, viewer=request.user))
    return render(request, "notes/boards.html", context)


# --- Boards -------------------------------------------------------------------------------


@require_GET
def board_detail(request: HttpRequest, board_id: int) -> HttpResponse:
    """`/boards/<id>/`: a board and the notes in it that the viewer may see."""
    board = selectors.board_get_visible(viewer=request.user, board_id=board_id)
    notes = selectors.board_notes(board=board, viewer=request.user)
    is_owner = request.user.is_authenticated and request.user.pk == board.owner_id
    context = {"board": board, "is_owner": is_owner}
    return grid_page(
        request, notes, template="notes/board.html", context=context, key="collected_at"
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    """Create a board. From the collect picker (`note` given) the note goes straight into it
    and the picker is re-rendered; otherwise the new board's page opens."""
    note = None
    note_id = request.POST.get("note") or request.GET.get("note") or ""
    if note_id:
        if not note_id.isdigit():
            raise Http404("No such note.")
        note = selectors.note_get_visible(viewer=request.user, note_id=int(note_id))
    if request.method != "POST":
        return render(request, "notes/board_form.html", {"form": BoardForm(), "note": note})
    form = BoardForm(request.POST)
    board = None
    if form.is_valid():
        try:
            with transaction.atomic():
                board = services.board_create(owner=request.user, **form.cleaned_data)
                if note is not None:
                    services.note_collect(user=request.user, note=note, board=board)
        except ValidationError as exc:
            form.add_service_errors(exc)
    if request.htmx and note is not None:
        note = selectors.note_get_visible(viewer=request.user, note_id=note.pk)
        context = {
            "note": note,
            "boards": _picker_boards(request, note),
            "picker_open": True,
            "board_form": form if board is None else None,
        }
        # 422, not 400: the picker swaps it in to show the errors (see notes-detail.js).
        return render(request, "notes/_collect.html", context, status=422 if board is None else 200)
    if board is None:
        return render(request, "notes/board_form.html", {"form": form, "note": note}, status=400)
    messages.success(request, gettext("Board created."))
    return redirect(note if note is not None else board)


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, board_id: int) -> HttpResponse:
    """Rename a board, change its description or who can see it (owner only, else 404)."""
    board = selectors.board_get_owned(user=request.user, board_id=board_id)
    if request.method != "POST":
        form = BoardForm(
            initial={
                "name": board.name,
                "description": board.description,
                "is_private": board.is_private,
            }
        )
        return render(request, "notes/board_form.html", {"form": form, "board": board})
    form = BoardForm(request.POST)
    if form.is_valid():
        try:
            services.board_update(board=board, **form.cleaned_data)
        except ValidationError as exc:
            board.refresh_from_db()
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext("Board saved."))
            return redirect(board)
    return render(request, "notes/board_form.html", {"form": form, "board": board}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def board_delete(request: HttpRequest, board_id: int) -> HttpResponse:
    board = selectors.board_get_owned(user=request.user, board_id=board_id)
    if request.method != "POST":
        return render(request, "notes/board_delete.html", {"board": board})
    try:
        services.board_delete(board=board)
    except ValidationError as exc:
        return service_refusal(request, exc, board.get_absolute_url())
    messages.success(request, gettext("Board deleted."))
    return redirect("notes:boards", handle=request.user.handle)


@login_required
@require_POST
def board_note_remove(request: HttpRequest, board_id: int, note_id: int) -> HttpResponse:
    """Take a note out of one of your boards (from the board page, where it is visible)."""
    board = selectors.board_get_owned(user=request.user, board_id=board_id)
    note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
    services.note_uncollect(user=request.user, note=note, board=board)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, gettext("Removed from the board."))
    return redirect(board)
