"""Boards: a board's page, and creating (from the collect picker too), editing and deleting
boards and taking notes out of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rednote.ratelimits import rate_limited
from rednote.web import service_refusal

from .. import selectors, services
from ..forms import BoardForm
from ..limits import CONTRIBUTIONS_THROTTLE_SCOPE
from .grids import grid_page
from .note_page import picker_boards


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


def _note_from_request(request: HttpRequest):
    """The note named by `note` (POST, else query) that the viewer may see, or None."""
    note_id = request.POST.get("note") or request.GET.get("note") or ""
    if not note_id:
        return None
    if not note_id.isdigit():
        raise Http404("No such note.")
    return selectors.note_get_visible(viewer=request.user, note_id=int(note_id))


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
def board_create(request: HttpRequest) -> HttpResponse:
    """Create a board. From the collect picker (`note` given) the note goes straight into it
    (`services.note_collect_into_new_board`) and the picker is re-rendered; otherwise the new
    board's page opens."""
    note = _note_from_request(request)
    if request.method != "POST":
        return render(request, "notes/board_form.html", {"form": BoardForm(), "note": note})
    form = BoardForm(request.POST)
    board = None
    if form.is_valid():
        try:
            if note is None:
                board = services.board_create(owner=request.user, **form.cleaned_data)
            else:
                board = services.note_collect_into_new_board(
                    user=request.user, note=note, **form.cleaned_data
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
    if request.htmx and note is not None:
        note = selectors.note_get_visible(viewer=request.user, note_id=note.pk)
        context = {
            "note": note,
            "boards": picker_boards(request, note),
            "picker_open": True,
            "board_form": form if board is None else None,
        }
        # 422, not 400: the picker swaps it in to show the errors (see static/js/notes-ui.js).
        return render(request, "notes/_collect.html", context, status=422 if board is None else 200)
    if board is None:
        return render(request, "notes/board_form.html", {"form": form, "note": note}, status=400)
    messages.success(request, gettext("Board created."))
    return redirect(note if note is not None else board)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
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
            form.add_service_errors(exc)
            # The page shows the board as stored, not as the refused edit left the object.
            board = selectors.board_get_owned(user=request.user, board_id=board_id)
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
