"""Writes for notes: uploads, posting, editing, withdrawing, likes, collections and boards.

Each function validates its input and raises `ValidationError` keyed by field (the form and the
API show the same messages); nothing is stored on error. Events and tasks go out after commit.
"""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from rednote.events import send_on_commit
from rednote.images import DECODE_ERRORS, image_inspect
from rednote.tasks import enqueue_on_commit

from . import events
from .imaging import image_renditions_create
from .models import (
    ALT_TEXT_MAX_LENGTH,
    BODY_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    MAX_IMAGES,
    TITLE_MAX_LENGTH,
    Board,
    BoardNote,
    Hashtag,
    ImageStatus,
    Note,
    NoteImage,
    NoteLike,
    NoteStatus,
    RenditionKind,
    Visibility,
)
from .parsing import hashtags_parse, mentions_parse

logger = logging.getLogger(__name__)

MAX_PENDING_UPLOADS = 60
BOARD_NAME_MAX_LENGTH = 50
MAX_BOARDS = 200


# --- Uploads ------------------------------------------------------------------------------


def media_upload(*, owner: User, file, alt_text: str = "") -> NoteImage:
    """Check an uploaded photo and keep its original privately, for a note to come.

    The file is refused in the request — a ValidationError on "file" naming the problem, and
    nothing stored — unless its content (never its name or declared type) is a JPEG, PNG, WebP
    or GIF within the size and pixel limits that decodes cleanly (`image_inspect`).
    """
    alt_text = (alt_text or "").strip()
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"alt_text": [_("Alt text has at most %(n)s characters.") % {"n": ALT_TEXT_MAX_LENGTH}]}
        )
    if file is None:
        raise ValidationError({"file": [_("Choose a photo to upload.")]})
    pending = NoteImage.objects.filter(owner=owner, note__isnull=True).count()
    if pending >= MAX_PENDING_UPLOADS:
        raise ValidationError(
            {"file": [_("Too many photos uploaded without a note; post or wait a day.")]}
        )
    try:
        info = image_inspect(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[info.format]
    image = NoteImage(
        owner=owner,
        alt_text=alt_text,
        original_format=info.format,
        original_width=info.width,
        original_height=info.height,
        original_size=info.size,
    )
    file.seek(0)
    image.original.save(
        f"originals/{owner.pk}/{uuid.uuid4().hex}.{extension}",
        file if isinstance(file, File) else File(file),
        save=False,
    )
    try:
        image.save()
    except Exception:
        image.original.storage.delete(image.original.name)
        raise
    return image


# --- Posting and editing ------------------------------------------------------------------


def _clean_text_fields(*, title: str, body: str, location: str, visibility: str) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    location = (location or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            _("The title has %(n)s characters; at most %(max)s are allowed.")
            % {"n": len(title), "max": TITLE_MAX_LENGTH}
        ]
    if len(body) > BODY_MAX_LENGTH:
        errors["body"] = [
            _("The text has %(n)s characters; at most %(max)s are allowed.")
            % {"n": len(body), "max": BODY_MAX_LENGTH}
        ]
    if len(location) > LOCATION_MAX_LENGTH:
        errors["location"] = [
            _("The location has at most %(max)s characters.") % {"max": LOCATION_MAX_LENGTH}
        ]
    if visibility not in Visibility.values:
        errors["visibility"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Visibility.values)}
        ]
    if not title and not body:
        errors["title"] = [*errors.get("title", []), _("Give the note a title or some text.")]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "location": location, "visibility": visibility}


