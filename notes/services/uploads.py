"""Photo uploads: a checked original kept privately until a note takes it."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.images import image_inspect

from ..models import ALT_TEXT_MAX_LENGTH, NoteImage

MAX_PENDING_UPLOADS = 60


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
