"""Search reads: notes by their words, people by handle and name, tags by name.

Each search is a `SearchListing`: a queryset of what the viewer may find, and the keyset score
it is paged by (`rednote.pagination.cursor_page`, descending, ties broken by id) — the HTML page
and `GET /api/v1/search/` read the same listing.

On PostgreSQL:
- Notes are matched in their jieba-segmented full-text document (`notes.search`) with every
  word of the query (`plainto_tsquery('simple', word)` per word, AND-ed: words are bound
  values, never tsquery syntax), ranked by `ts_rank` (title and tags weigh most). The keyset
  score is the rank in 1,000 steps, then the publication time to the second, so equally
  relevant notes come newest first: `rank_step * 2**34 + epoch_seconds`. A page is one query
  at any depth, and "load more" continues exactly where the last page ended.
- People are matched by a substring of their handle or display name, or by trigram word
  similarity (pg_trgm `%>`: "wonder alice" finds "Alice Wonder", "citywalkk" the tag
  "citywalk"); tags likewise by their name. Exact and
  prefix matches come first, then the similarity in 1,000 steps.
On other databases (the SQLite quick start) each whitespace-separated word must be contained,
case-insensitively (ASCII only, as SQLite's LIKE), in a note's title, text, place or tags, or in
a person's handle or name, or a tag's name; notes newest first, people and tags exact and prefix
matches first. The dispatchers choose by `connection.vendor`; both builders are public so the
fallback is tested on PostgreSQL too.

The rules come from below, never re-written: `Note.objects.visible_to(viewer).published()
.without_muted_by(viewer)` (through `notes_recent_public`) for notes and for what a tag counts;
active users only, without those in a block with the viewer either way (`blocked_either_way`)
or muted by them (`muted_by`).
"""

import operator
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Extract, Floor, Greatest, Upper
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.models import User, muted_by, too_long_message
from notes import selectors as notes_selectors
from notes.models import Comment, Hashtag, Note, NoteHashtag
from notes.parsing import has_control_characters, hashtag_normalize
from notes.search import MAX_QUERY_TERMS, SEARCH_CONFIG, search_supported, search_terms
from rednote.pagination import CursorPage, cursor_page

SEARCH_QUERY_MAX_LENGTH = 100
SEARCH_NOTES, SEARCH_USERS, SEARCH_TAGS = "notes", "users", "tags"
SEARCH_TYPES = (SEARCH_NOTES, SEARCH_USERS, SEARCH_TAGS)

# ts_rank weights for D, C, B, A: comments (D), place (C), text (B), title and tags (A).
_RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# ts_rank normalisation: divided by 1 + log(length) (1), then mapped into [0, 1) (32).
_RANK_NORMALIZATION = 1 | 32
_RANK_STEPS = 1000
_TIME_SHIFT = 2**34  # epoch seconds stay below it until the year 2514
_MATCH_STEP = 10_000  # exact/prefix bonus above any similarity (0..1000)


@dataclass(frozen=True)
class SearchListing:
    """What a search finds, and the descending keyset `key` (an annotation or field) that
    orders and pages it, with `id` breaking ties."""

    queryset: QuerySet
    key: str


def search_query_clean(query: str | None) -> str:
    """The query as searched: surrounding and repeated blanks removed. Raises ValidationError
    naming `q` for a query over SEARCH_QUERY_MAX_LENGTH characters or holding a control
    character; an empty result means "nothing asked"."""
    query = " ".join((query or "").split())
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        raise ValidationError({"q": [too_long_message(SEARCH_QUERY_MAX_LENGTH)]})
    if has_control_characters(query, line_breaks=False):
        raise ValidationError({"q": [_("Control characters are not allowed.")]})
    return query


def _words(query: str) -> list[str]:
    return query.split()[:MAX_QUERY_TERMS]


def _none(model) -> SearchListing:
    return SearchListing(model.objects.none(), "id")


# --- Notes ---------------------------------------------------------------------------------


