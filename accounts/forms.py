"""HTML forms for accounts. They check shapes only; the rules live in accounts.services."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from rednote.images import ACCEPTED_FORMATS
from rednote.languages import content_language_choices

from .models import HANDLE_MAX_LENGTH, User


def ui_language_choices() -> list[tuple[str, str]]:
    """Automatic first, then each interface language in its own name (简体中文)."""
    return [("", _("Automatic (browser)"))] + [
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    ]


class ProfileForm(forms.Form):
    """The profile part of /settings/; saved through `services.profile_update`."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=HANDLE_MAX_LENGTH + 1,  # room for a typed leading "@", which is dropped
        help_text=_("Letters, digits and underscores; your profile lives at /@handle/."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=User._meta.get_field("bio").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=User._meta.get_field("region").max_length,
        required=False,
        help_text=_("Where you are, as precisely as you like: a country, a city."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=content_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    read_languages = forms.MultipleChoiceField(
        label=_("Languages I read"),
        choices=content_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Notes and comments in other languages come with a translation. "
            "Leave empty to use the languages you speak."
        ),
    )
    ui_language = forms.ChoiceField(
        label=_("Interface language"),
        choices=ui_language_choices,
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {name: getattr(user, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)

    def clean_bio(self) -> str:
        # Browsers send CRLF; store plain newlines so the length limit counts what people see.
        return self.cleaned_data["bio"].replace("\r\n", "\n")

    def changed_profile_fields(self) -> dict:
        """The cleaned values that differ from the account (call after `is_valid()`)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value != getattr(self.user, name)
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (the rest on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None
            if target is None and field != NON_FIELD_ERRORS:
                # A field this form does not show: the message alone (it names the problem).
                errors = [ValidationError(message) for e in errors for message in e]
            self.add_error(target, errors)


class AvatarForm(forms.Form):
    """An avatar upload; `services.avatar_set` inspects and re-encodes the image."""

    avatar = forms.FileField(
        label=_("New photo"),
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(ACCEPTED_FORMATS.values()))}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avatar"].help_text = gettext(
            "JPEG, PNG, WebP or GIF, up to %(size)s MB. It is cropped to a square."
        ) % {"size": max(1, settings.AVATAR_MAX_BYTES // 1024 // 1024)}
