"""Pre-rendered note JSON for the hot API reads: the home feed, Discover, the note lists and
one note.

`notes.representation.notes_json` builds a note's JSON as a dict, which the API then encodes;
for a page of 20 notes that meant 40 model instances, 20 dicts and their encoding on every
request. Here a note's JSON is *text*, rendered once from that same dict and kept in the
cache, with holes where the request puts what is not the note's own:

- the scheme and host of every URL (the host is the request's);
- the author (`handle`, `display_name`, `avatar_url`: a profile edit does not touch the note);
- what changes often or depends on the viewer: `failure_reason` (for the author only), the
  three counters and the viewer's `liked` / `collected`.

So a page is one query for those fresh values — a `values_list` of `FRESH_FIELDS` on the
queryset of the very selector the page uses (visibility, blocks and mutes applied there, so
nothing the reader may no longer see is served) — then the texts from the cache, filled in and
joined. The text is cut from `_note_json`'s own dict encoded as DRF's `JSONRenderer` encodes
(the holes are unguessable markers while it is encoded), so the bytes are the serializer's:
same keys, order and escaping (`tests/notes/test_rendered.py` compares every endpoint).

Nothing in a note's JSON depends on the interface language (codes, not labels; times in the
server's zone; URLs without a language prefix), so one text serves every language.

Freshness: the text is stamped with the note's `updated_at` (moved by every save: edits,
publishing, visibility), `status` and `published_at` (both also written by UPDATEs that do not
move it), and used only when the fresh row carries the same stamp; a note not yet published is
never cached. Like the relations of `notes.representation`, it is dropped on `note_published`
/ `note_withdrawn` and expires after `NOTE_PARTS_TTL` (a mentioned person's new display name
shows within that time). A per-process LRU in front of the shared cache saves the round trip
for the hottest notes (stamped the same way, `LOCAL_TTL` at most).
"""

import re
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.utils import encoders

from accounts.models import User

from .models import Note, NoteStatus
from .representation import (
    LOCAL_TEXTS,
    NOTE_PARTS_TTL,
    _absolute_builder,
    _note_json,
    _note_parts,
    note_relations_prefetch,
    note_text_cache_key,
)

# What a page reads of each note, fresh: the stamp, the holes' values and the author.
FRESH_FIELDS = (
    "id",
    "updated_at",
    "status",
    "published_at",
    "author_id",
    "failure_reason",
    "like_count",
    "collect_count",
    "comment_count",
    "viewer_liked",
    "viewer_collected",
    "author__handle",
    "author__display_name",
    "author__avatar",
)

# The JSON encoding of DRF's JSONRenderer (same settings), for the parts encoded here.
_ENCODER = encoders.JSONEncoder(
    ensure_ascii=JSONRenderer.ensure_ascii,
    allow_nan=not JSONRenderer.strict,
    separators=(",", ":") if JSONRenderer.compact else (", ", ": "),
)


def json_text(value: Any) -> str:
    """`value` as JSONRenderer encodes it (without indent)."""
    return _ENCODER.encode(value).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def note_rows(queryset: QuerySet, *extra: str) -> QuerySet:
    """`queryset` (of a notes selector: author joined, viewer flags annotated) reading only
    the fresh values a rendered note needs (named rows), plus `extra` (a list's keyset
    score)."""
    return queryset.prefetch_related(None).values_list(
        *FRESH_FIELDS, *[name for name in extra if name not in FRESH_FIELDS], named=True
    )


class _Row:
    """The fresh values of a loaded `Note` (author selected), like a row of `note_rows`."""

    __slots__ = FRESH_FIELDS

    def __init__(self, note: Note) -> None:
        author = note.author
        for name in FRESH_FIELDS:
            if name.startswith("author__"):
                value = getattr(author, name[len("author__") :])
                value = value.name if name == "author__avatar" else value
            elif name.startswith("viewer_"):
                value = getattr(note, name, False)
            else:
                value = getattr(note, name)
            setattr(self, name, value)


def note_row(note: Note) -> _Row:
    """A loaded note (author selected, viewer flags annotated) as a fresh row."""
    return _Row(note)


# --- The cached text ----------------------------------------------------------------------

# Holes: (kind, value). A URL the request's `scheme://host` is simply put in front of (the
# usual case: one slash, ASCII, nothing to escape), any other URL, the author, and each fresh
# field in the order of the note's JSON.
_URL_PREFIXED, _URL, _AUTHOR, _FIELD = 0, 1, 2, 3
_FRESH_KEYS = (
    "failure_reason",
    "like_count",
    "collect_count",
    "comment_count",
    "liked",
    "collected",
)
_NONCE = secrets.token_hex(8)
_MARKER = re.compile(r'"\\u0000' + _NONCE + r':(\d+)\\u0000"')


_LOCAL = LOCAL_TEXTS  # dropped with the note's relations (`note_parts_forget`)


def _stamp(row) -> tuple:
    return (row.updated_at, row.status, row.published_at)


def _prefixable(url: str) -> bool:
    # What `_absolute_builder` prefixes, and what JSON carries as it is.
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "/." not in url
        and url.isascii()
        and json_text(url) == f'"{url}"'
    )


