"""A note's API JSON, built by plain functions, with its relations kept in the cache.

`NoteSerializer` declares the note's shape (field order, types, help for the schema), but
building it field by field cost ~2 ms a note: DRF constructs every field of the serializer and
its nested serializers for each note, before reading a single value. `NoteSerializer` and its
list hand their notes to `notes_json` here, which builds the same dict directly (a test checks
it against the field-by-field result).

What needs queries beyond the note row — its images, hashtags and (active) mentioned people —
is the viewer-independent part: rendered once (with relative URLs, the same for every host and
language), kept in the cache by note id and stamped with the note's `updated_at`, which every
save of the note moves (edits, publishing, visibility), so a stale entry is never used (a
note not yet published, whose photos change without such a save, is never cached);
`note_published`/`note_withdrawn` drop the entry too, and it expires after `NOTE_PARTS_TTL`
(what can change without a save of the note — a mentioned person's display name — shows
within that time). A small per-process LRU (`LOCAL_TTL`, stamped the same way) saves the
round trip to the shared cache for the hottest notes. The note row itself (title, text,
counters, status, the author) and the viewer's flags come fresh with every request, in the
query that checks visibility.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from rest_framework.fields import DateTimeField

from accounts.models import User

from .models import Hashtag, ImageStatus, Note, NoteImage, NoteStatus

NOTE_PARTS_TTL = 600
_RELATIONS = ("images", "hashtags", "mentions")
_DATETIME = DateTimeField()


def note_parts_cache_key(note_id: int) -> str:
    return f"notes:json-parts:v2:{note_id}"


def note_parts_forget(*, note_id: int) -> None:
    """Drop the cached relations of a note (its events call this; the stamp makes it safe
    to skip)."""
    # The note's rendered JSON text too (`notes.rendered`, built on these functions).
    cache.delete_many([note_parts_cache_key(note_id), note_text_cache_key(note_id)])
    _LOCAL.delete(note_id)
    LOCAL_TEXTS.delete(note_id)


class _ProcessCache:
    """A small LRU in this process in front of the shared cache, for the hottest notes: an
    entry is used only when its stamp matches the row just read, like the shared one, and
    for `LOCAL_TTL` seconds at most (another process's event cannot reach it)."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size, self.ttl = size, ttl
        self.entries: OrderedDict[int, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys: list[int]) -> dict[int, Any]:
        now, found = time.monotonic(), {}
        with self.lock:
            for key in keys:
                item = self.entries.get(key)
                if item is not None and item[0] > now:
                    self.entries.move_to_end(key)
                    found[key] = item[1]
        return found

    def set(self, key: int, value: Any) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + self.ttl, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def delete(self, key: int) -> None:
        with self.lock:
            self.entries.pop(key, None)


LOCAL_TTL = 60
_LOCAL = _ProcessCache(size=5000, ttl=LOCAL_TTL)
# The rendered texts of `notes.rendered`, kept here with their key so that one forget drops
# both forms of a note.
LOCAL_TEXTS = _ProcessCache(size=5000, ttl=LOCAL_TTL)


def note_text_cache_key(note_id: int) -> str:
    return f"notes:json-text:v1:{note_id}"


def note_relations_prefetch(notes: list[Note]) -> None:
    """Load what `notes_json` renders beyond the row, in three queries whatever the count.

    Tags and mentioned people in a fixed order (by id), which the database otherwise picks
    per query: a note's JSON must not depend on which other notes it was loaded with."""
    prefetch_related_objects(
        notes,
        Prefetch("images", queryset=NoteImage.objects.order_by("position")),
        Prefetch("hashtags", queryset=Hashtag.objects.order_by("pk")),
        Prefetch("mentions", queryset=User.objects.active().order_by("pk")),
    )


def _image_parts(image: NoteImage) -> dict[str, Any]:
    ready = image.status == ImageStatus.READY and image.note_id is not None
    return {
        "url": image.display_url if ready else None,
        "grid_url": image.grid_url if ready else None,
        "width": image.width if ready else None,
        "height": image.height if ready else None,
        "alt_text": image.alt_text,
        "placeholder_color": (image.placeholder_color or None) if ready else None,
    }


def _note_parts(note: Note) -> dict[str, Any]:
    """The viewer- and host-independent relations of a (prefetched) note, URLs relative."""
    return {
        "url": note.get_absolute_url(),
        "images": [_image_parts(image) for image in note.images.all()],
        "hashtags": [
            {"name": tag.name, "display_name": tag.display_name, "url": tag.get_absolute_url()}
            for tag in note.hashtags.all()
        ],
        "mentions": [
            {"handle": user.handle, "display_name": user.display_name}
            for user in note.mentions.all()
        ],
    }


def _stamp(note: Note) -> str:
    return note.updated_at.isoformat() if note.updated_at else ""


def _prefetched(note: Note) -> bool:
    cached = getattr(note, "_prefetched_objects_cache", {})
    return all(name in cached for name in _RELATIONS)


def _parts_of(notes: list[Note]) -> dict[int, dict[str, Any]]:
    """Each note's relations: from its prefetch when the caller made one, else from the cache,
    else loaded (one prefetch for all the misses) and cached."""
    # A note still being processed changes its photos without a save of the note row; it is
    # read by its author only, and rarely: always loaded fresh.
    fresh_only = [n for n in notes if n.status != NoteStatus.PUBLISHED and not _prefetched(n)]
    if fresh_only:
        note_relations_prefetch(fresh_only)
    parts = {note.pk: _note_parts(note) for note in notes if _prefetched(note)}
    rest = [note for note in notes if note.pk not in parts]
    if not rest:
        return parts
    in_process = _LOCAL.get_many([note.pk for note in rest])
    shared = [note for note in rest if note.pk not in in_process]
    found = cache.get_many([note_parts_cache_key(note.pk) for note in shared]) if shared else {}
    missing = []
    for note in rest:
        entry = in_process.get(note.pk) or found.get(note_parts_cache_key(note.pk))
        if entry is not None and entry[0] == _stamp(note):
            parts[note.pk] = entry[1]
            if note.pk not in in_process:
                _LOCAL.set(note.pk, entry)
        else:
            missing.append(note)
    if missing:
        note_relations_prefetch(missing)
        fresh = {note.pk: _note_parts(note) for note in missing}
        cache.set_many(
            {
                note_parts_cache_key(note.pk): (_stamp(note), fresh[note.pk])
                for note in missing
                if note.pk is not None
            },
            NOTE_PARTS_TTL,
        )
        for note in missing:
            _LOCAL.set(note.pk, (_stamp(note), fresh[note.pk]))
        parts.update(fresh)
    return parts


def _absolute_urls(parts: dict[str, Any], absolute) -> dict[str, Any]:
    """The parts with absolute URLs, as new dicts: the cached ones are shared."""
    images = [
        {
            **image,
            "url": absolute(image["url"]) if image["url"] is not None else None,
            "grid_url": absolute(image["grid_url"]) if image["grid_url"] is not None else None,
        }
        for image in parts["images"]
    ]
    hashtags = [{**tag, "url": absolute(tag["url"])} for tag in parts["hashtags"]]
    return {
        "url": absolute(parts["url"]),
        "images": images,
        "hashtags": hashtags,
        "mentions": [dict(mention) for mention in parts["mentions"]],
    }


def _absolute_builder(request):
    """`request.build_absolute_uri`, with its usual case — a path starting with one slash,
    already URI-escaped as `reverse()` and storages give it — done by prefixing the scheme
    and host once (the same result, without parsing each URL)."""
    if request is None:
        return lambda url: url
    build = request.build_absolute_uri
    prefix = build("/")[:-1]

    def absolute(url: str) -> str:
        if url.startswith("/") and not url.startswith("//") and "/." not in url and url.isascii():
            return prefix + url
        return build(url)

    return absolute


def notes_json(notes: Iterable[Note], *, request=None) -> list[dict[str, Any]]:
    """The API's JSON of each note (the `NoteSerializer` shape) as `request.user` sees it.

    Each note needs its `author` loaded (select_related) and, for the flags, the
    `viewer_liked`/`viewer_collected` annotations of `notes_annotate_viewer` (false without).
    URLs are absolute when a request is given, like DRF's.
    """
    notes = list(notes)
    parts = _parts_of(notes)
    absolute = _absolute_builder(request)
    viewer_id = request.user.pk if request is not None else None
    return [_note_json(note, parts[note.pk], absolute, viewer_id) for note in notes]


def _note_json(note: Note, parts: dict, absolute, viewer_id: int | None) -> dict[str, Any]:
    author = note.author
    relations = _absolute_urls(parts, absolute)
    return {
        "id": note.pk,
        "url": relations["url"],
        "title": note.title,
        "body": note.body,
        "author": {
            "handle": author.handle,
            "display_name": author.display_name,
            "avatar_url": absolute(author.avatar.url) if author.avatar else None,
        },
        "images": relations["images"],
        "hashtags": relations["hashtags"],
        "mentions": relations["mentions"],
        "language": note.language,
        "visibility": note.visibility,
        "location": note.location,
        "status": note.status,
        # Why publishing failed is for the author only.
        "failure_reason": (
            note.failure_reason if viewer_id is not None and viewer_id == note.author_id else None
        ),
        "like_count": note.like_count,
        "collect_count": note.collect_count,
        "comment_count": note.comment_count,
        "liked": bool(getattr(note, "viewer_liked", False)),
        "collected": bool(getattr(note, "viewer_collected", False)),
        "created_at": _DATETIME.to_representation(note.created_at),
        "published_at": _DATETIME.to_representation(note.published_at)
        if note.published_at
        else None,
    }