def _tags_and_mentions_set(note: Note) -> None:
    tags = hashtags_parse(note.title, note.body)
    existing = {t.name: t for t in Hashtag.objects.filter(name__in=list(tags))}
    for name, display in tags.items():
        if name not in existing:
            try:
                with transaction.atomic():
                    existing[name] = Hashtag.objects.create(name=name, display_name=display)
            except IntegrityError:  # created concurrently by another note
                existing[name] = Hashtag.objects.get(name=name)
    note.hashtags.set([existing[name] for name in tags])

    handles = mentions_parse(note.title, note.body)
    users = []
    if handles:
        any_handle = Q()
        for handle in handles:
            any_handle |= Q(handle__iexact=handle)
        by_handle = {u.handle.lower(): u for u in User.objects.active().filter(any_handle)}
        users = [by_handle[h.lower()] for h in handles if h.lower() in by_handle]
    note.mentions.set(users)


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
        fields = _clean_text_fields(
            title=title, body=body, location=location, visibility=visibility
        )
    except ValidationError as exc:  # reported with the photos' problems, all at once
        errors.update(exc.message_dict)
    ids = list(media_ids or [])
    if not ids:
        errors["media_ids"] = [_("Add at least one photo.")]
    elif len(ids) > MAX_IMAGES:
        errors["media_ids"] = [
            ngettext(
                "A note has at most %(n)s photo.", "A note has at most %(n)s photos.", MAX_IMAGES
            )
            % {"n": MAX_IMAGES}
        ]
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
        if len((text or "").strip()) > ALT_TEXT_MAX_LENGTH:
            errors["alt_texts"] = [
                _("Alt text has at most %(n)s characters.") % {"n": ALT_TEXT_MAX_LENGTH}
            ]
    if language and language not in settings.CONTENT_LANGUAGES and language != "mixed":
        errors["language"] = [_("Unknown language.")]
    if errors:
        raise ValidationError(errors)

    note = Note.objects.create(author=author, language=language, **fields)
    for position, image_id in enumerate(ids):
        image = images[image_id]
        image.note = note
        image.position = position
        if alt_texts and image_id in alt_texts:
            image.alt_text = (alt_texts[image_id] or "").strip()
        image.save(update_fields=["note", "position", "alt_text"])
    _tags_and_mentions_set(note)

    from .tasks import note_image_process_task

    for image_id in ids:
        enqueue_on_commit(note_image_process_task, image_id=image_id)  # routed to "images"
    return note


@transaction.atomic
def note_update(
    *,
    note: Note,
    title: str | None = None,
    body: str | None = None,
    visibility: str | None = None,
    location: str | None = None,
) -> Note:
    """Edit a note's text, tags, visibility or location (photos stay as posted)."""
    fields = _clean_text_fields(
        title=note.title if title is None else title,
        body=note.body if body is None else body,
        location=note.location if location is None else location,
        visibility=note.visibility if visibility is None else visibility,
    )
    narrowed = fields["visibility"] != note.visibility and fields["visibility"] != "public"
    for name, value in fields.items():
        setattr(note, name, value)
    note.save(update_fields=[*fields, "updated_at"])
    _tags_and_mentions_set(note)
    if narrowed and note.status == NoteStatus.PUBLISHED:
        # Fewer people may see it now: feeds drop it and re-add it where still allowed.
        send_on_commit(
            events.note_withdrawn, sender=Note, note_id=note.pk, author_id=note.author_id
        )
        send_on_commit(
            events.note_published, sender=Note, note_id=note.pk, author_id=note.author_id
        )
    return note


def _files_of(note: Note) -> list[tuple[object, str]]:
    """Every file of the note's photos, renditions by their fixed names: a worker may be
    writing them right now, before the row records them."""
    files = []
    for image in note.images.all():
        names = {image.original.name, image.display.name, image.grid.name}
        names.update(image.rendition_name(kind) for kind in RenditionKind.values)
        files.extend((image.original.storage, name) for name in sorted(names) if name)
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
    note_id, author_id, was_published = note.pk, note.author_id, note.status == "published"
    note.delete()
    if was_published:
        send_on_commit(events.note_withdrawn, sender=Note, note_id=note_id, author_id=author_id)
    transaction.on_commit(lambda: _files_delete(files))


@transaction.atomic
def note_hide(*, target: Note) -> Note:
    """Moderation: take a note out of every page, feed and search at once."""
    updated = Note.objects.filter(pk=target.pk, is_hidden=False).update(is_hidden=True)
    target.is_hidden = True
    if updated:
        send_on_commit(
            events.note_withdrawn, sender=Note, note_id=target.pk, author_id=target.author_id
        )
    return target


@transaction.atomic
def note_unhide(*, target: Note) -> Note:
    updated = Note.objects.filter(pk=target.pk, is_hidden=True).update(is_hidden=False)
    target.is_hidden = False
    if updated and target.status == NoteStatus.PUBLISHED:
        send_on_commit(
            events.note_published, sender=Note, note_id=target.pk, author_id=target.author_id
        )
    return target


def note_moderation_delete(*, target: Note) -> None:
    note_delete(note=target)


# --- Image processing (called by the worker) ----------------------------------------------


