"""A note's full-text search document, Chinese-aware, and the words of a search query.

PostgreSQL's text search splits words on spaces and punctuation, which Chinese does not use:
"上海周末citywalk路线分享" is one "word" to it. So the text is segmented here with jieba
(`cut_for_search`: the words and the shorter dictionary words inside them, "中华人民共和国" also
gives "人民" and "共和国") and handed to PostgreSQL as a space-separated token document, read with
the `simple` configuration (no stemming, no stop words: a token is a lexeme as it is). Latin text
is folded before segmenting (NFKC, case-folded, accents dropped: "Café" is "cafe"); runs of Latin
letters and of digits inside a mixed token are indexed as well ("iphone15" also gives "iphone"
and "15"), and every Chinese character by itself, so a one-character query ("猫") finds "小猫咪".

The document is the note's `NoteSearchDocument` row (a GIN index, see notes migration 0003):
title and hashtags weigh most (A), then the text (B), then the place (C), then the words of its
comments (D), so a note is found by what its readers said about it too. The notes services
keep it current (`note_search_document_update` after a note's text or tags change); the
migration filled it for the notes that existed before. On SQLite (the quick start) there is no
full-text search: no row is written and `feeds.search` falls back to a plain contains search.

A query is segmented the same way, but in jieba's precise mode (`search_terms`): each of its
words must then be a lexeme of the document. Words are only ever passed to PostgreSQL as bound
values of `plainto_tsquery` (`feeds.search`), never parsed as tsquery syntax.
"""

import logging
import operator
import re
import unicodedata
from collections.abc import Iterable
from functools import reduce

import jieba
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.db.models.expressions import Combinable

from .models import Comment, Note, NoteSearchDocument

jieba.setLogLevel(logging.WARNING)

SEARCH_CONFIG = "simple"
# A query of more words than this is cut: each word is one more condition on every match.
MAX_QUERY_TERMS = 12
# The most comments (the most liked first) whose words a note's document holds.
MAX_INDEXED_COMMENTS = 200

# A token worth indexing holds a letter or a digit of some script (not only "_" or "%").
_WORDLIKE = re.compile(r"[^\W_]")
_LATIN_RUNS = re.compile(r"[a-z]+|[0-9]+")
# CJK ideographs (the unified blocks and their extensions, the compatibility ideographs).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def search_text_normalize(text: str) -> str:
    """Text as the index compares it: NFKC (full-width letters fold), case-folded, and accents
    dropped from Latin letters ("Café" → "cafe"); other scripts keep their marks."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    out = []
    for char in text:
        if char < "\u0250":  # Latin: strip the combining marks of its decomposition
            out.append(
                "".join(
                    c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
                )
            )
        else:
            out.append(char)
    return "".join(out)


def _wordlike(tokens: Iterable[str]) -> list[str]:
    return [t for t in (token.strip() for token in tokens) if t and _WORDLIKE.search(t)]


def search_tokens(text: str) -> list[str]:
    """The lexemes of `text` for the index, in order (repeats kept: they count in ranking)."""
    normalized = search_text_normalize(text)
    tokens: list[str] = []
    for token in _wordlike(jieba.cut_for_search(normalized)):
        tokens.append(token)
        runs = _LATIN_RUNS.findall(token)
        if runs and runs != [token]:
            tokens.extend(runs)
    # Each Chinese character once per occurrence (a word of one is already a token).
    words = set(tokens)
    tokens.extend(char for char in _HAN.findall(normalized) if char not in words)
    return tokens


def search_document_parts(
    *,
    title: str,
    body: str,
    location: str,
    tag_names: Iterable[str],
    comments: Iterable[str] = (),
) -> dict[str, str]:
    """The token documents of a note by weight: A (title and hashtags), B (text), C (place),
    D (the words of its comments, when there are some)."""
    parts = {
        "A": " ".join(search_tokens(" ".join([title or "", *tag_names]))),
        "B": " ".join(search_tokens(body)),
        "C": " ".join(search_tokens(location)),
    }
    comment_text = "\n".join(comments)
    if comment_text:
        parts["D"] = " ".join(search_tokens(comment_text))
    return parts


def search_vector_expression(parts: dict[str, str]) -> Combinable:
    """The `tsvector` of a note's token documents (`search_document_parts`), weighted."""
    vectors = [
        SearchVector(Value(text), config=SEARCH_CONFIG, weight=weight)
        for weight, text in parts.items()
    ]
    return reduce(operator.add, vectors)


def search_terms(query: str) -> list[str]:
    """The words of a search query (jieba's precise mode), folded like the index, without
    repeats, at most MAX_QUERY_TERMS; punctuation alone is no word. May be empty."""
    terms: list[str] = []
    for token in _wordlike(jieba.cut(search_text_normalize(query))):
        if token not in terms:
            terms.append(token)
    return terms[:MAX_QUERY_TERMS]


def search_supported() -> bool:
    """Whether the database has full-text search (PostgreSQL); else the contains fallback."""
    return connection.vendor == "postgresql"


def note_search_comments(note_id: int) -> list[str]:
    """The comment texts a note is found by: those every reader may see (not hidden or held
    for review, nor under such a comment, by an active author), the most liked first, at most
    MAX_INDEXED_COMMENTS of them (a thread of thousands adds little but weight)."""
    return list(
        Comment.objects.filter(
            note_id=note_id, is_hidden=False, is_held=False, author__is_active=True
        )
        .exclude(parent__is_hidden=True)
        .exclude(parent__is_held=True)
        .order_by("-like_count", "-id")
        .values_list("body", flat=True)[:MAX_INDEXED_COMMENTS]
    )


def note_search_document_update(note: Note) -> None:
    """Recompute `note`'s search document from its stored title, text, place, hashtags and
    comments (`note_search_comments`, weighed least).

    Call after the note's tags are set (`tagging.tags_and_mentions_set`) or its comments
    changed (`services.comments`), inside the write's transaction. Nothing to do on a database
    without full-text search.
    """
    if not search_supported():
        return
    parts = search_document_parts(
        title=note.title,
        body=note.body,
        location=note.location,
        tag_names=note.hashtags.values_list("display_name", flat=True),
        comments=note_search_comments(note.pk),
    )
    vector = search_vector_expression(parts)
    if not NoteSearchDocument.objects.filter(note_id=note.pk).update(vector=vector):
        NoteSearchDocument.objects.create(note_id=note.pk, vector=vector)
