"""The API's sign-up and sign-in flows, on allauth's machinery so that they follow the same
rules as the web forms: the same rate limits, the same e-mails and the same enumeration
prevention. They take the request because allauth counts attempts and builds links per
request; everything else is keyword arguments."""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from ..models import User
from ..selectors import inactive_account_message
from .users import auth_token_obtain, email_check, email_taken, user_create


class SignInThrottled(Exception):
    """Too many failed sign-ins for this login (allauth's `login_failed` limit)."""


def _verification_mandatory() -> bool:
    return allauth_settings.EMAIL_VERIFICATION == allauth_settings.EmailVerificationMethod.MANDATORY


def _hides_existing_accounts() -> bool:
    """allauth's rule for its sign-up form: with enumeration prevention on and verification
    mandatory, a used address is not reported; its owner is e-mailed instead."""
    return bool(allauth_settings.PREVENT_ENUMERATION) and _verification_mandatory()


def _address_in_use(email: str) -> str | None:
    """The normalised address if it is well-formed and some account has it, else None."""
    try:
        email = email_check(email)
    except ValidationError:
        return None
    return email if email_taken(email) else None


def account_signup(
    *,
    request: HttpRequest,
    handle: str,
    email: str,
    password: str,
    **profile,
) -> User | None:
    """Sign up through the API: create the account and e-mail its confirmation link.

    Every problem is reported at once by field (ValidationError), except an address that
    already has an account when allauth hides that (see `_hides_existing_accounts`): then
    nothing is created, the address's owner gets allauth's "account already exists" e-mail,
    and None is returned, so the caller answers exactly as for a new account.
    """
    try:
        user = user_create(handle=handle, email=email, password=password, **profile)
    except ValidationError as exc:
        errors = exc.message_dict
        used = _address_in_use(email) if "email" in errors else None
        if used is None or not _hides_existing_accounts():
            raise
        del errors["email"]
        if errors:
            raise ValidationError(errors) from exc
        # An unsaved address without a user: allauth sends "account already exists" to it,
        # within the same rate limit as a real confirmation.
        send_verification_email_to_address(request, EmailAddress(email=used), signup=True)
        return None
    if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.NONE:
        address = EmailAddress.objects.get_primary(user)
        send_verification_email_to_address(request, address, signup=True)
    return user


def auth_token_sign_in(*, request: HttpRequest, login: str, password: str) -> Token:
    """Exchange a handle (any case, with or without @) or e-mail address and a password for
    the account's API token.

    Credentials are checked through allauth, so its failed-login limits count API attempts
    too (SignInThrottled when exceeded). When verification is mandatory an unconfirmed
    address is refused and its link sent again, as allauth's login does.
    """
    identifier = login.strip().removeprefix("@")
    try:
        # Returns an inactive account too when its password matched, so we can say why.
        user = get_adapter(request).authenticate(request, username=identifier, password=password)
    except ValidationError as exc:  # allauth's "too many failed login attempts"
        raise SignInThrottled(exc.messages[0]) from exc
    if user is None:
        raise ValidationError(_("Unable to sign in with this handle or e-mail and password."))
    if not user.is_active:
        raise ValidationError(inactive_account_message(user=user))
    if _verification_mandatory():
        email = identifier if "@" in identifier else None
        if not has_verified_email(user, email):
            send_verification_email_for_user(request, user)
            message = _(
                "Confirm your e-mail address before signing in: follow the link we sent you."
            )
            raise ValidationError({"email": [message]})
    return auth_token_obtain(user=user)
