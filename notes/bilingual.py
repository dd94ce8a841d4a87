"""The bilingual view of notes and comments: which texts a reader gets translated, into what,
and their translations — for the note page, its comment fragments and the translation API.

`translations` knows texts and languages, not notes; this module hands it a note's title and
body (parts "title" and "body") or a comment's text (part ""), their language, whether they are
private (a note, and so its comments, that is not public: only a self-hosted provider may see
it) and the note or comment itself, whose community translation replaces the machine one.

Which texts: one whose language is not among the reader's (`User.reads`; for a visitor, or
someone who said nothing, the interface language's). A mixed text counts by its main language,
stored with it when it was saved (`language_main`); a text of unknown language gets no
translation, nor does a Chinese text in the script the reader does not read: it is shown
converted to theirs (`notes.reading`). Into what: the reader's first language, or the API's `lang`.

What a page shows at once: translations ready without a provider call (community, cached);
with auto-translate the rest are asked for right after the page loads (one request for the
note, one batched request for the thread), otherwise each gets a "Translate" button. Visitors'
pages are cached for every visitor of an interface language (`rednote.pagecache`), so what they
see depends on nothing but the language and the shared caches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from rednote.languages import content_languages_for_ui
from rednote.pagecache import scope_bump
from rednote.throttling import POLL_PARAMETER, client_ident
from translations.bilingual import (
    machine_translation_configured,
    translation_label,
    translations_ready_many,
)
from translations.detection import MIXED, language_detect
from translations.models import CommunityTranslation
from translations.reading import aids_for
from translations.services import (
    Reason,
    TranslationRequest,
    TranslationResult,
    translation_feedback_record,
    translations_get_many,
)

from . import comments_selectors
from .models import Comment, Note, Visibility
from .page_scopes import note_scope

# The most comments one "translate thread" request takes (a page of the thread with its
# previews is at most 20 + 40).
THREAD_TRANSLATION_MAX = 100


@dataclass(frozen=True)
class Reader:
    """Who reads, what they read as is, into which language they get translations, whether
    they asked for them at once, and how a visitor's quota is counted."""

    user: object
    reads: tuple[str, ...]
    target: str
    auto: bool = False
    visitor: str | None = None

    @property
    def is_visitor(self) -> bool:
        return not getattr(self.user, "is_authenticated", False)


def ui_content_languages() -> list[str]:
    return content_languages_for_ui(get_language() or settings.LANGUAGE_CODE)


def reader_get(request: HttpRequest, *, target: str | None = None) -> Reader:
    """The reader of `request`: a signed-in person's languages and auto-translate setting, a
    visitor's interface language (nothing else, so a cached visitor page fits every visitor)."""
    user = request.user
    ui = ui_content_languages()
    if user.is_authenticated:
        reads = list(user.reads) or ui
        auto = bool(user.auto_translate)
        visitor = None
    else:
        reads, auto = ui, False
        # Counted by address, as every rate limit counts visitors (TRUSTED_PROXY_COUNT).
        visitor = client_ident(request) or None
    reads = reads or list(settings.CONTENT_LANGUAGES[:1])
    return Reader(
        user=user, reads=tuple(reads), target=target or reads[0], auto=auto, visitor=visitor
    )


def reading_language(language: str, text: str, main: str | None = None) -> str:
    """The language a text counts as for "do I read it": its own, or a mixed text's main one
    ("" when unknown): the stored `main` (`language_main`) when given, else detected again."""
    if language == MIXED:
        if main is not None:
            return main
        return language_detect(text).main or ""
    return language or ""


def text_needs_translation(
    reader: Reader, language: str, text: str, main: str | None = None
) -> bool:
    """Whether `reader` gets `text` (in `language`, with main language `main` as stored;
    None to detect it again) translated. A Chinese text in the other script than the reader's
    is read through its script conversion (`translations.reading.aids_for`), not translated."""
    if not (text or "").strip() or not language:
        return False
    found = reading_language(language, text, main) if language == MIXED else language
    if not found:
        return True  # a mixed text of unknown main language
    if found in reader.reads:
        return False
    return (
        aids_for(language=found, reads=reader.reads, learning=(), enabled=False).convert_to is None
    )


def note_is_private(note: Note) -> bool:
    return note.visibility != Visibility.PUBLIC


def note_requests(note: Note) -> list[TranslationRequest]:
    """The note's texts to translate: its title and its body (the empty ones too: they answer
    "nothing to translate" and are left out of what is shown)."""
    private = note_is_private(note)
    return [
        TranslationRequest(
            text=note.title, source=note.language, private=private, content=note, part="title"
        ),
        TranslationRequest(
            text=note.body, source=note.language, private=private, content=note, part="body"
        ),
    ]


def comment_request(comment: Comment, note: Note) -> TranslationRequest:
    return TranslationRequest(
        text=comment.body,
        source=comment.language,
        private=note_is_private(note),
        content=comment,
    )


