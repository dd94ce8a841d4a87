"""Image processing, called by the worker: renditions, failure, publication."""

import logging
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from rednote.images import DECODE_ERRORS

from ..imaging import image_renditions_create
from ..models import ImageStatus, Note, NoteImage, NoteStatus, RenditionKind
from .circulation import note_in_circulation, note_tag_links_follow, published_send
from .screening import note_held_on_ready

logger = logging.getLogger(__name__)

# Runs of the image task a photo may take; the run after the last one fails the photo.
MAX_PROCESSING_ATTEMPTS = 3


def note_image_process(*, image: NoteImage) -> NoteImage:
    """Make the web renditions of one photo, then publish its note if all its photos are ready.

    Safe to run twice, even at once (delivery is at-least-once): output names are deterministic,
    the row is locked while they are written, and a photo no longer pending is left as it is.
    A photo that cannot be processed marks the photo and its note failed, with a reason the
    author sees; nothing is raised and nothing is retried — a damaged file stays damaged.

    A photo that kills its worker (out of memory, a decoder crash) leaves no exception to catch,
    and Celery hands the message to another worker. So each run counts itself on the row before
    decoding; past `MAX_PROCESSING_ATTEMPTS` runs the photo and its note fail instead. Call it
    outside a transaction (as the task does), so the count is committed before the decode.
    """
    if image.status != ImageStatus.PENDING:
        if image.status == ImageStatus.READY:
            _note_publish_if_ready(note_id=image.note_id)
        return image
    attempts = _attempt_count(image=image)
    if attempts is None:  # gone, or finished by another run meanwhile
        fresh = NoteImage.objects.filter(pk=image.pk).first()
        if fresh is not None and fresh.status == ImageStatus.READY:
            _note_publish_if_ready(note_id=fresh.note_id)
        return fresh or image
    if attempts > MAX_PROCESSING_ATTEMPTS:
        logger.error(
            "image %s: given up after %s runs that did not finish (the worker was lost)",
            image.pk,
            attempts - 1,
        )
        reason = gettext_lazy("This photo could not be processed; please upload it again.")
        _image_fail(image=image, reason=reason)
        return image
    try:
        with image.original.open("rb") as source:
            result = image_renditions_create(cast(BinaryIO, source))
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


def _attempt_count(*, image: NoteImage) -> int | None:
    """Count one more run on a pending photo and return the count (committed at once outside
    a transaction); None when the photo is gone or no longer pending."""
    pending = NoteImage.objects.filter(pk=image.pk, status=ImageStatus.PENDING)
    if not pending.update(processing_attempts=F("processing_attempts") + 1):
        return None
    image.processing_attempts = pending.values_list("processing_attempts", flat=True).first() or 0
    return image.processing_attempts


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
        failed_note = Note.objects.filter(pk=image.note_id, status=NoteStatus.PROCESSING).update(
            status=NoteStatus.FAILED, failure_reason=note_reason[:300]
        )
        if failed_note:
            note_tag_links_follow(note_id=image.note_id)


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
    if note_held_on_ready(note):  # a keyword rule held it: published once approved
        note.status, note.failure_reason = NoteStatus.HELD, ""
        note.save(update_fields=["status", "failure_reason", "updated_at"])
        note_tag_links_follow(note_id=note.pk)
        return
    note.status = NoteStatus.PUBLISHED
    # A publication time set in advance is kept (the demo seed backdates its notes).
    note.published_at = note.published_at or timezone.now()
    note.failure_reason = ""
    note.save(update_fields=["status", "published_at", "failure_reason", "updated_at"])
    note_tag_links_follow(note_id=note.pk)
    # A private note reaches no one but its author: no event.
    if note_in_circulation(
        status=note.status, is_hidden=note.is_hidden, visibility=note.visibility
    ):
        published_send(note=note, mentions=True)
