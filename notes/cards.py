"""Note cards for every grid, rendered once per (note, language, variant) and kept in the cache.

Rendering `notes/_card.html` (with its like button and the author's avatar) cost ~0.6 ms a
card, two thirds of a 20-card page. `note_cards_html` renders each card once and keeps the
HTML: a small per-process LRU in front of the shared cache, the whole page's misses fetched
with one `get_many` and stored with one `set_many`.

The key is content-addressed: it carries a digest of everything the card shows that can
change — the note's text (its headline), `updated_at` (moved by every save), status,
visibility, language and like count, the photos of a note not yet published (a published
note's stay as posted, and need not even be loaded for a card found in the cache), the
"other side" flag, the author's handle, display name, avatar and colour — with the interface
language, the URL prefix and the variant (signed out, signed in and liked, signed in and not
liked). So a like, an edit, a rename, a new avatar, a visibility change or a language switch
shows at once, without an event to invalidate anything, and an entry that is no longer asked
for simply expires (`CARD_TTL`). A digest of the card templates' source, of the code they
use and of the translation catalogues heads the key, so a deploy that changes any of them
never reads an old card.

What differs per request inside a card — the CSRF field and the `next` field of the like form
(the current path) — is rendered as a random marker and stored as a hole; the page's values are
rendered once (by the same template code the card uses) and filled in while the cards are
joined. A card whose output depends on the page beyond that (a board's "Remove" form for its
owner) is rendered plainly, never cached. The result is byte for byte what including
`notes/_card.html` for each note gives (tests compare the two for every variant).
"""

import hashlib
import importlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template import Context, Template, engines
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Note, NoteImage, NoteStatus

CARD_TEMPLATE = "notes/_card.html"
# Templates whose source shapes a card; their digest heads every key.
CAROUSEL_TEMPLATE = "notes/_carousel.html"
CARD_TEMPLATES = (
    CARD_TEMPLATE,
    "notes/_like_button.html",
    "accounts/_avatar.html",
    CAROUSEL_TEMPLATE,
)
# Code whose changes change a card: its template tags and filters, the models' properties
# and URLs it shows, the URL patterns, and this module.
CARD_MODULES = (
    "notes.cards",
    "notes.templatetags.notes_ui",
    "accounts.templatetags.profiles",
    # The models package and each of its modules (the package's file only imports them).
    "notes.models",
    "notes.models.notes",
    "notes.models.images",
    "notes.models.hashtags",
    "notes.models.boards",
    "notes.models.comments",
    "notes.models.search",
    "accounts.models",
    "rednote.urls",
    "notes.urls",
    "accounts.urls",
)
CARD_TTL = 3600
LOCAL_SIZE = 2000

# The holes: what the card template renders from the request, rendered here from the page's
# context exactly as the card renders it.
_HOLE_CSRF, _HOLE_NEXT = 1, 2
_NEXT_SOURCE = "{{ request.POST.next|default:request.get_full_path }}"
_next_template: Template | None = None

Parts = tuple[str | int, ...]  # text, with hole numbers where the request's values go


def _template(name: str) -> Template:
    """The compiled template (the Django engine's own, cached by its loaders)."""
    return engines["django"].engine.get_template(name)  # type: ignore[attr-defined]


class _SignedIn:
    """The viewer a cached card is rendered for: signed in or not, nobody in particular (a
    card that showed anything of the viewer beyond that would differ from the plain rendering
    in the tests)."""

    def __init__(self, authenticated: bool) -> None:
        self.is_authenticated = authenticated


class _MarkedRequest:
    """The request a cached card is rendered with: its path is the `next` hole's marker."""

    POST: dict = {}

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def get_full_path(self) -> str:
        return self.marker