# --- What the page shows -----------------------------------------------------------------------
class Show:
    """How a bilingual block starts out on a page (`notes/_translation.html`)."""

    READY = "ready"  # its translation, at once
    LOAD = "load"  # asked for as soon as the page is there (auto-translate)
    BUTTON = "button"  # a "Translate" button
    PENDING = "pending"  # being made: the fragment asks again shortly
    UNAVAILABLE = "unavailable"  # a sentence saying why
    NOT_SET_UP = "not_set_up"  # no provider and no community translation


@dataclass(frozen=True)
class _Part:
    """A translation result with the part of the content it translates."""

    result: TranslationResult
    part: str

    def __getattr__(self, name):
        return getattr(self.result, name)


@dataclass
class Bilingual:
    """The translation block of a note (`parts`: title, body) or a comment (one part)."""

    kind: str  # "note" | "comment"
    object_id: int
    target: str
    show: str
    parts: list[_Part] = field(default_factory=list)  # the translations shown
    detail: str = ""
    #: A LOAD block asks for itself, unless the page's "Translate thread" asks for it with the
    #: others in one batch (the thread's first page, with auto-translate).
    batched: bool = False

    @property
    def dom_id(self) -> str:
        return f"translation-{self.kind}-{self.object_id}"

    @property
    def url(self) -> str:
        name = "notes:note_translation" if self.kind == "note" else "notes:comment_translation"
        return f"{reverse(name, args=[self.object_id])}?lang={self.target}"

    @property
    def poll_url(self) -> str:
        """Where a pending block asks again how its translation is going: only reads, and
        counts in the generous `translation_polls` rate scope (`rednote.throttling.is_poll`),
        so waiting for a slow provider spends none of the reader's `translations` budget."""
        return f"{self.url}&{POLL_PARAMETER}=1"

    @property
    def labels(self) -> list[str]:
        return list(
            dict.fromkeys(translation_label(part.result) for part in self.parts if part.is_done)
        )

    @property
    def community(self) -> bool:
        return any(part.kind == "community" for part in self.parts if part.is_done)


def _block(
    kind: str,
    object_id: int,
    reader: Reader,
    results: Sequence[TranslationResult | None],
    parts: Sequence[str],
    *,
    ready_only: bool,
    configured: bool,
) -> Bilingual:
    done = [_Part(r, p) for r, p in zip(results, parts, strict=True) if r is not None and r.is_done]
    done = [p for p in done if p.text]
    if ready_only:
        if done:
            show = Show.READY
        elif not configured:
            show = Show.NOT_SET_UP
        else:
            show = Show.LOAD if reader.auto else Show.BUTTON
        return Bilingual(kind, object_id, reader.target, show, done)
    return Bilingual(kind, object_id, reader.target, *_state(results, done))


def _state(
    results: Sequence[TranslationResult | None], done: list[_Part]
) -> tuple[str, list[_Part], str]:
    """The state of a block from the service's answers (each text's): any being made → pending;
    anything translated → ready; else unavailable with the first reason worth telling."""
    answered = [r for r in results if r is not None and r.reason != Reason.EMPTY]
    if any(r.is_pending for r in answered):
        return Show.PENDING, done, ""
    if done:
        return Show.READY, done, ""
    for result in answered:
        if result.is_unavailable:
            if result.reason == Reason.NOT_CONFIGURED:
                return Show.NOT_SET_UP, [], result.detail
            return Show.UNAVAILABLE, [], result.detail
    return Show.UNAVAILABLE, [], ""


def page_bilingual_attach(
    reader: Reader,
    *,
    note: Note | None,
    comments: Iterable[Comment],
    thread_note: Note,
    batched: bool = False,
) -> bool:
    """Give `note` (when given) and each of `comments` (all under `thread_note`) a `bilingual`
    block when the reader does not read its language (else None): what is ready at once,
    otherwise a button or, with auto-translate, a block that asks at once (with `batched`, the
    comments' blocks leave that to the thread's "Translate thread", one request for them all).
    Two queries for the whole page (the community translations and the cache), whatever the
    number of comments. Returns whether some comment waits for that batch."""
    comments = list(comments)
    requests: list[TranslationRequest] = []
    slots: list[tuple[Note | Comment, str, int, list[str], int]] = []
    if note is not None:
        note.bilingual = None  # type: ignore[attr-defined]
        if text_needs_translation(
            reader, note.language, f"{note.title}\n{note.body}", note.language_main
        ):
            slots.append((note, "note", len(requests), ["title", "body"], 2))
            requests.extend(note_requests(note))
    for comment in comments:
        comment.bilingual = None  # type: ignore[attr-defined]
        if text_needs_translation(reader, comment.language, comment.body, comment.language_main):
            slots.append((comment, "comment", len(requests), [""], 1))
            requests.append(comment_request(comment, thread_note))
    if not requests:
        return False
    waiting = False
    configured = machine_translation_configured()
    ready = translations_ready_many(requests=requests, target=reader.target)
    for obj, kind, start, parts, count in slots:
        block = _block(
            kind,
            obj.pk,
            reader,
            ready[start : start + count],
            parts,
            ready_only=True,
            configured=configured,
        )
        if kind == "comment" and batched and block.show == Show.LOAD:
            block.batched = waiting = True
        setattr(obj, "bilingual", block)  # noqa: B010 - a page attribute, not a field
    return waiting


