"""allauth adapter: our rules for handles and addresses, passwords through our service, and
account e-mails branded and in the recipient's language."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ValidationError as FormValidationError
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rednote.throttling import client_address
from rednote.web import is_safe_redirect

from .models import User, handle_normalize
from .selectors import inactive_account_message
from .services import email_check, handle_validate, password_set

SITE_NAME = "RedNote"


@dataclass(frozen=True)
class _Site:
    """What e-mail templates call `current_site`: our name and public address, not the host
    the request happened to reach (allauth's fallback without django.contrib.sites)."""

    name: str
    domain: str


def _site() -> _Site:
    return _Site(name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def _recipient_language(email: str, context: dict) -> str:
    """The language to write to `email` in: its account's interface language if it chose one,
    else the language of the request that caused the mail (the person at the keyboard)."""
    user = context.get("user")
    if not isinstance(user, User):
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else User.objects.filter(email__iexact=email).first()
    if user is not None and user.ui_language:
        return user.ui_language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth checks uniqueness before clean_username sees the handle; say it our way.
        "username_taken": _("This handle is already taken."),
    }

    def is_safe_url(self, url: str) -> bool:
        """A `next` after logging in, signing up or out: the site's one test
        (`rednote.web.is_safe_redirect`), not allauth's wider one (any host in ALLOWED_HOSTS)."""
        return is_safe_redirect(allauth_context.request, url)

    def get_client_ip(self, request) -> str:
        """The address allauth's rate limits count by and sessions record: the site's one
        reading of it (`rednote.throttling.client_address`, TRUSTED_PROXY_COUNT), the same as
        the API's throttles and the page limits."""
        address = client_address(request)
        if not address:
            raise PermissionDenied(_("Unable to determine the client's address."))
        return address

    def clean_username(self, username, shallow=False):
        # Normalised first, so allauth's checks (the model's pattern) see what we store.
        username = super().clean_username(handle_normalize(username), shallow=shallow)
        if shallow:
            return username
        try:
            return handle_validate(username)
        except ValidationError as exc:
            raise FormValidationError(exc.message_dict["handle"]) from exc

    def clean_email(self, email: str) -> str:
        try:
            email = email_check(email)
        except ValidationError as exc:
            raise FormValidationError(exc.message_dict["email"]) from exc
        return super().clean_email(email)

    def respond_user_inactive(self, request, user):
        # The password matched an inactive account: say why (suspended, and until when; or
        # closed: it no longer exists) rather than allauth's bare "inactive" page (the person
        # is not signed in). A closed account's password is unusable, so this is reached only
        # if one was set on it after closing.
        return TemplateResponse(
            request,
            "account/account_inactive.html",
            {"suspension_message": inactive_account_message(user=user)},
            status=403,
        )

    def set_password(self, user, password: str) -> None:
        # Password change, reset and set all come here: the service also revokes API tokens.
        password_set(user=user, password=password)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # The account is known here: pass it on so the mail is in its owner's language.
        super().send_notification_mail(
            template_prefix, user, context={"user": user, **(context or {})}, email=email
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "current_site": _site(), "site_url": settings.SITE_URL}
        with translation.override(_recipient_language(email, context)):
            super().send_mail(template_prefix, email, context)
