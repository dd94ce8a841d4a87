"""Reads for hashtag pages (`/tags/<name>/` and `/api/v1/tags/<name>/...`).

The notes come from `notes.selectors.notes_of_hashtag` (visibility and mutes applied there,
once); this module only orders them for a tab and adds what the page's head shows.

Latest is newest first, read straight from the database: each page walks the tag's links
(`notes.NoteHashtag`) in their index's order, newest first, and reads only the notes it shows,
so a small or old tag costs what a busy one does (see `notes_of_hashtag`).

Top is by engagement (likes + collects); no index can order a tag's notes by that, so ranking a
big tag means reading all of it (a tag on 21k of 1M notes: 350 ms). So Top ranks the tag's
TOP_SIZE most engaging *public* notes, a list of ids computed once per TOP_CACHE_SECONDS per
tag, and each page reads those notes fresh — visibility, blocks and mutes applied per reader,
counts current, so a hidden note leaves at once — and orders them by their engagement now. A
note climbing into the top few hundred shows within those minutes; followers-only notes appear
under Latest only.

The note count in the head stops at NOTE_COUNT_CAP ("1,000+"), which bounds its cost too.

A tag moderators linked with others across languages (`notes.HashtagGroup`: #美食 ↔ #food) is
one topic: its page, its API and its Top list show the notes of the whole group, each once, and
the caches here are kept per topic (`tag_topic_key`), so #美食 and #food share them. The head
also counts the topic's public notes per language (`tag_language_counts`: "1,234 Simplified
Chinese · 567 English") — the same for every reader, so computed once per
LANGUAGE_COUNT_CACHE_SECONDS per topic (a GROUP BY over the topic's public notes: bench/feeds.py
--part tags) — and names the group's other tags.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from notes import selectors as notes_selectors
from notes.models import Hashtag
from notes.parsing import hashtag_normalize
from rednote.languages import LANGUAGE_NAMES

from .models import HashtagFollow
from .recompute import cached_value, cached_value_forget

LATEST = "latest"
TOP = "top"
# Each tab and the keyset score it is paged by (`rednote.pagination.cursor_page`): Latest by
# `tagged_at`, the link's copy of the note's `published_at` (the same time), so a page's
# keyset is a range of the link index.
TAG_TABS: dict[str, str] = {LATEST: "tagged_at", TOP: "engagement"}
TAG_TAB_LABELS = {LATEST: _("Latest"), TOP: _("Top")}
TOP_SIZE = 500
TOP_CACHE_SECONDS = 300
NOTE_COUNT_CAP = 1000
NOTE_COUNT_CACHE_SECONDS = 60
LANGUAGE_COUNT_CACHE_SECONDS = 600
# Notes whose language is none of LANGUAGE_NAMES ("mixed", not detected, a code not named).
OTHER_LANGUAGES = "other"


def tag_topic_key(*, hashtag: Hashtag) -> str:
    """What the tag's caches are kept under: its group's when moderators linked it with others
    ("g12"), else its own ("t34")."""
    if hashtag.group_id is not None:
        return f"g{hashtag.group_id}"
    return f"t{hashtag.pk}"


def _engagement(notes: QuerySet) -> QuerySet:
    return notes.annotate(engagement=F("like_count") + F("collect_count")).order_by(
        "-engagement", "-id"
    )


def _top_key(hashtag: Hashtag) -> str:
    return f"feeds:tag-top:v2:{tag_topic_key(hashtag=hashtag)}"


def _count_key(hashtag: Hashtag) -> str:
    return f"feeds:tag-count:v2:{tag_topic_key(hashtag=hashtag)}"


def _languages_key(hashtag: Hashtag) -> str:
    return f"feeds:tag-languages:v1:{tag_topic_key(hashtag=hashtag)}"


def tag_top_forget(*, hashtag: Hashtag) -> None:
    """Rank the tag's Top notes afresh on the next read."""
    cached_value_forget(_top_key(hashtag))


def tag_topics_forget(*, hashtag_ids: list[int], group_ids: list[int]) -> None:
    """Forget what is cached for these tags' own topics and these groups' (Top lists, visitors'
    note counts, counts per language): moderators linked or unlinked them
    (`notes.events.hashtag_groups_changed`), so each now reads another set of notes."""
    topics = [Hashtag(pk=pk) for pk in hashtag_ids]
    topics += [Hashtag(group_id=group_id) for group_id in group_ids]
    for topic in topics:
        cached_value_forget(_top_key(topic))
        cached_value_forget(_languages_key(topic))
    cache.delete_many([_count_key(topic) for topic in topics])


def tag_top_ids(*, hashtag: Hashtag) -> list[int]:
    """The ids of the TOP_SIZE most liked and collected public notes of the tag's topic:
    cached, and recomputed by one request at a time (`feeds.recompute`)."""

    def compute() -> list[int]:
        public = notes_selectors.notes_of_hashtag(hashtag=hashtag, viewer=None)
        return list(_engagement(public).values_list("pk", flat=True)[:TOP_SIZE])

    return cached_value(_top_key(hashtag), compute, seconds=TOP_CACHE_SECONDS)


def tag_notes(*, hashtag: Hashtag, viewer, tab: str = LATEST) -> QuerySet:
    """The notes of `hashtag` that `viewer` may see (mutes applied): "latest" newest first
    (`tagged_at`, annotated, then id), "top" the ranked public notes (`tag_top_ids`) by
    engagement (`engagement` = likes + collects, annotated) then newest id. Order it with
    `TAG_TABS[tab]` and the id, as `cursor_page` does."""
    if tab not in TAG_TABS:
        raise ValueError(f"Unknown tag tab {tab!r}.")
    notes = notes_selectors.notes_of_hashtag(hashtag=hashtag, viewer=viewer)
    if tab == TOP:
        notes = _engagement(notes.filter(pk__in=tag_top_ids(hashtag=hashtag)))
    return notes


