"""Writing notes: the composer (`/notes/new/`) and its per-photo upload endpoint, editing and
deleting a note. Each view parses the form, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from rednote.ratelimits import rate_limited
from rednote.web import form_errors_json, wants_json

from .. import selectors, services
from ..forms import PHOTO_ACCEPT, MediaUploadForm, NoteCreateForm, NoteUpdateForm
from ..limits import NOTES_THROTTLE_SCOPE, UPLOADS_THROTTLE_SCOPE
from ..models import MAX_IMAGES


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(NOTES_THROTTLE_SCOPE)
def note_create(request: HttpRequest) -> HttpResponse:
    """`/notes/new/`: post a note.

    With JavaScript, photos are uploaded one by one to `notes:media` as they are picked and the
    form sends their ids in order (`media_ids`, alt texts as `alt_text_<id>`), asking for JSON
    so the page keeps its previews on an error. Without, the plain form sends the files
    (`photos`, with `photo_alt` per file). Either way `services.note_compose` posts the note,
    and stores nothing when it refuses it. Posting counts against the note rate, which the
    API's `POST /api/v1/notes/` shares (429 past it: JSON for the script, else a page).
    """
    if request.method != "POST":
        return render(request, "notes/new.html", _new_context(NoteCreateForm()))
    form = NoteCreateForm(request.POST, request.FILES)
    note = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            note = services.note_compose(
                author=request.user,
                files=data["photos"],
                file_alt_texts=form.file_alt_texts(),
                media_ids=data["media_ids"],
                alt_texts=form.alt_texts(),
                title=data["title"],
                body=data["body"],
                visibility=data["visibility"],
                location=data["location"],
                language=data["language"],
            )
        except ValidationError as exc:
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
@rate_limited(UPLOADS_THROTTLE_SCOPE, json=True)
def media_upload(request: HttpRequest) -> HttpResponse:
    """`POST /notes/media/` (session + CSRF): keep one photo for a note to come.

    201 `{"id", "status", "width", "height"}`, or 400 `{"detail", "errors": {"file": [...]}}`
    with the reason the photo was refused; 401 when not signed in; 429 (with `Retry-After`)
    past the upload rate, which this endpoint shares with the API's `POST /api/v1/media/`.
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


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(NOTES_THROTTLE_SCOPE)
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
                "language": services.note_language_choice(note),
            }
        )
        return render(request, "notes/edit.html", {"note": note, "form": form})
    form = NoteUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.note_update(note=note, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
            # The page shows the note as stored, not as the refused edit left the object.
            note = selectors.note_get_editable(user=request.user, note_id=note_id)
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