def note_image_process(*, image: NoteImage) -> NoteImage:
    """Make the web renditions of one photo, then publish its note if all its photos are ready.

    Safe to run twice, even at once (delivery is at-least-once): output names are deterministic,
    the row is locked while they are written, and a photo no longer pending is left as it is.
    A photo that cannot be processed marks the photo and its note failed, with a reason the
    author sees; nothing is raised and nothing is retried — a damaged file stays damaged.
    """
    if image.status != ImageStatus.PENDING:
        if image.status == ImageStatus.READY:
            _note_publish_if_ready(note_id=image.note_id)
        return image
    try:
        with image.original.open("rb") as source:
            result = image_renditions_create(source)
    except FileNotFoundError:
        logger.warning("image %s: the original %s is missing", image.pk, image.original.name)
        reason = gettext_lazy("The uploaded file is missing; please upload the photo again.")
        _image_fail(image=image, reason=reason)
        return image
    except DECODE_ERRORS as exc:
        logger.warning("image %s: cannot decode %s: %r", image.pk, image.original.name, exc)
        reason = gettext_lazy(
            "The file could not be read as an image; it may be damaged. Please upload it again."
        )
        _image_fail(image=image, reason=reason)
        return image
    except Exception:  # a decoder bug, the time limit...: recorded, never a retry loop
        logger.exception("image %s: processing failed", image.pk)
        reason = gettext_lazy("This photo could not be processed; please upload it again.")
        _image_fail(image=image, reason=reason)
        return image

    with transaction.atomic():
        locked = NoteImage.objects.select_for_update().filter(pk=image.pk)
        status = locked.values_list("status", flat=True).first()
        if status is None:  # deleted with its note meanwhile
            return image
        if status != ImageStatus.PENDING:  # another run finished first
            image.refresh_from_db()
        else:
            for kind, rendition in (
                (RenditionKind.DISPLAY, result.display),
                (RenditionKind.GRID, result.grid),
            ):
                field = getattr(image, kind)
                name = image.rendition_name(kind)
                field.storage.delete(name)  # a rerun replaces the file, never piles up copies
                field.name = field.storage.save(name, ContentFile(rendition.data))
            image.width, image.height = result.display.width, result.display.height
            image.grid_width, image.grid_height = result.grid.width, result.grid.height
            image.placeholder_color = result.placeholder_color
            image.status = ImageStatus.READY
            image.failure_reason = ""
            image.processed_at = timezone.now()
            image.save(
                update_fields=[
                    "display",
                    "grid",
                    "width",
                    "height",
                    "grid_width",
                    "grid_height",
                    "placeholder_color",
                    "status",
                    "failure_reason",
                    "processed_at",
                ]
            )
    if image.status == ImageStatus.READY:
        _note_publish_if_ready(note_id=image.note_id)
    return image


