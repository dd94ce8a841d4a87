"""HTML forms for accounts. They check shapes only; the rules live in accounts.services."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from rednote.images import ACCEPTED_FORMATS
from rednote.languages import content_language_choices
from rednote.web import ServiceErrorsMixin

from .models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    HANDLE_MAX_LENGTH,
    REGION_MAX_LENGTH,
    User,
    handle_length_message,
    max_length_errors,
)


def ui_language_choices() -> list[tuple[str, str]]:
    """Automatic first, then each interface language in its own name (简体中文)."""
    return [("", _("Automatic (browser)"))] + [
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    ]


class ProfileForm(ServiceErrorsMixin, forms.Form):
    """The profile part of /settings/; saved through `services.profile_update`."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        error_messages=max_length_errors(DISPLAY_NAME_MAX_LENGTH),
        required=False,
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=HANDLE_MAX_LENGTH + 1,  # room for a typed leading "@", which is dropped
        error_messages={"max_length": handle_length_message()},
        help_text=_("Letters, digits and underscores; your profile lives at /@handle/."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=BIO_MAX_LENGTH,
        error_messages=max_length_errors(BIO_MAX_LENGTH),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=REGION_MAX_LENGTH,
        error_messages=max_length_errors(REGION_MAX_LENGTH),
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
            "Leave empty to use your interface language and the languages you speak."
        ),
    )
    ui_language = forms.ChoiceField(
        label=_("Interface language"),
        choices=ui_language_choices,
        required=False,
    )
    likes_public = forms.BooleanField(
        label=_("Show the notes I liked on my profile"),
        required=False,
        help_text=_("Off: only you see your Liked tab."),
    )
    auto_translate = forms.BooleanField(
        label=_("Translate automatically"),
        required=False,
        help_text=_(
            "On: notes and comments in languages you do not read show their translation at once."
        ),
    )
    reading_aids = forms.ChoiceField(
        label=_("Reading aids"),
        choices=User._meta.get_field("reading_aids").choices,
        widget=forms.RadioSelect,
        # A form sent without it (an older page) leaves the setting as it is.
        required=False,
        help_text=_(
            "Pinyin, word glosses and slang explanations on notes and comments in the "
            "languages you are learning."
        ),
    )
    learning_languages = forms.MultipleChoiceField(
        label=_("Languages I'm learning"),
        choices=content_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: every language you do not read."),
    )

    is_private = forms.BooleanField(
        label=_("Private account"),
        required=False,
        help_text=_(
            "On: people ask to follow you and you accept or decline; only the followers you "
            "approved see your followers-only notes and your follower lists. Turning it off "
            "accepts the requests waiting."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {name: getattr(user, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)

    def clean_bio(self) -> str:
        # Browsers send CRLF; store plain newlines so the length limit counts what people see.
        return self.cleaned_data["bio"].replace("\r\n", "\n")

    def clean_reading_aids(self) -> str:
        return self.cleaned_data["reading_aids"] or self.user.reading_aids

    def changed_profile_fields(self) -> dict:
        """The cleaned values that differ from the account (call after `is_valid()`)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value != getattr(self.user, name)
        }


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
