"""Posting, editing and withdrawing notes."""

import logging
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from moderation.services.holds import holds_forget
from rednote.tasks import enqueue_on_commit
from translations.detection import language_detect, stored_languages

from ..limits import (
    BODY_LENGTH,
    LOCATION_LENGTH,
    TITLE_LENGTH,
    length_problems,
    photo_count_problem,
)
from ..models import (
    Comment,
    Note,
    NoteImage,
    RenditionKind,
    Visibility,
)
from ..search import note_search_document_update
from .circulation import (
    edit_send,
    note_in_circulation,
    note_tag_links_follow,
    published_send,
    withdrawn_send,
)
from .screening import (
    note_awaiting_review,
    note_hold,
    text_screen,
    translation_screen_enqueue,
)
from .tagging import (
    alt_text_problems,
    note_text_problems,
    tags_and_mentions_set,
)

logger = logging.getLogger(__name__)

# Enqueued by name: the task module imports services, never the other way round.
IMAGE_PROCESS_TASK = "notes.image_process"

# The author's choice of language: "auto" (or empty) lets `language_detect` decide.
AUTO_LANGUAGE = "auto"


def note_language_problems(language: str | None) -> list[str]:
    if language in (None, "", AUTO_LANGUAGE, "mixed") or language in settings.CONTENT_LANGUAGES:
        return []
    return [_("Unknown language.")]


def note_language_detect(*, title: str, body: str) -> str:
    """What a note's `language` stores when the author leaves it to detection: a code of
    CONTENT_LANGUAGES, "mixed", or "" when the text is too short to tell."""
    return language_detect(f"{title}\n{body}").stored


def note_languages(*, title: str, body: str, language: str) -> tuple[str, str]:
    """A note's `language` and `language_main`: detected for "auto" (or empty), else the
    author's choice, whose main language is itself (for "mixed": the one detected)."""
    given = "" if language == AUTO_LANGUAGE else language
    return stored_languages(f"{title}\n{body}", given)


def note_language_choice(note: Note) -> str:
    """The edit form's language: "auto" when the stored one is what detection gives for the
    note's text (so new text is detected again), else the language the author chose."""
    detected = note_language_detect(title=note.title, body=note.body)
    return AUTO_LANGUAGE if note.language == detected else note.language