# --- Translating on request (the buttons, auto-translate, the API) ------------------------------
def note_translate(*, reader: Reader, note: Note, poll: bool = False) -> list[TranslationResult]:
    """The note's title and body in `reader.target` (the caller checked that the reader may see
    the note): one batch, so at most one provider call. `poll`: only how a translation already
    asked for is going (`translations_get_many`), never a provider call."""
    return translations_get_many(
        requests=note_requests(note),
        target=reader.target,
        user=_user(reader),
        visitor=reader.visitor,
        poll=poll,
    )


def comments_translate(
    *, reader: Reader, note: Note, comments: Sequence[Comment], poll: bool = False
) -> list[TranslationResult]:
    """`comments` (shown under `note`, which the caller checked the reader may see) in
    `reader.target`, in order: one batch, one task and one provider call per batch of the
    texts not translated yet (none with `poll`)."""
    return translations_get_many(
        requests=[comment_request(comment, note) for comment in comments],
        target=reader.target,
        user=_user(reader),
        visitor=reader.visitor,
        poll=poll,
    )


def note_block(*, reader: Reader, note: Note, poll: bool = False) -> Bilingual:
    results = note_translate(reader=reader, note=note, poll=poll)
    return _block(
        "note", note.pk, reader, results, ["title", "body"], ready_only=False, configured=True
    )


def comment_blocks(
    *, reader: Reader, note: Note, comments: Sequence[Comment], poll: bool = False
) -> list[Bilingual]:
    results = comments_translate(reader=reader, note=note, comments=comments, poll=poll)
    return [
        _block("comment", c.pk, reader, [r], [""], ready_only=False, configured=True)
        for c, r in zip(comments, results, strict=True)
    ]


def _user(reader: Reader):
    return reader.user if not reader.is_visitor else None


def thread_comments_get(*, viewer, note: Note, ids: Sequence[int]) -> list[Comment]:
    """The comments `ids` of `note` that `viewer` may see (others are left out, saying nothing
    of them), at most THREAD_TRANSLATION_MAX; without `ids`, the thread's first page as the
    thread API shows it (top-level comments and their first replies). In page order."""
    if not ids:
        page = comments_selectors.note_thread(viewer=viewer, note=note)
        shown = [c for top in page.comments for c in (top, *top.previews)]  # type: ignore[attr-defined]
        return shown[:THREAD_TRANSLATION_MAX]
    wanted = list(dict.fromkeys(ids))[:THREAD_TRANSLATION_MAX]
    found = {
        c.pk: c
        for c in comments_selectors.comments_shown(viewer=viewer).filter(
            note_id=note.pk, pk__in=wanted
        )
    }
    return [found[i] for i in wanted if i in found]


def translation_feedback(*, reader: Reader, content: Note | Comment, note: Note, kind: str):
    """A reader's "bad translation" or "wrong language" report on a note or comment they may
    see: recorded for moderators (`translations.services.translation_feedback_record`, which
    drops a bad machine translation from the cache); a wrong language is detected again and
    stored, and the note's visitor page made fresh."""
    if isinstance(content, Note):
        text = f"{content.title}\n{content.body}".strip()
        requests = note_requests(content)[1:]  # the body: what a bad translation is mostly of
    else:
        text = content.body
        requests = [comment_request(content, note)]
    # What the reader was shown (a community translation is recorded as such, and leaves the
    # machine cache alone).
    shown = translations_ready_many(requests=requests, target=reader.target)[0]
    outcome = translation_feedback_record(
        user=reader.user,  # type: ignore[arg-type]
        content=content,
        kind=kind,
        text=text,
        source=content.language,
        target=reader.target,
        shown=shown,
    )
    detection = outcome.detection
    if detection is not None and detection.stored and detection.stored != content.language:
        changes: dict[str, object] = {
            "language": detection.stored,
            "language_main": detection.stored_main,
        }
        if isinstance(content, Note):
            # The note's cached JSON and card are stamped with `updated_at`: move it.
            changes["updated_at"] = timezone.now()
        type(content).objects.filter(pk=content.pk).update(**changes)
        content.language, content.language_main = detection.stored, detection.stored_main
    scope_bump(note_scope(note.pk))
    return outcome


def community_suggestion_get(*, suggestion_id: int) -> tuple[CommunityTranslation, str]:
    """A shown community translation of a note or a comment, with the kind of its target
    ("note" or "comment"); 404 for anything else. Whether the reader may see the target is
    the caller's check (the note's and comment's permission-checked getters)."""
    suggestion = get_object_or_404(CommunityTranslation, pk=suggestion_id, is_hidden=False)
    model = ContentType.objects.get_for_id(suggestion.content_type_id).model_class()
    kind = {Note: "note", Comment: "comment"}.get(model) if model is not None else None
    if kind is None:
        raise Http404
    return suggestion, kind