def notes_full_text_search(*, query: str, viewer) -> SearchListing:
    """Notes whose search document holds every word of `query`, most relevant first (PostgreSQL
    only); `search_score` is the keyset score."""
    terms = search_terms(query)
    if not terms:
        return _none(Note)
    tsquery = reduce(
        operator.and_,
        [SearchQuery(term, config=SEARCH_CONFIG, search_type="plain") for term in terms],
    )
    rank = SearchRank(
        F("search_document__vector"),
        tsquery,
        weights=_RANK_WEIGHTS,
        normalization=Value(_RANK_NORMALIZATION),
    )
    score = Cast(Floor(rank * Value(float(_RANK_STEPS))), BigIntegerField()) * Value(
        _TIME_SHIFT
    ) + Cast(Extract("published_at", "epoch"), BigIntegerField())
    notes = notes_selectors.notes_recent_public(viewer=viewer)
    return SearchListing(
        notes.filter(search_document__vector=tsquery).annotate(
            search_score=Cast(score, BigIntegerField())
        ),
        "search_score",
    )


def notes_contains_search(*, query: str, viewer) -> SearchListing:
    """The fallback: notes whose title, text, place, tags or comments contain each word of `query`
    (case-insensitively), newest first."""
    words = _words(query)
    if not words:
        return _none(Note)
    conditions = []
    for word in words:
        tag = hashtag_normalize(word.lstrip("#＃"))
        tagged = NoteHashtag.objects.filter(note=OuterRef("pk"), hashtag__name__contains=tag)
        commented = (
            Comment.objects.filter(
                note=OuterRef("pk"), body__icontains=word, is_hidden=False, is_held=False
            )
            .exclude(parent__is_hidden=True)
            .exclude(parent__is_held=True)
        )
        conditions.append(
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(location__icontains=word)
            | Q(Exists(commented))
            | (Q(Exists(tagged)) if tag else Q(pk__in=[]))
        )
    notes = notes_selectors.notes_recent_public(viewer=viewer)
    return SearchListing(notes.filter(reduce(operator.and_, conditions)), "published_at")


# --- People --------------------------------------------------------------------------------


def _people(viewer) -> QuerySet:
    """Who may be found: active people not in a block with `viewer` nor muted by them."""
    people = accounts_selectors.users_exclude_blocked(User.objects.active(), viewer=viewer)
    people = people.exclude(muted_by(viewer))
    return accounts_selectors.users_annotate_followed(people, viewer=viewer)


def _match_bonus(term: str, *, exact: str, prefix: list[str]) -> Case:
    whens = [When(**{f"{exact}__iexact": term}, then=Value(3 * _MATCH_STEP))]
    whens += [
        When(**{f"{field}__istartswith": term}, then=Value(2 * _MATCH_STEP)) for field in prefix
    ]
    return Case(*whens, default=Value(0), output_field=BigIntegerField())


def _person_term(query: str) -> str:
    return query.strip().lstrip("@＠").strip()


def users_trigram_search(*, query: str, viewer) -> SearchListing:
    """People whose handle or display name contains `query` or is similar to it (pg_trgm word
    similarity), best match first (PostgreSQL only); `search_score` is the keyset score."""
    term = _person_term(query)
    if not term:
        return _none(User)
    handle, name = Upper(Cast("handle", TextField())), Upper(Cast("display_name", TextField()))
    similar = Greatest(
        TrigramWordSimilarity(term, "handle"), TrigramWordSimilarity(term, "display_name")
    )
    people = _people(viewer).filter(
        Q(handle__icontains=term)
        | Q(display_name__icontains=term)
        | Q(TrigramWordSimilar(handle, Value(term)))
        | Q(TrigramWordSimilar(name, Value(term)))
    )
    score = _match_bonus(term, exact="handle", prefix=["handle", "display_name"]) + Cast(
        Floor(similar * Value(float(_RANK_STEPS))), BigIntegerField()
    )
    return SearchListing(
        people.annotate(search_score=Cast(score, BigIntegerField())), "search_score"
    )


