"""Pages that are grids of note cards: the profile's Notes, Collected (boards) and Liked tabs, and
`grid_page`, the keyset page every note grid (feeds and tag pages included) is rendered with."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts import selectors as accounts_selectors
from rednote.pagecache import visitor_page_cache
from rednote.pagination import DEFAULT_PAGE_SIZE, InvalidCursor, cursor_page
from rednote.web import invalid_cursor_response, next_page_url

from .. import selectors
from ..page_scopes import profile_collection_scopes, profile_page_scopes


def cards_response(request: HttpRequest, page, *, template: str, context: dict) -> HttpResponse:
    """Render one page of note cards (`page.items`, `page.next_cursor` if `page.has_next`): the
    whole page, or for htmx "load more" just the next cards and a new "load more" control. The
    two share an address, so the answer varies on `HX-Request`: a cache (the browser's, on
    Back) never serves the bare cards as the page, nor the page as the cards."""
    next_url = next_page_url(request, page.next_cursor if page.has_next else None)
    context = {**context, "page": page, "notes": page.items, "next_url": next_url}
    if request.htmx and request.GET.get("cursor"):
        response = render(request, "notes/_cards_page.html", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def grid_page(
    request: HttpRequest,
    queryset,
    *,
    template: str,
    context: dict,
    key: str = "published_at",
    size: int = DEFAULT_PAGE_SIZE,
) -> HttpResponse:
    """One keyset page of `queryset` as note cards (`cards_response`). A malformed `cursor` is
    a 400."""
    try:
        page = cursor_page(queryset, cursor=request.GET.get("cursor"), key=key, size=size)
    except InvalidCursor:
        return invalid_cursor_response()
    return cards_response(request, page, template=template, context=context)


# --- Profile grids -----------------------------------------------------------------------


def _profile_context(request: HttpRequest, handle: str) -> dict:
    person = accounts_selectors.user_get_profile(handle=handle)
    return {
        "person": person,
        "relationship": accounts_selectors.relationship_get(viewer=request.user, other=person),
        "likes_shown": selectors.likes_shown(person=person, viewer=request.user),
    }


@require_GET
@visitor_page_cache(scopes=profile_page_scopes, query=("cursor",))
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/` with the person's notes grid.

    The accounts app owns the profile (its selectors and `accounts/profile.html`) and must not
    import notes, which sits above it; so `/@handle/` is this route (`notes:profile`, the only
    one): it builds the context from the accounts selectors and renders `notes/profile.html`,
    which extends `accounts/profile.html` and fills its `profile_notes` block with the grid.
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
@visitor_page_cache(scopes=profile_collection_scopes)
def boards(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/boards/`: the person's boards (private ones only for their owner)."""
    context = _profile_context(request, handle)
    person = context["person"]
    context["section"] = "boards"
    context["boards"] = list(selectors.board_cards_of(owner=person, viewer=request.user))
    return render(request, "notes/boards.html", context)


@require_GET
@visitor_page_cache(scopes=profile_collection_scopes, query=("cursor",))
def liked(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/liked/`: the notes the person liked, newest like first. Only they see it,
    unless they made their likes public (`User.likes_public`); for anyone else it is a 404,
    like every other thing one may not see."""
    context = _profile_context(request, handle)
    person = context["person"]
    notes = selectors.notes_liked_by(person=person, viewer=request.user)
    context["section"] = "liked"
    return grid_page(request, notes, template="notes/liked.html", context=context, key="liked_at")