def tag_note_count(*, hashtag: Hashtag, viewer) -> int:
    """How many of the tag's notes `viewer` may see, up to NOTE_COUNT_CAP (a capped count
    costs a bounded read whatever the tag's size). The same for every visitor, so theirs is
    cached for NOTE_COUNT_CACHE_SECONDS; a signed-in reader's is counted each time."""

    def count() -> int:
        notes = tag_notes(hashtag=hashtag, viewer=viewer).order_by()
        return notes[:NOTE_COUNT_CAP].count()

    if viewer is not None and viewer.is_authenticated:
        return count()
    return int(cache.get_or_set(_count_key(hashtag), count, NOTE_COUNT_CACHE_SECONDS) or 0)


@dataclass(frozen=True)
class LanguageCount:
    """How many public notes of a topic are written in `language` (a BCP 47 code, or
    OTHER_LANGUAGES), with the language's name in the reader's interface language."""

    language: str
    count: int

    @property
    def name(self) -> str:
        if self.language == OTHER_LANGUAGES:
            return str(_("Other languages"))
        return str(LANGUAGE_NAMES[self.language])


def tag_language_counts(*, hashtag: Hashtag) -> list[LanguageCount]:
    """The public notes of the tag's topic (its group's, when linked) by language, most first,
    each note counted once; the languages LANGUAGE_NAMES does not name are summed as
    OTHER_LANGUAGES, last. What a visitor may see, so the same for every reader: cached per
    topic for LANGUAGE_COUNT_CACHE_SECONDS and recomputed by one request at a time."""

    def compute() -> list[tuple[str, int]]:
        # Each note once by COUNT(DISTINCT), not by the page's probe per link: over a whole
        # group the probes cost more than the count (bench/feeds.py --part pull, a group on 15k
        # of 1M notes: 350 → 210 ms cold, 115 ms warm).
        public = notes_selectors.notes_of_hashtag(hashtag=hashtag, viewer=None, each_once=False)
        rows = public.order_by().values_list("language").annotate(n=Count("pk", distinct=True))
        counts: dict[str, int] = {}
        for language, n in rows:
            key = language if language in LANGUAGE_NAMES else OTHER_LANGUAGES
            counts[key] = counts.get(key, 0) + n
        return sorted(
            counts.items(), key=lambda item: (item[0] == OTHER_LANGUAGES, -item[1], item[0])
        )

    rows = cached_value(_languages_key(hashtag), compute, seconds=LANGUAGE_COUNT_CACHE_SECONDS)
    return [LanguageCount(language=language, count=n) for language, n in rows]


def tag_group_others(*, hashtag: Hashtag) -> list[Hashtag]:
    """The other tags of the tag's group, by name (none when it is in no group): one query."""
    if hashtag.group_id is None:
        return []
    return list(
        Hashtag.objects.filter(group_id=hashtag.group_id).exclude(pk=hashtag.pk).order_by("name")
    )


@dataclass(frozen=True)
class TagHead:
    """What a tag page shows above its grid: the tag (with `follower_count` and
    `viewer_follows`, see `hashtag_get_with_follow`), how many of its topic's notes the reader
    may see, the topic's public notes per language, and the other tags of its group."""

    hashtag: Hashtag
    note_count: int
    languages: list[LanguageCount] = field(default_factory=list)
    group_tags: list[Hashtag] = field(default_factory=list)

    @property
    def note_count_capped(self) -> bool:
        """The count reached NOTE_COUNT_CAP: show it as "1,000+"."""
        return self.note_count >= NOTE_COUNT_CAP


def hashtag_get_with_follow(*, name: str, viewer) -> Hashtag:
    """The hashtag stored under the normalised `name` (else 404), with `follower_count` and
    `viewer_follows` annotated, in one query. For a tag moderators linked into a group, both
    are the topic's — the people following any tag of the group, and whether the viewer does
    (following one tag follows the group) — in one more query."""
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
    if tag.group_id is not None:
        _group_follows_annotate(tag, viewer=viewer)
    return tag


def _group_follows_annotate(tag: Hashtag, *, viewer) -> None:
    follows = HashtagFollow.objects.filter(hashtag__group_id=tag.group_id)
    signed_in = viewer is not None and viewer.is_authenticated
    mine = {"mine": Count("pk", filter=Q(user=viewer))} if signed_in else {}
    counts = follows.aggregate(people=Count("user", distinct=True), **mine)
    # The annotations of `hashtag_get_with_follow`, replaced by the topic's.
    tag.follower_count = counts["people"]  # type: ignore[attr-defined]
    tag.viewer_follows = bool(counts.get("mine"))  # type: ignore[attr-defined]


def tag_head(*, name: str, viewer) -> TagHead:
    """The tag (404 when unknown), the number of its topic's notes `viewer` may see, its
    followers and whether `viewer` follows it, its topic's public notes per language and the
    other tags of its group: two queries, one more for a linked tag, one more when the counts
    per language are due."""
    tag = hashtag_get_with_follow(name=name, viewer=viewer)
    return TagHead(
        hashtag=tag,
        note_count=tag_note_count(hashtag=tag, viewer=viewer),
        languages=tag_language_counts(hashtag=tag),
        group_tags=tag_group_others(hashtag=tag),
    )