def note_text_clean(*, title: str, body: str, location: str, visibility: str) -> dict:
    """A note's text fields stripped and checked (`notes.limits`); ValidationError by field."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    location = (location or "").strip()
    for name, validator, value in (
        ("title", TITLE_LENGTH, title),
        ("body", BODY_LENGTH, body),
        ("location", LOCATION_LENGTH, location),
    ):
        problems = length_problems(validator, value)
        if problems:
            errors[name] = problems
    if visibility not in Visibility.values:
        errors["visibility"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Visibility.values)}
        ]
    if not title and not body:
        errors["title"] = [*errors.get("title", []), _("Give the note a title or some text.")]
    for name, problems in note_text_problems(title=title, body=body, location=location).items():
        errors[name] = [*errors.get(name, []), *problems]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "location": location, "visibility": visibility}


@transaction.atomic
def note_create(
    *,
    author: User,
    media_ids: list[int],
    title: str = "",
    body: str = "",
    visibility: str = Visibility.PUBLIC,
    location: str = "",
    language: str = "",
    alt_texts: dict[int, str] | None = None,
) -> Note:
    """Post a note with 1–18 of the author's uploaded photos, in the order given.

    The note starts as `processing`; image processing is enqueued after commit and the note
    is published when every image is ready.
    """
    errors: dict[str, list[str]] = {}
    try:
        fields = note_text_clean(title=title, body=body, location=location, visibility=visibility)
    except ValidationError as exc:  # reported with the photos' problems, all at once
        errors.update(exc.message_dict)
    ids = list(media_ids or [])
    count_problem = photo_count_problem(len(ids))
    if count_problem:
        errors["media_ids"] = [count_problem]
    elif len(set(ids)) != len(ids):
        errors["media_ids"] = [_("Each photo may appear once.")]
    images: dict[int, NoteImage] = {}
    if "media_ids" not in errors:
        images = {
            img.pk: img
            for img in NoteImage.objects.select_for_update().filter(
                pk__in=ids, owner=author, note__isnull=True
            )
        }
        missing = [i for i in ids if i not in images]
        if missing:
            errors["media_ids"] = [
                _("Unknown or already used photo: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            ]
    for text in (alt_texts or {}).values():
        text = (text or "").strip()
        problems = alt_text_problems(text)
        if problems:
            errors["alt_texts"] = problems
    if note_language_problems(language):
        errors["language"] = note_language_problems(language)
    if errors:
        raise ValidationError(errors)

    language, language_main = note_languages(
        title=fields["title"], body=fields["body"], language=language or ""
    )
    # Keyword rules: a refusing one raises here (nothing stored, the photos stay unattached);
    # a holding one holds the note (`held` instead of `published` once its photos are ready).
    screen = text_screen(
        texts={"title": fields["title"], "body": fields["body"]}, language=language
    )
    note = Note.objects.create(
        author=author, language=language, language_main=language_main, **fields
    )
    for position, image_id in enumerate(ids):
        image = images[image_id]
        image.note = note
        image.position = position
        if alt_texts and image_id in alt_texts:
            image.alt_text = (alt_texts[image_id] or "").strip()
        image.save(update_fields=["note", "position", "alt_text"])
    # Held: the people it mentions are recorded, and told, once it is approved.
    tags_and_mentions_set(note, held=screen.holds)
    note_search_document_update(note)

    if screen.holds and screen.match is not None:
        note_hold(note=note, match=screen.match)
    else:
        translation_screen_enqueue(kind="note", target_id=note.pk, language=language)
    for image_id in ids:
        enqueue_on_commit(IMAGE_PROCESS_TASK, image_id=image_id)  # routed to "images"
    return note


@transaction.atomic
def note_update(
    *,
    note: Note,
    title: str | None = None,
    body: str | None = None,
    visibility: str | None = None,
    location: str | None = None,
    language: str | None = None,
) -> Note:
    """Edit a note's text, tags, visibility, location or language (photos stay as posted).

    `language` "auto" detects it from the text; a code (or "mixed") is the author's
    correction; None keeps the author's correction, or detects the new text again when the
    language was detected before (`note_language_choice`).

    A published note's readers are told what changed (`circulation.edit_send`): widening its
    visibility publishes it, narrowing withdraws it, a hashtag added to a public note publishes
    it again (the tag's followers get it), and newly mentioned people are announced.
    """
    fields = note_text_clean(
        title=note.title if title is None else title,
        body=note.body if body is None else body,
        location=note.location if location is None else location,
        visibility=note.visibility if visibility is None else visibility,
    )
    problems = note_language_problems(language)
    if problems:
        raise ValidationError({"language": problems})
    if language is None:
        language = note_language_choice(note)
    language, language_main = note_languages(
        title=fields["title"], body=fields["body"], language=language
    )
    # Keyword rules screen a changed text as a new one (a refusal stores nothing).
    text_changed = (fields["title"], fields["body"]) != (note.title, note.body)
    screen = (
        text_screen(texts={"title": fields["title"], "body": fields["body"]}, language=language)
        if text_changed
        else None
    )
    # Locked, so two edits (or an edit and the publication) compare against the stored state.
    current = _lock(note)
    if current is None:
        raise Note.DoesNotExist
    for name, value in fields.items():
        setattr(note, name, value)
    note.language, note.language_main = language, language_main
    note.status, note.is_hidden = current["status"], current["is_hidden"]
    note.save(update_fields=[*fields, "language", "language_main", "updated_at"])
    old_tag_ids = set(note.hashtags.values_list("pk", flat=True))
    # A held edit, or any edit of a note waiting for review, leaves the people it newly
    # mentions to the approval (`screening.note_release`), which records and announces them.
    # A private note's mentions were never announced: approval announces them all.
    held = (screen is not None and screen.holds) or note_awaiting_review(note)
    announced = current["visibility"] != Visibility.PRIVATE
    new_mention_ids = tags_and_mentions_set(note, held=held, announced=announced)
    tags_added = bool(set(note.hashtags.values_list("pk", flat=True)) - old_tag_ids)
    if note.visibility != current["visibility"]:
        note_tag_links_follow(note_id=note.pk)
    note_search_document_update(note)
    if screen is not None and screen.holds and screen.match is not None:
        # Held: out of circulation until approved (which publishes it again). `note_hold`
        # withdraws it if its new visibility circulates; this covers a narrowing edit.
        now_circulating = note_in_circulation(
            status=current["status"], is_hidden=current["is_hidden"], visibility=note.visibility
        )
        if note_in_circulation(**current) and not now_circulating:
            withdrawn_send(note_id=note.pk, author_id=note.author_id, visibility=None)
        note_hold(note=note, match=screen.match)
        return note
    edit_send(
        note=note,
        old_visibility=current["visibility"],
        new_mention_ids=new_mention_ids,
        tags_added=tags_added,
    )
    if text_changed:
        translation_screen_enqueue(kind="note", target_id=note.pk, language=language)
    return note


def _files_of(note: Note) -> list[tuple[Storage, str]]:
    """Every file of the note's photos, renditions by their fixed names: a worker may be
    writing them right now, before the row records them."""
    files: list[tuple[Storage, str]] = []
    for image in note.images.all():
        stored = (image.original.name, image.display.name, image.grid.name)
        names = {name for name in stored if name}
        names.update(image.rendition_name(kind) for kind in RenditionKind.values)
        files.extend((image.original.storage, name) for name in sorted(names))
    return files


def _files_delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)


@transaction.atomic
def note_delete(*, note: Note) -> None:
    """Delete a note with its photos (files removed after commit)."""
    files = _files_of(note)
    note_id, author_id = note.pk, note.author_id
    current = _lock(note)
    hashtag_ids = sorted(note.hashtags.values_list("pk", flat=True))
    holds_forget(model=Note, ids=[note_id])  # its comments' too: they go with it
    holds_forget(model=Comment, ids=Comment.objects.filter(note_id=note_id).values("pk"))
    note.delete()
    if current and note_in_circulation(**current):
        withdrawn_send(
            note_id=note_id, author_id=author_id, visibility=None, hashtag_ids=hashtag_ids
        )
    transaction.on_commit(lambda: _files_delete(files))


@transaction.atomic
def note_hide(*, target: Note) -> Note:
    """Moderation: take a note out of every page, feed and search at once."""
    current = _lock(target)
    updated = Note.objects.filter(pk=target.pk, is_hidden=False).update(is_hidden=True)
    target.is_hidden = True
    if updated:
        note_tag_links_follow(note_id=target.pk)
    if updated and current and note_in_circulation(**current):
        withdrawn_send(note_id=target.pk, author_id=target.author_id, visibility=None)
    return target


@transaction.atomic
def note_unhide(*, target: Note) -> Note:
    """Moderation: put a hidden note back; it is published again unless it is private (its
    mentions were announced when it was first published)."""
    current = _lock(target)
    updated = Note.objects.filter(pk=target.pk, is_hidden=True).update(is_hidden=False)
    target.is_hidden = False
    if not (updated and current):
        return target
    note_tag_links_follow(note_id=target.pk)
    target.status, target.visibility = current["status"], current["visibility"]
    if note_in_circulation(status=target.status, is_hidden=False, visibility=target.visibility):
        published_send(note=target, mentions=False)
    return target


class _StoredState(TypedDict):
    visibility: str
    status: str
    is_hidden: bool


def _lock(note: Note) -> _StoredState | None:
    """Lock the note's row; its stored status, visibility and hidden flag (None if gone)."""
    stored = Note.objects.select_for_update().values("visibility", "status", "is_hidden")
    return stored.filter(pk=note.pk).first()


def note_moderation_delete(*, target: Note) -> None:
    note_delete(note=target)