class _LocalCards:
    """A small LRU of rendered cards in this process. Keys are content-addressed, so an entry
    never goes stale: it only stops being asked for."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Parts] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, Parts]:
        found = {}
        with self.lock:
            for key in keys:
                parts = self.entries.get(key)
                if parts is not None:
                    self.entries.move_to_end(key)
                    found[key] = parts
        return found

    def set_many(self, items: dict[str, Parts]) -> None:
        with self.lock:
            for key, parts in items.items():
                self.entries[key] = parts
                self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_LOCAL = _LocalCards(LOCAL_SIZE)
_version: str | None = None


def _templates_version() -> str:
    """A digest of the card templates' source, of the code they use and of the project's
    translation catalogues: what a deploy may change in a card without changing its note.
    Computed once per process; under DEBUG on every page, as the development server reloads
    templates and catalogues without restarting."""
    global _version
    if _version is None or settings.DEBUG:
        digest = hashlib.blake2b(digest_size=6)
        digest.update(django.get_version().encode())
        for name in CARD_TEMPLATES:
            digest.update(_template(name).source.encode())
        for module in CARD_MODULES:
            digest.update(Path(importlib.import_module(module).__file__ or "").read_bytes())
        for root in settings.LOCALE_PATHS:
            for catalogue in sorted(Path(root).glob("*/LC_MESSAGES/*.mo")):
                stat = catalogue.stat()
                digest.update(f"{catalogue}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        _version = digest.hexdigest()
    return _version


def _images_loaded(note: Note) -> bool:
    return "images" in getattr(note, "_prefetched_objects_cache", {})


def _images_load(notes: list[Note]) -> None:
    """The photos of those of `notes` that lack them, in order, in one query."""
    notes = [note for note in notes if not _images_loaded(note)]
    if notes:
        prefetch_related_objects(
            notes, Prefetch("images", queryset=NoteImage.objects.order_by("position"))
        )


def _card_key(note: Note, *, signed_in: bool, language: str, prefix: str) -> str:
    """The cache key of `note`'s card: a digest of every value the card shows.

    A published note's photos stay as posted (edits change text, tags and visibility only), so
    its key needs no photo: grids need not load them for a card found in the cache. A note
    not yet published has its photos loaded (`note_cards_html`), and they are in its key."""
    photos = None
    if note.status != NoteStatus.PUBLISHED:
        images = note.images.all()
        photos = [
            (
                image.pk,
                image.status,
                image.width,
                image.height,
                image.original_width,
                image.original_height,
                image.grid_width,
                image.grid_height,
                image.placeholder_color,
            )
            for image in images
        ]
    author = note.author
    liked = signed_in and bool(getattr(note, "viewer_liked", False))
    shown = (
        note.headline,
        note.updated_at.isoformat() if note.updated_at else "",
        note.status,
        note.visibility,
        note.language,
        note.like_count,
        bool(getattr(note, "other_side", False)),
        photos,
        author.pk,
        author.handle,
        author.display_name,
        author.avatar.name or "",
        author.avatar_color,
        signed_in,
        liked,
        language,
        prefix,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()
    return f"notes:card:{_templates_version()}:{note.pk}:{digest}"


def _render_parts(note: Note, *, signed_in: bool) -> Parts:
    """`note`'s card rendered with markers for the request's values, cut at the markers."""
    marker = secrets.token_hex(12)
    csrf_marker, next_marker = f"c{marker}", f"n{marker}"
    template = _template(CARD_TEMPLATE)
    html = template.render(
        Context(
            {
                "note": note,
                "user": _SignedIn(signed_in),
                "request": _MarkedRequest(next_marker),
                "csrf_token": csrf_marker,
            }
        )
    )
    csrf_field = CsrfTokenNode().render(Context({"csrf_token": csrf_marker}))
    parts: list[str | int] = []
    for i, piece in enumerate(html.split(csrf_field)):
        if i:
            parts.append(_HOLE_CSRF)
        for j, text in enumerate(piece.split(next_marker)):
            if j:
                parts.append(_HOLE_NEXT)
            parts.append(text)
    return tuple(parts)


def _plain_card(note: Note, context: Context) -> str:
    template = _template(CARD_TEMPLATE)
    with context.push(note=note):
        return template.render(context)


def note_cards_html(notes: Sequence[Note], context: Context) -> SafeString:
    """The cards of `notes`, joined, as `{% for note in notes %}{% include "notes/_card.html"
    %}{% endfor %}` renders them in `context` (which holds the page's `request`, `user` and
    `csrf_token`, and `board`/`is_owner` on a board page).

    Each note needs its author (select_related) and, for a signed-in viewer, `viewer_liked`.
    Its photos may come prefetched; if not, they are loaded in one query for the cards that
    miss the cache (and for notes not yet published), so a grid whose cards are cached reads
    no photos at all."""
    if not notes:
        return mark_safe("")  # noqa: S308 - nothing
    if context.get("board") and context.get("is_owner"):
        # The owner's board cards carry a "Remove" form for that board: rendered plainly.
        _images_load(list(notes))
        return mark_safe("".join(_plain_card(note, context) for note in notes))  # noqa: S308
    # A note not yet published changes its photos without a save of the note: they are in
    # its key, loaded now (only its author sees it, on their profile).
    _images_load([note for note in notes if note.status != NoteStatus.PUBLISHED])
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    language, prefix = get_language() or "", get_script_prefix()
    keys = [_card_key(n, signed_in=signed_in, language=language, prefix=prefix) for n in notes]
    found = _LOCAL.get_many(keys)
    wanted = [key for key in dict.fromkeys(keys) if key not in found]
    if wanted:
        shared = cache.get_many(wanted)
        if shared:
            _LOCAL.set_many(shared)
            found.update(shared)
        _images_load([note for note, key in zip(notes, keys, strict=True) if key not in found])
        fresh = {}
        for note, key in zip(notes, keys, strict=True):
            if key not in found:
                found[key] = fresh[key] = _render_parts(note, signed_in=signed_in)
        if fresh:
            cache.set_many(fresh, CARD_TTL)
            _LOCAL.set_many(fresh)
    holes: dict[int, str] = {}
    out: list[str] = []
    for key in keys:
        for part in found[key]:
            if isinstance(part, int):
                if part not in holes:
                    holes[part] = _hole_value(part, context)
                out.append(holes[part])
            else:
                out.append(part)
    return mark_safe("".join(out))  # noqa: S308 - templates' output and escaped values


def _hole_value(hole: int, context: Context) -> str:
    """What the card template renders at `hole` in the page's `context`."""
    global _next_template
    if hole == _HOLE_CSRF:
        return CsrfTokenNode().render(context)
    if _next_template is None:
        _next_template = Template(_NEXT_SOURCE)
    return _next_template.render(context)


def note_carousel_html(images: Sequence[NoteImage]) -> SafeString:
    """The note page's photo carousel (`notes/_carousel.html` for `images`, in order), rendered
    once per language and set of photos: its key is a digest of every photo field it shows
    (the page has the photos loaded anyway), so a photo still being processed shows as it is
    now."""
    shown = [
        (
            image.pk,
            image.note_id,
            image.status,
            image.width,
            image.height,
            image.original_width,
            image.original_height,
            image.alt_text,
            image.placeholder_color,
        )
        for image in images
    ]
    digest = hashlib.blake2b(
        repr((shown, get_language() or "", get_script_prefix())).encode(), digest_size=12
    ).hexdigest()
    key = f"notes:carousel:{_templates_version()}:{digest}"
    parts = _LOCAL.get_many([key]).get(key) or cache.get(key)
    if parts is None:
        parts = (_template(CAROUSEL_TEMPLATE).render(Context({"images": list(images)})),)
        cache.set(key, parts, CARD_TTL)
    _LOCAL.set_many({key: parts})
    return mark_safe(str(parts[0]))  # noqa: S308 - the template's output


def note_cards_forget_local() -> None:
    """Empty this process's LRU (tests that count renderings)."""
    _LOCAL.clear()
