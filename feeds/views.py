"""Feed pages: Discover (`/`) and Following (`/following/`), as note-card grids paged by
cursor with htmx "load more" (see `notes.views.grid_page`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from notes.views import grid_page

from . import selectors


@require_GET
def discover(request: HttpRequest) -> HttpResponse:
    """`/`: what's new, for everyone (ranking comes with the discover feed)."""
    notes = selectors.notes_discover(viewer=request.user)
    return grid_page(request, notes, template="feeds/discover.html", context={"tab": "discover"})


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """`/following/`: notes by the people you follow, newest first."""
    notes = selectors.notes_following(viewer=request.user)
    return grid_page(request, notes, template="feeds/following.html", context={"tab": "following"})
