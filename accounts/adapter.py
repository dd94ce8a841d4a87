from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormValidationError
from django.utils.translation import gettext_lazy as _

from .services import handle_validate


class AccountAdapter(DefaultAccountAdapter):
    """allauth adapter: handles follow our rules (format, reserved words, any-case unique)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth checks uniqueness before clean_username sees the handle; say it our way.
        "username_taken": _("This handle is already taken."),
    }

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if shallow:
            return username
        try:
            return handle_validate(username)
        except ValidationError as exc:
            raise FormValidationError(exc.message_dict["handle"]) from exc
