"""Feed pages: Discover (`/`) and Following (`/following/`), as note-card grids paged by
cursor with htmx "load more" (see `notes.views.grid_page`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from rednote.cursors import InvalidCursor
from rednote.pagination import DEFAULT_PAGE_SIZE

from .discover import discover_page, reader_languages
from .home import home_feed_page
from .suggestions import home_feed_suggestions


@require_GET
def discover(request: HttpRequest) -> HttpResponse:
    """`/`: the ranked grid, for everyone, a share of it from the other side
    (`feeds.discover`); htmx "load more" gets the next cards only. A bad cursor is a 400."""
    reads = reader_languages(request.user, get_language())
    try:
        page = discover_page(
            viewer=request.user,
            reads=reads,
            cursor=request.GET.get("cursor") or None,
            size=DEFAULT_PAGE_SIZE,
        )
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
    context = {"tab": "discover", "notes": page.items, "next_url": next_url, "overlay": True}
    if request.htmx and request.GET.get("cursor"):
        return render(request, "notes/_cards_page.html", context)
    return render(request, "feeds/discover.html", context)


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """`/following/`: the home feed, notes by the people and hashtags you follow, newest first
    (`feeds.home`, the API's `feeds/home/` page for page); htmx "load more" gets the next cards
    only. An empty feed suggests people and hashtags to follow. A bad cursor is a 400."""
    cursor = request.GET.get("cursor") or None
    try:
        page = home_feed_page(viewer=request.user, cursor=cursor, size=DEFAULT_PAGE_SIZE)
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
    context: dict = {"tab": "following", "notes": page.items, "next_url": next_url}
    if request.htmx and cursor:
        return render(request, "notes/_cards_page.html", context)
    if not page.items and cursor is None:
        context["suggestions"] = home_feed_suggestions(viewer=request.user)
    return render(request, "feeds/following.html", context)
