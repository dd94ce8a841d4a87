"""Writes for accounts: sign-up, profiles, avatars and the social graph.

Every function validates its input and raises `django.core.exceptions.ValidationError` keyed
by field, so the HTML forms and the API report the same errors; nothing is stored on error.
Events (accounts/events.py) are sent after commit.
"""

import hashlib
import io

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from rest_framework.authtoken.models import Token

from rednote.events import send_on_commit
from rednote.images import image_inspect, image_open_for_processing

from . import events
from .models import HANDLE_MAX_LENGTH, Block, Follow, Mute, User, handle_validator

AVATAR_SIZE = 400
PROFILE_FIELDS = (
    "handle",
    "display_name",
    "bio",
    "region",
    "languages",
    "read_languages",
    "ui_language",
)


# --- Handles, e-mail, sign-up -------------------------------------------------------------


def handle_validate(handle: str, *, exclude_user_id: int | None = None) -> str:
    """Return the handle stripped of a leading @; raise ValidationError if unusable or taken."""
    handle = (handle or "").strip().removeprefix("@")
    if not handle:
        raise ValidationError({"handle": [_("Choose a handle.")]})
    if len(handle) < 2 or len(handle) > HANDLE_MAX_LENGTH:
        raise ValidationError(
            {"handle": [_("A handle has 2 to %(max)s characters.") % {"max": HANDLE_MAX_LENGTH}]}
        )
    try:
        handle_validator(handle)
    except ValidationError as exc:
        raise ValidationError({"handle": exc.messages}) from exc
    if handle.lower() in settings.HANDLE_RESERVED:
        raise ValidationError({"handle": [_("This handle is reserved.")]})
    taken = User.objects.by_handle(handle)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise ValidationError({"handle": [_("This handle is already taken.")]})
    return handle


def email_validate(email: str, *, exclude_user_id: int | None = None) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from exc
    taken = EmailAddress.objects.filter(email__iexact=email)
    users = User.objects.filter(email__iexact=email)
    if exclude_user_id is not None:
        taken = taken.exclude(user_id=exclude_user_id)
        users = users.exclude(pk=exclude_user_id)
    if taken.exists() or users.exists():
        raise ValidationError({"email": [_("A user with this e-mail address already exists.")]})
    return email


def user_create(
    *,
    handle: str,
    email: str,
    password: str,
    display_name: str = "",
    languages: list[str] | None = None,
    read_languages: list[str] | None = None,
    email_verified: bool = False,
    **profile,
) -> User:
    """Create an account with its (unverified unless told) primary e-mail address.

    Validates every field first and reports all problems at once.
    """
    errors: dict[str, list[str]] = {}
    try:
        handle = handle_validate(handle)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        email = email_validate(email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    candidate = User(handle=handle, email=email, display_name=display_name)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    user = User(
        handle=handle,
        email=email,
        display_name=display_name,
        languages=languages or [],
        read_languages=read_languages or [],
        **profile,
    )
    user.set_password(password)
    _full_clean(user, exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=email_verified
            )
    except IntegrityError as exc:  # a concurrent sign-up took the handle or address
        raise ValidationError({"handle": [_("This handle is already taken.")]}) from exc
    return user


def _full_clean(user: User, *, exclude=None) -> None:
    try:
        user.full_clean(exclude=exclude, validate_constraints=True)
    except ValidationError as exc:
        errors = exc.message_dict
        # The any-case handle constraint is functional (Lower), which Django reports under
        # __all__; it is the model's only one, and a handle taken since handle_validate().
        if NON_FIELD_ERRORS in errors:
            errors.setdefault("handle", []).extend(errors.pop(NON_FIELD_ERRORS))
        raise ValidationError(errors) from exc


# --- Profile ------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user: User, **fields) -> User:
    """Change profile fields (PROFILE_FIELDS); unknown fields are a ValidationError."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed here.")] for f in unknown})
    if "handle" in fields:
        fields["handle"] = handle_validate(fields["handle"], exclude_user_id=user.pk)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    _full_clean(user, exclude=["password", "avatar"])
    try:
        with transaction.atomic():
            user.save(update_fields=list(fields) or None)
    except IntegrityError as exc:  # a concurrent sign-up or rename took the handle
        raise ValidationError({"handle": [_("This handle is already taken.")]}) from exc
    return user


def avatar_set(*, user: User, file) -> User:
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
    if user.avatar:
        old = user.avatar.name
        storage = user.avatar.storage
        user.avatar = ""
        user.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(old))
    return user


def ui_language_set(*, user: User, language: str) -> User:
    codes = {code for code, _name in settings.LANGUAGES}
    if language and language not in codes:
        raise ValidationError({"ui_language": [_("Unknown interface language.")]})
    if user.ui_language != language:
        user.ui_language = language
        user.save(update_fields=["ui_language"])
    return user


# --- Social graph -------------------------------------------------------------------------


def _is_blocked_between(a: User, b: User) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow someone; following twice is one follow. Self-follows and blocks are refused."""
    if follower.pk == followee.pk:
        raise ValidationError({"followee": [_("You cannot follow yourself.")]})
    if _is_blocked_between(follower, followee):
        raise ValidationError({"followee": [_("You cannot follow this user.")]})
    follow, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    if created:
        send_on_commit(
            events.follow_changed,
            sender=Follow,
            follower_id=follower.pk,
            followee_id=followee.pk,
            following=True,
        )
    return follow


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop following; returns whether a follow existed."""
    deleted, _rows = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        send_on_commit(
            events.follow_changed,
            sender=Follow,
            follower_id=follower.pk,
            followee_id=followee.pk,
            following=False,
        )
    return bool(deleted)


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block someone: removes follows both ways and prevents new ones. Idempotent."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": [_("You cannot block yourself.")]})
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        follow_delete(follower=blocker, followee=blocked)
        follow_delete(follower=blocked, followee=blocker)
        send_on_commit(
            events.user_blocked, sender=Block, blocker_id=blocker.pk, blocked_id=blocked.pk
        )
    return block


@transaction.atomic
def block_delete(*, blocker: User, blocked: User) -> bool:
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


@transaction.atomic
def mute_create(*, muter: User, muted: User) -> Mute:
    """Mute someone: their content leaves your feeds; they are not told. Idempotent."""
    if muter.pk == muted.pk:
        raise ValidationError({"muted": [_("You cannot mute yourself.")]})
    mute, _created = Mute.objects.get_or_create(muter=muter, muted=muted)
    return mute


@transaction.atomic
def mute_delete(*, muter: User, muted: User) -> bool:
    deleted, _rows = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)


@transaction.atomic
def user_suspend(*, user: User) -> User:
    """Deactivate an account (moderation); its sessions and tokens stop working."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        send_on_commit(events.user_suspended, sender=User, user_id=user.pk)
    return user


# --- API tokens ---------------------------------------------------------------------------


def auth_token_obtain(*, user: User) -> Token:
    """The user's API token (DRF authtoken, one per user), created on first sign-in."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
