"""The search page, `/search/?q=&type=notes|users|tags`: tabs for notes, people and tags over the
listings of `feeds.search` (the same as `GET /api/v1/search/`), each a keyset page with htmx
"load more". No query shows a prompt; a query that is too long or holds a control character is
a 400 page saying so; a query that finds nothing shows an empty state."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from accounts.selectors import Relationship
from notes.views import grid_page
from rednote.pagination import InvalidCursor, cursor_page
from rednote.ratelimits import rate_limited
from rednote.web import invalid_cursor_response, next_page_url

from . import search

# Searches by visitors, counted with the API's (`GET /api/v1/search/`) by address.
SEARCH_THROTTLE_SCOPE = "search"
PEOPLE_PAGE_SIZE = 20
TAGS_PAGE_SIZE = 30
SEARCH_TABS = [
    (search.SEARCH_NOTES, gettext_lazy("Notes")),
    (search.SEARCH_USERS, pgettext_lazy("search tab", "People")),
    (search.SEARCH_TAGS, pgettext_lazy("search tab", "Tags")),
]


@require_GET
@rate_limited(SEARCH_THROTTLE_SCOPE)
def search_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type")
    if kind not in search.SEARCH_TYPES:
        kind = search.SEARCH_NOTES
    context: dict = {"kind": kind, "query": "", "search_tabs": SEARCH_TABS}
    try:
        query = search.search_query_clean(request.GET.get("q"))
    except ValidationError as error:
        context["error"] = error.message_dict["q"][0]
        return render(request, "feeds/search.html", context, status=400)
    context["query"] = query
    if not query:
        return render(request, "feeds/search.html", context)

    listing = search.search_listing(kind=kind, query=query, viewer=request.user)
    if kind == search.SEARCH_NOTES:
        with search.search_reading():
            return grid_page(
                request,
                listing.queryset,
                template="feeds/search.html",
                context=context,
                key=listing.key,
            )
    size = PEOPLE_PAGE_SIZE if kind == search.SEARCH_USERS else TAGS_PAGE_SIZE
    try:
        with search.search_reading():
            page = cursor_page(
                listing.queryset, cursor=request.GET.get("cursor"), key=listing.key, size=size
            )
    except InvalidCursor:
        return invalid_cursor_response()
    rows = page.items
    if kind == search.SEARCH_USERS:
        viewer_id = request.user.pk if request.user.is_authenticated else None
        for row in rows:
            row.relationship = Relationship(
                is_self=row.pk == viewer_id,
                following=row.viewer_follows,
                requested=row.viewer_requested,
            )
    next_url = next_page_url(request, page.next_cursor if page.has_next else None)
    context.update(rows=rows, next_url=next_url)
    if request.htmx and request.GET.get("cursor"):
        response = render(request, "feeds/_search_rows.html", context)
    else:
        response = render(request, "feeds/search.html", context)
    patch_vary_headers(response, ("HX-Request",))  # as `cards_response`: one address, two bodies
    return response
