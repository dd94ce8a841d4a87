"""Hashtag pages: `/tags/<name>/` with its Latest and Top tabs, and following the tag.

The name is normalised (`notes.parsing.hashtag_normalize`), so `#Travel`, `#travel` and
`＃ｔｒａｖｅｌ` are one page. The follow button is a plain form post that htmx upgrades: without
JavaScript it posts and comes back to the page; a visitor is sent to log in and back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from notes import selectors as notes_selectors
from notes.page_scopes import tag_page_scopes
from notes.views import grid_page
from rednote.pagecache import visitor_page_cache
from rednote.ratelimits import rate_limited
from rednote.web import login_redirect, safe_next, service_refusal

from . import tag_selectors, tags

TAB_PARAMETER = "tab"
FOLLOW_THROTTLE_SCOPE = "social_graph"


def _tab(request: HttpRequest) -> str:
    tab = request.GET.get(TAB_PARAMETER, tag_selectors.LATEST)
    # An unknown tab is the default one, not an error: it is only ever a hand-edited link.
    return tab if tab in tag_selectors.TAG_TABS else tag_selectors.LATEST


@require_GET
@visitor_page_cache(scopes=tag_page_scopes, query=(TAB_PARAMETER, "cursor"))
def tag(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>/`: the notes of a topic — the tag's, or its group's when moderators
    linked it with others — newest first (`?tab=top`: most liked and collected first), the
    number of notes the reader may see, the public ones per language, the group's other tags
    and the follow button."""
    tab = _tab(request)
    if request.htmx and request.GET.get("cursor"):
        # "Load more" renders only the next cards: the tag is enough, no counts.
        hashtag = notes_selectors.hashtag_get(name=name)
        context: dict = {"hashtag": hashtag}
    else:
        head = tag_selectors.tag_head(name=name, viewer=request.user)
        hashtag = head.hashtag
        tag_url = reverse("feeds:tag", kwargs={"name": hashtag.name})
        context = {
            "hashtag": hashtag,
            "note_count": head.note_count,
            "note_count_capped": head.note_count_capped,
            "tag_languages": head.languages,  # not "languages": base.html names its own
            "group_tags": head.group_tags,
            "tab": tab,
            "tabs": [
                (key, label, tag_url if key == tag_selectors.LATEST else f"{tag_url}?tab={key}")
                for key, label in tag_selectors.TAG_TAB_LABELS.items()
            ],
        }
    notes = tag_selectors.tag_notes(hashtag=hashtag, viewer=request.user, tab=tab)
    return grid_page(
        request,
        notes,
        template="feeds/tag.html",
        context=context,
        key=tag_selectors.TAG_TABS[tab],
    )


def _follow_action(request: HttpRequest, name: str, *, follow: bool) -> HttpResponse:
    hashtag = tag_selectors.hashtag_get_with_follow(name=name, viewer=request.user)
    back = safe_next(request, default=reverse("feeds:tag", kwargs={"name": hashtag.name}))
    if not request.user.is_authenticated:
        return login_redirect(request, back)
    try:
        if follow:
            tags.hashtag_follow(user=request.user, hashtag=hashtag)
        else:
            tags.hashtag_unfollow(user=request.user, hashtag=hashtag)
    except ValidationError as exc:
        return service_refusal(request, exc, back)
    if request.htmx:
        hashtag = tag_selectors.hashtag_get_with_follow(name=hashtag.name, viewer=request.user)
        return render(
            request,
            "feeds/_tag_follow.html",
            {"hashtag": hashtag, "next_url": back, "oob_count": True},
        )
    if follow:
        text = gettext("You now follow #%(tag)s.")
    else:
        text = gettext("You no longer follow #%(tag)s.")
    messages.success(request, text % {"tag": hashtag.display_name})
    return redirect(back)


@require_POST
@rate_limited(FOLLOW_THROTTLE_SCOPE)
def tag_follow(request: HttpRequest, name: str) -> HttpResponse:
    """POST `/tags/<name>/follow/`: follow the tag (idempotent)."""
    return _follow_action(request, name, follow=True)


@require_POST
@rate_limited(FOLLOW_THROTTLE_SCOPE)
def tag_unfollow(request: HttpRequest, name: str) -> HttpResponse:
    """POST `/tags/<name>/unfollow/`: stop following the tag (idempotent)."""
    return _follow_action(request, name, follow=False)