def users_contains_search(*, query: str, viewer) -> SearchListing:
    """The fallback: people whose handle or display name contains `query`, exact and prefix
    matches first."""
    term = _person_term(query)
    if not term:
        return _none(User)
    people = _people(viewer).filter(Q(handle__icontains=term) | Q(display_name__icontains=term))
    score = _match_bonus(term, exact="handle", prefix=["handle", "display_name"])
    return SearchListing(people.annotate(search_score=score), "search_score")


# --- Tags ----------------------------------------------------------------------------------


def _tag_term(query: str) -> str:
    return hashtag_normalize(query.strip().lstrip("#＃"))


def _tags(viewer) -> QuerySet:
    """Tags carried by at least one note `viewer` may see, with `note_count`, the number of
    them (a tag known only from hidden or private notes is not revealed)."""
    visible = Note.objects.visible_to(viewer).published().without_muted_by(viewer)
    carrying = NoteHashtag.objects.filter(hashtag=OuterRef("pk"), note__in=visible)
    counts = carrying.order_by().values("hashtag").annotate(n=Count("note"))
    return Hashtag.objects.filter(Exists(carrying)).annotate(
        note_count=Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)
    )


def tags_trigram_search(*, query: str, viewer) -> SearchListing:
    """Tags whose name contains `query` or is similar to it (pg_trgm), best match first
    (PostgreSQL only); `search_score` is the keyset score."""
    term = _tag_term(query)
    if not term:
        return _none(Hashtag)
    tags = _tags(viewer).filter(
        Q(name__contains=term) | Q(TrigramWordSimilar(F("name"), Value(term)))
    )
    score = _match_bonus(term, exact="name", prefix=["name"]) + Cast(
        Floor(TrigramWordSimilarity(term, "name") * Value(float(_RANK_STEPS))), BigIntegerField()
    )
    return SearchListing(tags.annotate(search_score=Cast(score, BigIntegerField())), "search_score")


def tags_contains_search(*, query: str, viewer) -> SearchListing:
    """The fallback: tags whose name contains `query`, exact and prefix matches first."""
    term = _tag_term(query)
    if not term:
        return _none(Hashtag)
    score = _match_bonus(term, exact="name", prefix=["name"])
    return SearchListing(
        _tags(viewer).filter(name__contains=term).annotate(search_score=score), "search_score"
    )


# --- Dispatch ------------------------------------------------------------------------------

_BUILDERS = {
    # kind: (PostgreSQL, fallback)
    SEARCH_NOTES: (notes_full_text_search, notes_contains_search),
    SEARCH_USERS: (users_trigram_search, users_contains_search),
    SEARCH_TAGS: (tags_trigram_search, tags_contains_search),
}


def search_listing(*, kind: str, query: str, viewer) -> SearchListing:
    """What `viewer` finds for the cleaned `query` (`search_query_clean`) among `kind`
    (one of SEARCH_TYPES): full-text and trigram search on PostgreSQL, contains elsewhere."""
    full, fallback = _BUILDERS[kind]
    builder = full if search_supported() else fallback
    return builder(query=query, viewer=viewer)


@contextmanager
def search_reading() -> Iterator[None]:
    """Evaluate search querysets inside this: on PostgreSQL, a transaction without JIT.

    A word found in many notes makes the planner's estimate large (each match is ranked and
    checked against the visibility rules), which crosses `jit_above_cost`: PostgreSQL then
    spent ~1 s compiling a query that runs in ~0.3 s (100k notes, a word in a third of them).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def search_page(*, kind: str, query: str, viewer, cursor: str | None, size: int) -> CursorPage:
    """One keyset page of a search, after `cursor`. Raises InvalidCursor for a bad cursor."""
    if not query:
        return CursorPage(items=[], next_cursor=None)
    listing = search_listing(kind=kind, query=query, viewer=viewer)
    with search_reading():
        return cursor_page(listing.queryset, cursor=cursor, key=listing.key, size=size)