def _template(note: Note) -> tuple:
    """The note's JSON text (`_note_json` of its relations, `note` prefetched) cut at its
    holes: a tuple of literal strings and (kind, value) holes."""
    holes: list[tuple[int, Any]] = []

    def hole(kind: int, value: Any) -> str:
        holes.append((kind, value))
        return f"\x00{_NONCE}:{len(holes) - 1}\x00"

    def absolute(url: str) -> str:
        return hole(_URL_PREFIXED if _prefixable(url) else _URL, url)

    data = _note_json(note, _note_parts(note), absolute, None)
    data["author"] = hole(_AUTHOR, None)
    for key in _FRESH_KEYS:
        data[key] = hole(_FIELD, key)
    text = json_text(data)
    pieces: list[Any] = []
    position = 0
    for match in _MARKER.finditer(text):
        pieces.append(text[position : match.start()])
        pieces.append(holes[int(match.group(1))])
        position = match.end()
    pieces.append(text[position:])
    return tuple(piece for piece in pieces if piece != "")


def _templates(rows: Sequence, loaded: dict[int, Note]) -> dict[int, tuple]:
    """The template of each row's note: from this process, the shared cache, or rendered
    (`loaded` notes are used as they are, the rest loaded in one query and the relations'
    prefetches) and cached when published."""
    found: dict[int, tuple] = {}
    stamps = {row.id: _stamp(row) for row in rows}
    cacheable = [row.id for row in rows if row.status == NoteStatus.PUBLISHED]
    for note_id, entry in _LOCAL.get_many(cacheable).items():
        if entry[0] == stamps[note_id]:
            found[note_id] = entry[1]
    shared = [note_id for note_id in cacheable if note_id not in found]
    if shared:
        entries = cache.get_many([note_text_cache_key(note_id) for note_id in shared])
        for note_id in shared:
            entry = entries.get(note_text_cache_key(note_id))
            if entry is not None and entry[0] == stamps[note_id]:
                found[note_id] = entry[1]
                _LOCAL.set(note_id, entry)
    missing = [row.id for row in rows if row.id not in found]
    if not missing:
        return found
    notes = [loaded[note_id] for note_id in missing if note_id in loaded]
    to_load = [note_id for note_id in missing if note_id not in loaded]
    if to_load:
        notes += list(Note.objects.filter(pk__in=to_load).select_related("author"))
    note_relations_prefetch(notes)
    fresh = {}
    for note in notes:
        template = _template(note)
        found[note.pk] = template
        if note.status == NoteStatus.PUBLISHED:
            # Stamped with what was rendered, which a racing edit may have moved past the row.
            entry = (_stamp(note), template)
            fresh[note_text_cache_key(note.pk)] = entry
            _LOCAL.set(note.pk, entry)
    if fresh:
        cache.set_many(fresh, NOTE_PARTS_TTL)
    return found


# --- Filling the holes --------------------------------------------------------------------

_AVATAR_STORAGE = User._meta.get_field("avatar").storage


def notes_json_texts(rows: Iterable, *, request, loaded: Iterable[Note] = ()) -> list[str]:
    """The API's JSON text of each note row (`note_rows` / `note_row`), as `request.user`
    sees it: byte for byte what `NoteSerializer` renders for those notes. Rows whose note is
    gone (deleted since) are left out. `loaded`: notes already loaded in full (relations
    prefetched or not), rendered from as they are on a miss."""
    rows = list(rows)
    if not rows:
        return []
    templates = _templates(rows, {note.pk: note for note in loaded})
    absolute = _absolute_builder(request)
    prefix = absolute("/")[:-1]
    viewer_id = request.user.pk if request is not None else None
    authors: dict[int, str] = {}
    texts = []
    for row in rows:
        template = templates.get(row.id)
        if template is None:
            continue
        author = authors.get(row.author_id)
        if author is None:
            avatar = row.author__avatar
            author = authors[row.author_id] = json_text(
                {
                    "handle": row.author__handle,
                    "display_name": row.author__display_name,
                    "avatar_url": absolute(_AVATAR_STORAGE.url(avatar)) if avatar else None,
                }
            )
        fresh = {
            "failure_reason": json_text(row.failure_reason)
            if viewer_id is not None and viewer_id == row.author_id
            else "null",
            "like_count": str(row.like_count),
            "collect_count": str(row.collect_count),
            "comment_count": str(row.comment_count),
            "liked": "true" if row.viewer_liked else "false",
            "collected": "true" if row.viewer_collected else "false",
        }
        out = []
        for piece in template:
            if piece.__class__ is str:
                out.append(piece)
                continue
            kind, value = piece
            if kind == _URL_PREFIXED:
                out.append(f'"{prefix}{value}"')
            elif kind == _FIELD:
                out.append(fresh[value])
            elif kind == _AUTHOR:
                out.append(author)
            else:
                out.append(json_text(absolute(value)))
        texts.append("".join(out))
    return texts


def with_field(text: str, name: str, value: Any) -> str:
    """A note's JSON text with one more field at the end (as a dict's new last key)."""
    return f"{text[:-1]},{json_text(name)}:{json_text(value)}}}"


# --- Answers ------------------------------------------------------------------------------


def renders_plain_json(request) -> bool:
    """Whether the answer to `request` (after DRF's content negotiation) is JSONRenderer's
    compact JSON, which the texts are; else (the browsable API, `indent=`) the caller answers
    through a serializer and a `Response` as before."""
    return (
        type(getattr(request, "accepted_renderer", None)) is JSONRenderer
        and request.accepted_media_type == JSONRenderer.media_type
    )


def json_answer(text: str, *, status: int = 200) -> HttpResponse:
    """The JSON text as DRF would answer it (same body and Content-Type)."""
    return HttpResponse(text.encode(), status=status, content_type=JSONRenderer.media_type)


def page_text(*, results: list[str], next_url: str | None, previous_url: str | None) -> str:
    """A page of notes, `{"next", "previous", "results"}` as the paginations answer it."""
    return (
        f'{{"next":{json_text(next_url)},"previous":{json_text(previous_url)},'
        f'"results":[{",".join(results)}]}}'
    )
