"""Feed pages: Discover (`/`) and Following (`/following/`), as note-card grids paged by
cursor with htmx "load more" (`notes.views.cards_response`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from notes.page_scopes import discover_scopes
from notes.views import cards_response
from rednote.cursors import InvalidCursor
from rednote.pagecache import visitor_page_cache
from rednote.pagination import DEFAULT_PAGE_SIZE
from rednote.web import invalid_cursor_response

from .discover import discover_page, reader_languages
from .home import home_feed_page
from .suggestions import home_feed_suggestions


@require_GET
@visitor_page_cache(scopes=discover_scopes, query=("cursor",))
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
        return invalid_cursor_response()
    context = {"tab": "discover", "overlay": True}
    return cards_response(request, page, template="feeds/discover.html", context=context)


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
        return invalid_cursor_response()
    context: dict = {"tab": "following"}
    if not page.items and cursor is None:
        context["suggestions"] = home_feed_suggestions(viewer=request.user)
    return cards_response(request, page, template="feeds/following.html", context=context)
