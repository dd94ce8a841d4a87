"""Accounts themselves: handles and e-mail addresses at the door, creation, passwords, API
tokens and suspension."""

import unicodedata
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from rednote.events import send_on_commit

from .. import events
from ..authentication import token_user_forget
from ..models import (
    HANDLE_MAX_LENGTH,
    HANDLE_MIN_LENGTH,
    User,
    handle_length_message,
    handle_normalize,
    handle_validator,
)
from ..sessions import sessions_end

# --- Handles and e-mail addresses ---------------------------------------------------------


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control character (NUL, tab, newline, escape...)."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def handle_validate(handle: str, *, exclude_user_id: int | None = None) -> str:
    """Return the normalised handle; raise ValidationError if unusable or taken."""
    handle = handle_normalize(handle)
    if not handle:
        raise ValidationError({"handle": [_("Choose a handle.")]})
    if has_control_characters(handle):
        raise ValidationError({"handle": [_("Remove the control characters from this field.")]})
    if not HANDLE_MIN_LENGTH <= len(handle) <= HANDLE_MAX_LENGTH:
        raise ValidationError({"handle": [str(handle_length_message())]})
    try:
        handle_validator(handle)
    except ValidationError as exc:
        raise ValidationError({"handle": exc.messages}) from exc
    if handle.casefold() in settings.HANDLE_RESERVED:
        raise ValidationError({"handle": [_("This handle is reserved.")]})
    taken = User.objects.by_handle(handle)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise ValidationError({"handle": [_("This handle is already taken.")]})
    return handle


def email_normalize(email: str) -> str:
    return unicodedata.normalize("NFC", (email or "").strip())


def email_check(email: str) -> str:
    """Return the normalised address if it is well-formed (whether taken or not)."""
    email = email_normalize(email)
    if has_control_characters(email):
        raise ValidationError({"email": [_("Remove the control characters from this field.")]})
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from exc
    return email


def email_taken(email: str, *, exclude_user_id: int | None = None) -> bool:
    """Whether another account already has this address, in any case."""
    taken = EmailAddress.objects.filter(email__iexact=email)
    users = User.objects.filter(email__iexact=email)
    if exclude_user_id is not None:
        taken = taken.exclude(user_id=exclude_user_id)
        users = users.exclude(pk=exclude_user_id)
    return taken.exists() or users.exists()


def email_validate(email: str, *, exclude_user_id: int | None = None) -> str:
    """Return the normalised address; raise ValidationError if malformed or taken."""
    email = email_check(email)
    if email_taken(email, exclude_user_id=exclude_user_id):
        raise ValidationError({"email": [_("A user with this e-mail address already exists.")]})
    return email


# --- Creating an account ------------------------------------------------------------------


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

    Validates every field first and reports all problems at once. Two sign-ups racing for
    the same handle or address (in any case) cannot both succeed: the database refuses the
    second, which is reported like any taken handle or address.
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
    full_clean(user, exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=email_verified
            )
    except IntegrityError as exc:  # a concurrent sign-up took the handle or the address
        if email_taken(email):
            raise ValidationError(
                {"email": [_("A user with this e-mail address already exists.")]}
            ) from exc
        raise ValidationError({"handle": [_("This handle is already taken.")]}) from exc
    return user


def full_clean(user: User, *, exclude=None) -> None:
    """`user.full_clean()` with the any-case constraints' errors on their fields."""
    try:
        user.full_clean(exclude=exclude, validate_constraints=True)
    except ValidationError as exc:
        errors = exc.message_dict
        # Functional constraints (Lower(...)) are reported under __all__; put each message on
        # the field it is about.
        email_message = _("A user with this e-mail address already exists.")
        for message in errors.pop(NON_FIELD_ERRORS, []):
            field = "email" if message == email_message else "handle"
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors) from exc


# --- Passwords and API tokens -------------------------------------------------------------


@transaction.atomic
def password_set(*, user: User, password: str) -> User:
    """Give the account a new password (changed, reset or set): every API token is revoked,
    as Django's session hash already ends the other browser sessions. The caller has checked
    the password against the rules (allauth's forms do)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    auth_tokens_revoke(user=user)
    return user


def auth_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens; returns how many there were."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


def auth_token_obtain(*, user: User) -> Token:
    """The user's API token (DRF authtoken, one per user), created on first sign-in."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


# --- Activity -----------------------------------------------------------------------------

# `User.last_active_at` is written at most this often per person.
ACTIVITY_RESOLUTION = timedelta(hours=1)


def user_seen(*, user: User) -> bool:
    """Record that `user` is using the site, at most once an hour: no query at all when the
    loaded row says they were seen within the hour, else one filtered UPDATE (so concurrent
    requests write once). Updates `user.last_active_at`; returns whether it wrote.

    Home feeds are pushed only to people seen recently (feeds.fanout). An API token's user is
    a cached copy of the row (`accounts.authentication`), which an UPDATE does not reach: it is
    dropped here, so the next request reads the fresh row instead of writing again on every
    request until the copy expires."""
    now = timezone.now()
    seen = user.last_active_at
    if seen is not None and now - seen < ACTIVITY_RESOLUTION:
        return False
    stale = Q(last_active_at__isnull=True) | Q(last_active_at__lt=now - ACTIVITY_RESOLUTION)
    written = User.objects.filter(stale, pk=user.pk).update(last_active_at=now)
    user.last_active_at = now
    token_user_forget(user_id=user.pk)
    return bool(written)


# --- Moderation ---------------------------------------------------------------------------


@transaction.atomic
def user_suspend(*, user: User, until: datetime | None = None) -> User:
    """Suspend an account (moderation) until `until`, or for good when None: it cannot sign
    in, every session and API token it has ends at once, and its content is hidden everywhere
    (`user_suspended` tells the feeds to take it out). Suspending a suspended account only
    moves the end of its suspension. Refuses (ValidationError on "user") a closed account:
    the caller locks the row (`select_for_update`) so a closing cannot slip in between."""
    if user.is_closed:
        raise ValidationError({"user": [_("This account was closed; it cannot be suspended.")]})
    was_active = user.is_active
    user.is_active = False
    user.suspended_until = until
    user.save(update_fields=["is_active", "suspended_until"])
    sessions_end(user_id=user.pk)
    auth_tokens_revoke(user=user)
    if was_active:
        send_on_commit(events.user_suspended, sender=User, user_id=user.pk)
    return user


@transaction.atomic
def user_unsuspend(*, user: User) -> User:
    """Lift a suspension (moderation): the account works again and its notes are shown again;
    `user_unsuspended` tells the feeds to bring them back (`user_suspend` took them out).

    A closed account is never reactivated: refused (ValidationError on "user"), whatever the
    state of its suspension. The caller locks the row (`select_for_update`), so a closing
    that commits first is seen here and one that comes later finds the account active."""
    if user.is_closed:
        raise ValidationError({"user": [_("This account was closed; it cannot be reinstated.")]})
    was_active = user.is_active
    user.is_active = True
    user.suspended_until = None
    user.save(update_fields=["is_active", "suspended_until"])
    if not was_active:
        send_on_commit(events.user_unsuspended, sender=User, user_id=user.pk)
    return user


def suspensions_due(*, now: datetime | None = None):
    """Suspended accounts whose suspension has run out (`suspended_until` passed); never a
    closed account (`UserQuerySet.suspended`), whose suspension is not lifted but erased."""
    return User.objects.suspended().filter(
        suspended_until__isnull=False, suspended_until__lte=now or timezone.now()
    )