@transaction.atomic
def _image_fail(*, image: NoteImage, reason) -> None:
    """Mark a pending photo failed, and its note if still processing, with `reason` (a lazy
    string) written in the author's interface language."""
    language = (
        User.objects.filter(pk=image.owner_id).values_list("ui_language", flat=True).first()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        image_reason = str(reason)
        note_reason = _("Photo %(n)s could not be processed: %(reason)s") % {
            "n": image.position + 1,
            "reason": image_reason,
        }
    failed = NoteImage.objects.filter(pk=image.pk, status=ImageStatus.PENDING).update(
        status=ImageStatus.FAILED, failure_reason=image_reason[:300]
    )
    if not failed:  # gone, or finished by another run meanwhile
        return
    image.status, image.failure_reason = ImageStatus.FAILED, image_reason[:300]
    if image.note_id:
        Note.objects.filter(pk=image.note_id, status=NoteStatus.PROCESSING).update(
            status=NoteStatus.FAILED, failure_reason=note_reason[:300]
        )


@transaction.atomic
def _note_publish_if_ready(*, note_id: int | None) -> None:
    """Publish the note once every photo is ready; exactly once, whoever calls last."""
    if note_id is None:
        return
    # Lock the note so the last two images finishing at once publish it exactly once.
    note = Note.objects.select_for_update().filter(pk=note_id).first()
    if note is None or note.status != NoteStatus.PROCESSING:
        return
    statuses = set(note.images.values_list("status", flat=True))
    if statuses != {ImageStatus.READY}:
        return
    note.status = NoteStatus.PUBLISHED
    # A publication time set in advance is kept (the demo seed backdates its notes).
    note.published_at = note.published_at or timezone.now()
    note.failure_reason = ""
    note.save(update_fields=["status", "published_at", "failure_reason", "updated_at"])
    send_on_commit(events.note_published, sender=Note, note_id=note.pk, author_id=note.author_id)


# --- Likes --------------------------------------------------------------------------------


@transaction.atomic
def note_like(*, user: User, note: Note) -> bool:
    """Like a note; liking twice is one like. Returns whether a like was added."""
    _, created = NoteLike.objects.get_or_create(user=user, note=note)
    if created:
        Note.objects.filter(pk=note.pk).update(like_count=F("like_count") + 1)
    return created


@transaction.atomic
def note_unlike(*, user: User, note: Note) -> bool:
    deleted, _rows = NoteLike.objects.filter(user=user, note=note).delete()
    if deleted:
        Note.objects.filter(pk=note.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return bool(deleted)


# --- Boards and collecting ----------------------------------------------------------------


def board_get_or_create_saved(*, owner: User) -> Board:
    """The owner's default board, "Saved", created on first use."""
    board = Board.objects.filter(owner=owner, is_default=True).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            return Board.objects.create(
                owner=owner, name=_("Saved"), is_default=True, is_private=True
            )
    except IntegrityError:  # created concurrently, or a board is already called "Saved"
        board = Board.objects.filter(owner=owner, is_default=True).first()
        if board is not None:
            return board
        return Board.objects.create(
            owner=owner, name=f"{_('Saved')} ★", is_default=True, is_private=True
        )


def _board_clean(*, owner: User, name: str, description: str, exclude_id: int | None = None):
    name = (name or "").strip()
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the board a name.")]
    elif len(name) > BOARD_NAME_MAX_LENGTH:
        errors["name"] = [
            _("A board name has at most %(n)s characters.") % {"n": BOARD_NAME_MAX_LENGTH}
        ]
    else:
        taken = Board.objects.filter(owner=owner, name__iexact=name)
        if exclude_id:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors["name"] = [_("You already have a board with this name.")]
    if len(description) > 200:
        errors["description"] = [_("A description has at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    return name, description


@transaction.atomic
def board_create(
    *, owner: User, name: str, description: str = "", is_private: bool = False
) -> Board:
    name, description = _board_clean(owner=owner, name=name, description=description)
    if Board.objects.filter(owner=owner).count() >= MAX_BOARDS:
        raise ValidationError({"name": [_("You have reached the number of boards allowed.")]})
    board_get_or_create_saved(owner=owner)
    return Board.objects.create(
        owner=owner, name=name, description=description, is_private=bool(is_private)
    )


@transaction.atomic
def board_update(
    *,
    board: Board,
    name: str | None = None,
    description: str | None = None,
    is_private: bool | None = None,
) -> Board:
    name, description = _board_clean(
        owner=board.owner,
        name=board.name if name is None else name,
        description=board.description if description is None else description,
        exclude_id=board.pk,
    )
    if board.is_default and name != board.name:
        raise ValidationError({"name": [_("The Saved board cannot be renamed.")]})
    board.name, board.description = name, description
    if is_private is not None:
        board.is_private = bool(is_private)
    board.save()
    return board


@transaction.atomic
def board_delete(*, board: Board) -> None:
    """Delete a board; notes collected only there are no longer collected."""
    if board.is_default:
        raise ValidationError({"board": [_("The Saved board cannot be deleted.")]})
    note_ids = list(board.entries.values_list("note_id", flat=True))
    owner = board.owner
    board.delete()
    still = set(
        BoardNote.objects.filter(board__owner=owner, note_id__in=note_ids).values_list(
            "note_id", flat=True
        )
    )
    gone = [n for n in note_ids if n not in still]
    if gone:
        Note.objects.filter(pk__in=gone, collect_count__gt=0).update(
            collect_count=F("collect_count") - 1
        )


def _lock_note(note: Note) -> None:
    # Serialises collects of one note so "first board of this user" is decided once.
    Note.objects.select_for_update().filter(pk=note.pk).values_list("pk", flat=True).first()


@transaction.atomic
def note_collect(*, user: User, note: Note, board: Board | None = None) -> BoardNote:
    """Collect a note into one of the user's boards ("Saved" by default). Idempotent.

    `collect_count` counts people: it rises on a person's first board holding the note.
    """
    if board is None:
        board = board_get_or_create_saved(owner=user)
    elif board.owner_id != user.pk:
        raise ValidationError({"board": [_("Unknown board.")]})
    _lock_note(note)
    already = BoardNote.objects.filter(board__owner=user, note=note).exists()
    entry, created = BoardNote.objects.get_or_create(board=board, note=note)
    if created and not already:
        Note.objects.filter(pk=note.pk).update(collect_count=F("collect_count") + 1)
    return entry


@transaction.atomic
def note_uncollect(*, user: User, note: Note, board: Board | None = None) -> bool:
    """Remove a note from one board, or from all the user's boards when `board` is None."""
    if board is not None and board.owner_id != user.pk:
        raise ValidationError({"board": [_("Unknown board.")]})
    _lock_note(note)
    entries = BoardNote.objects.filter(board__owner=user, note=note)
    if board is not None:
        entries = entries.filter(board=board)
    deleted, _rows = entries.delete()
    if deleted and not BoardNote.objects.filter(board__owner=user, note=note).exists():
        Note.objects.filter(pk=note.pk, collect_count__gt=0).update(
            collect_count=F("collect_count") - 1
        )
    return bool(deleted)
