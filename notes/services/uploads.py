"""Photo uploads: a checked original kept privately until a note takes it."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.images import ImageInfo, image_inspect

from ..models import NoteImage
from .tagging import alt_text_problems

MAX_PENDING_UPLOADS = 60


def media_upload(*, owner: User, file, alt_text: str = "") -> NoteImage:
    """Check an uploaded photo and keep its original privately, for a note to come.

    The file is refused in the request — a ValidationError on "file" naming the problem, and
    nothing stored — unless its content (never its name or declared type) is a JPEG, PNG, WebP
    or GIF within the size and pixel limits that decodes cleanly (`image_inspect`, run once).
    """
    alt_text = (alt_text or "").strip()
    problems = alt_text_problems(alt_text)
    if problems:
        raise ValidationError({"alt_text": problems})
    if file is None:
        raise ValidationError({"file": [_("Choose a photo to upload.")]})
    media_pending_check(owner=owner)
    try:
        info = media_inspect(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return media_original_store(owner=owner, file=file, info=info, alt_text=alt_text)


def media_pending_check(*, owner: User, adding: int = 1) -> None:
    """Refuse (on "file") `adding` more photos when the owner would have too many uploaded
    photos that no note has taken yet."""
    pending = NoteImage.objects.filter(owner=owner, note__isnull=True).count()
    if pending + adding > MAX_PENDING_UPLOADS:
        raise ValidationError(
            {"file": [_("Too many photos uploaded without a note; post or wait a day.")]}
        )


def media_inspect(file) -> ImageInfo:
    """Check an upload's content and describe it; the one place an upload is decoded before it
    is stored. Raises ValidationError (no field) naming the problem."""
    return image_inspect(file)


def media_original_store(*, owner: User, file, info: ImageInfo, alt_text: str) -> NoteImage:
    """Keep an inspected photo's original privately, with its row (`alt_text` already
    checked). The caller must delete the file (`media_original_delete`) if the row is then
    rolled back."""
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
        media_original_delete(image=image)
        raise
    return image


def media_original_delete(*, image: NoteImage) -> None:
    """Remove the stored original of a photo whose row was not kept."""
    if image.original.name:
        image.original.storage.delete(image.original.name)
