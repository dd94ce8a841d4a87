"""Reads for hashtag pages (`/tags/<name>/` and `/api/v1/tags/<name>/...`).

The notes come from `notes.selectors.notes_of_hashtag` (visibility and mutes applied there,
once); this module only orders them for a tab and adds what the page's head shows.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from notes import selectors as notes_selectors
from notes.models import Hashtag
from notes.parsing import hashtag_normalize

from .models import HashtagFollow

LATEST = "latest"
TOP = "top"
# Each tab and the keyset score it is paged by (`rednote.pagination.cursor_page`).
TAG_TABS: dict[str, str] = {LATEST: "published_at", TOP: "engagement"}
TAG_TAB_LABELS = {LATEST: _("Latest"), TOP: _("Top")}


def tag_notes(*, hashtag: Hashtag, viewer, tab: str = LATEST) -> QuerySet:
    """The notes of `hashtag` that `viewer` may see (mutes applied): "latest" newest first,
    "top" by engagement (`engagement` = likes + collects, annotated) then newest id. Order it
    with `TAG_TABS[tab]` and the id, as `cursor_page` does."""
    if tab not in TAG_TABS:
        raise ValueError(f"Unknown tag tab {tab!r}.")
    notes = notes_selectors.notes_of_hashtag(name=hashtag.name, viewer=viewer)
    if tab == TOP:
        notes = notes.annotate(engagement=F("like_count") + F("collect_count")).order_by(
            "-engagement", "-id"
        )
    return notes


@dataclass(frozen=True)
class TagHead:
    """What a tag page shows above its grid: the tag (with `follower_count` and
    `viewer_follows`, see `hashtag_get_with_follow`) and how many of its notes the reader may
    see."""

    hashtag: Hashtag
    note_count: int


def hashtag_get_with_follow(*, name: str, viewer) -> Hashtag:
    """The hashtag stored under the normalised `name` (else 404), with `follower_count` and
    `viewer_follows` annotated, in one query."""
    followers = (
        HashtagFollow.objects.filter(hashtag=OuterRef("pk"))
        .order_by()
        .values("hashtag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    follows: Exists | Value
    if viewer is not None and viewer.is_authenticated:
        follows = Exists(HashtagFollow.objects.filter(hashtag=OuterRef("pk"), user=viewer))
    else:
        follows = Value(False)
    tag = (
        Hashtag.objects.filter(name=hashtag_normalize(name))
        .annotate(
            follower_count=Coalesce(Subquery(followers), 0, output_field=IntegerField()),
            viewer_follows=follows,
        )
        .first()
    )
    if tag is None:
        raise Http404("No such hashtag.")
    return tag


def tag_head(*, name: str, viewer) -> TagHead:
    """The tag (404 when unknown), the number of its notes `viewer` may see, its followers and
    whether `viewer` follows it: two queries."""
    tag = hashtag_get_with_follow(name=name, viewer=viewer)
    return TagHead(hashtag=tag, note_count=tag_notes(hashtag=tag, viewer=viewer).count())
