"""A person's profile: its fields, avatar and interface language."""

import hashlib
import io
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from rednote.image_processing import image_open_for_processing
from rednote.images import image_inspect

from ..models import User
from .graph import follow_requests_accept_all
from .users import full_clean, handle_validate

AVATAR_SIZE = 400
PROFILE_FIELDS = (
    "handle",
    "display_name",
    "bio",
    "region",
    "languages",
    "read_languages",
    "ui_language",
    "likes_public",
    "auto_translate",
    "reading_aids",
    "learning_languages",
    "is_private",
)


@transaction.atomic
def profile_update(*, user: User, **fields) -> User:
    """Change profile fields (PROFILE_FIELDS); unknown fields are a ValidationError. Making a
    private account public accepts its pending follow requests."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed here.")] for f in unknown})
    was_private = False
    if "is_private" in fields:
        # Locks the row: a follow request being made now waits, then sees the new setting.
        was_private = bool(
            User.objects.select_for_update()
            .filter(pk=user.pk)
            .values_list("is_private", flat=True)
            .first()
        )
    if "handle" in fields:
        fields["handle"] = handle_validate(fields["handle"], exclude_user_id=user.pk)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    full_clean(user, exclude=["password", "avatar"])
    try:
        with transaction.atomic():
            user.save(update_fields=list(fields) or None)
    except IntegrityError as exc:  # a concurrent sign-up or rename took the handle
        raise ValidationError({"handle": [_("This handle is already taken.")]}) from exc
    if was_private and not user.is_private:
        follow_requests_accept_all(owner=user)
    return user


def avatar_set(*, user: User, file: BinaryIO) -> User:
    """Store a new avatar: checked, squared, re-encoded as WebP with no metadata."""
    try:
        image_inspect(file, max_bytes=settings.AVATAR_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"avatar": exc.messages}) from exc
    image = image_open_for_processing(file, target=(AVATAR_SIZE, AVATAR_SIZE))
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image from pixels only: no EXIF, ICC, XMP or comments survive the re-encode.
    image.save(out, "WEBP", quality=85, method=4)
    data = out.getvalue()
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.webp"
    old = user.avatar.name if user.avatar else None
    user.avatar.save(name, ContentFile(data), save=False)
    user.save(update_fields=["avatar"])
    if old and old != user.avatar.name:
        transaction.on_commit(lambda: user.avatar.storage.delete(old))
    return user


def avatar_clear(*, user: User) -> User:
    """Remove the avatar (initials on `avatar_color` show instead); the file goes after commit."""
    old = user.avatar.name if user.avatar else None
    if not old:
        return user
    storage = user.avatar.storage
    user.avatar = ""
    user.save(update_fields=["avatar"])
    transaction.on_commit(lambda: storage.delete(old))
    return user


def ui_language_set(*, user: User, language: str) -> User:
    """Remember the interface language ("" for the browser's) on the account."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language and language not in codes:
        raise ValidationError({"ui_language": [_("Unknown interface language.")]})
    if user.ui_language != language:
        user.ui_language = language
        user.save(update_fields=["ui_language"])
    return user
