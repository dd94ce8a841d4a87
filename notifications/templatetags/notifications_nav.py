"""The unread badge of the navigation, and the words of a notice's row.

The badge is per person, so base.html renders it between the shell's cached fragments
(`{% shell_fragment %}`), never inside one. One cache read per page
(`notifications.selectors.unread_counts`); nothing for visitors."""

from django import template

from .. import notices
from ..models import Notification
from ..selectors import UnreadCounts, unread_counts

register = template.Library()

# More than this shows as "99+".
BADGE_MAX = 99


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notifications_badge(context, place: str, oob: bool = False):
    """`place` names the badge ("nav", "tab"): its element id, for htmx to swap it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = 0
    if user is not None and user.is_authenticated:
        # The inbox page has read them already (`unread`): no second cache round trip.
        known = context.get("unread")
        counts = known if isinstance(known, UnreadCounts) else unread_counts(recipient=user)
        count = counts.total
    return {
        "place": place,
        "oob": oob,
        "count": count,
        "shown": f"{BADGE_MAX}+" if count > BADGE_MAX else str(count),
    }


# What a notice says (`notifications.notices`): plain text, escaped by the template engine
# like any other value (simple_tag escapes under autoescape), the same words as the API's.


@register.simple_tag
def notice_text(entry: Notification) -> str:
    return notices.notice_text(entry)


@register.simple_tag
def notice_reason(entry: Notification) -> str:
    return notices.notice_reason(entry)


@register.simple_tag
def notice_link_label(entry: Notification) -> str:
    return notices.notice_link_label(entry)
