"""HTML forms for notes and boards. They check shapes only; the rules live in notes.services,
whose ValidationErrors (keyed by field) are put back on the form with `add_service_errors`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rednote.images import ACCEPTED_FORMATS
from rednote.web import ServiceErrorsMixin

from .models import (
    ALT_TEXT_MAX_LENGTH,
    BODY_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    MAX_IMAGES,
    TITLE_MAX_LENGTH,
    Visibility,
)
from .services import BOARD_NAME_MAX_LENGTH

PHOTO_ACCEPT = ",".join(ACCEPTED_FORMATS.values())


class MediaIdsField(forms.Field):
    """Ids of uploaded photos, in the order they were arranged (repeated `media_ids`)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The photos could not be read; please upload them again."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        # Ids are 64-bit: anything else names no photo (and SQLite cannot even compare it).
        if any(not 0 < i < 2**63 for i in ids):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """The plain multi-file picker used when the page runs without JavaScript."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class NoteTextFields(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Add #tags and mention people with @handle."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this note"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=LOCATION_MAX_LENGTH,
        required=False,
        help_text=_("Optional, and only what you type here: never taken from your photos."),
    )

    def clean_body(self) -> str:
        # Browsers send CRLF; the limit counts the characters people see.
        return self.cleaned_data["body"].replace("\r\n", "\n")


class NoteCreateForm(ServiceErrorsMixin, NoteTextFields):
    """Post a note: photos uploaded one by one (`media_ids`, with JavaScript) or picked all at
    once (`photos`, without)."""

    service_field_aliases = {"media_ids": "photos", "alt_texts": "photos", "file": "photos"}

    media_ids = MediaIdsField(required=False)
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
        # `ngettext_lazy(...) % {...}` would be formatted once, at import, in English.
        help_text=lazy(
            lambda: (
                ngettext(
                    "Up to %(n)s photo: JPEG, PNG, WebP or GIF. The first is the cover.",
                    "Up to %(n)s photos: JPEG, PNG, WebP or GIF. The first is the cover.",
                    MAX_IMAGES,
                )
                % {"n": MAX_IMAGES}
            ),
            str,
        )(),
    )

    def clean(self):
        cleaned = super().clean()
        ids, files = cleaned.get("media_ids") or [], cleaned.get("photos") or []
        if "media_ids" in self.errors or "photos" in self.errors:
            return cleaned
        count = len(ids) + len(files)
        if count == 0:
            self.add_error("photos", _("Add at least one photo."))
        elif count > MAX_IMAGES:
            self.add_error(
                "photos",
                ngettext(
                    "A note has at most %(n)s photo.",
                    "A note has at most %(n)s photos.",
                    MAX_IMAGES,
                )
                % {"n": MAX_IMAGES},
            )
        return cleaned

    def alt_texts(self) -> dict[int, str]:
        """`alt_text_<media id>` fields sent with the uploaded photos."""
        texts = {}
        for media_id in self.cleaned_data.get("media_ids") or []:
            text = self.data.get(f"alt_text_{media_id}")
            if text is not None:
                texts[media_id] = text
        return texts

    def file_alt_texts(self) -> list[str]:
        """`photo_alt` fields of the no-JavaScript form, one per picked file, in order."""
        return self.data.getlist("photo_alt") if hasattr(self.data, "getlist") else []


class NoteUpdateForm(ServiceErrorsMixin, NoteTextFields):
    pass


class BoardForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Board name"), max_length=BOARD_NAME_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_private = forms.BooleanField(label=_("Only I can see this board"), required=False)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class AltTextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", ALT_TEXT_MAX_LENGTH)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class MediaUploadForm(ServiceErrorsMixin, forms.Form):
    """One photo sent by the upload page's script, before the note is posted."""

    file = forms.FileField(label=_("Photo"))
    alt_text = AltTextField(label=_("Alt text"))
