"""The inbox page (`/notifications/`): RedNote's three tabs and the site's Notices, each a
cursor-paged list with htmx "load more", and marking read — by POST only (with CSRF): the
page's own htmx call marks the tab it shows once it is on screen, and a "Mark all as read"
button works without JavaScript. A GET never writes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from rednote.cursors import InvalidCursor
from rednote.web import invalid_cursor_response, next_page_url

from . import selectors, services
from .models import NotificationTab

PAGE_SIZE = 20


def _tab(value: str | None) -> str:
    return value if value in NotificationTab.values else NotificationTab.LIKES


def _tabs(unread: selectors.UnreadCounts) -> list[tuple[str, str, int]]:
    """(value, label, unread count) of each tab."""
    return [(value, label, unread.of(value)) for value, label in NotificationTab.choices]


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """`/notifications/?tab=likes|follows|comments|notices` (likes by default). htmx "load
    more" gets the next rows only. A bad cursor is a 400."""
    tab = _tab(request.GET.get("tab"))
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.notifications_page(
            recipient=request.user, tab=tab, cursor=cursor, size=PAGE_SIZE
        )
    except InvalidCursor:
        return invalid_cursor_response()
    unread = selectors.unread_counts(recipient=request.user)
    context = {
        "tab": tab,
        "tabs": _tabs(unread),
        "tab_unread": unread.of(tab),
        "entries": page.items,
        "next_url": next_page_url(request, page.next_cursor),
        "unread": unread,
    }
    if request.htmx and cursor:
        response = render(request, "notifications/_rows_page.html", context)
    else:
        response = render(request, "notifications/inbox.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark a tab (`tab`) or the whole inbox read. htmx gets the refreshed badges and tab
    counts back (out of band); a form post goes back to the tab."""
    tab = request.POST.get("tab")
    services.notifications_read(
        recipient=request.user, tab=tab if tab in NotificationTab.values else None
    )
    if request.htmx:
        # Committed, and the cached counts dropped: the badges are read afresh.
        unread = selectors.unread_counts(recipient=request.user)
        return render(
            request,
            "notifications/_read.html",
            {"tab": _tab(tab), "tabs": _tabs(unread), "unread": unread},
        )
    return redirect(f"{reverse('notifications:inbox')}?tab={_tab(tab)}")
