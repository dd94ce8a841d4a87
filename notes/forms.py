"""HTML forms for notes and boards. They check shapes and the limits of `notes.limits` (in the
same words as the services and the API); the rules live in notes.services, whose
ValidationErrors (keyed by field) are put back on the form with `add_service_errors`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rednote.images import ACCEPTED_FORMATS
from rednote.languages import content_language_choices
from rednote.web import ServiceErrorsMixin

from .limits import (
    ALT_TEXT_LENGTH,
    BOARD_DESCRIPTION_LENGTH,
    BOARD_NAME_LENGTH,
    BOARD_NAME_MISSING,
    BODY_LENGTH,
    LOCATION_LENGTH,
    TITLE_LENGTH,
    photo_count_problem,
)
from .models import MAX_IMAGES, Visibility

PHOTO_ACCEPT = ",".join(ACCEPTED_FORMATS.values())


class LimitedTextField(forms.CharField):
    """Text within one of the `notes.limits` validators: its length is the page's `maxlength`
    and its message the one the service and the API give. CRLF counts as one character."""

    def __init__(self, *, limit, **kwargs):
        kwargs.setdefault("required", False)
        error_messages = {"max_length": limit.message, **kwargs.pop("error_messages", {})}
        super().__init__(max_length=limit.limit_value, error_messages=error_messages, **kwargs)

    def to_python(self, value):
        # Browsers send CRLF; the limit counts the characters people see.
        return super().to_python(value).replace("\r\n", "\n")


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
    title = LimitedTextField(
        limit=TITLE_LENGTH,
        label=_("Title"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = LimitedTextField(
        limit=BODY_LENGTH,
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Add #tags and mention people with @handle."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this note"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    location = LimitedTextField(
        limit=LOCATION_LENGTH,
        label=_("Location"),
        help_text=_("Optional, and only what you type here: never taken from your photos."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [
            ("auto", _("Detect automatically")),
            *content_language_choices(),
            ("mixed", _("Several languages")),
        ],
        initial="auto",
        required=False,
        help_text=_("Readers of other languages are offered a translation."),
    )


class NoteCreateForm(ServiceErrorsMixin, NoteTextFields):
    """Post a note: photos uploaded one by one (`media_ids`, with JavaScript) or picked all at
    once (`photos`, without)."""

    service_field_aliases = {
        "media_ids": "photos",
        "alt_texts": "photos",
        "file": "photos",
        "files": "photos",
    }

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
        problem = photo_count_problem(len(ids) + len(files))
        if problem:
            self.add_error("photos", problem)
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
    name = LimitedTextField(
        limit=BOARD_NAME_LENGTH,
        label=_("Board name"),
        required=True,
        error_messages={"required": BOARD_NAME_MISSING},
    )
    description = LimitedTextField(
        limit=BOARD_DESCRIPTION_LENGTH,
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_private = forms.BooleanField(label=_("Only I can see this board"), required=False)


class MediaUploadForm(ServiceErrorsMixin, forms.Form):
    """One photo sent by the upload page's script, before the note is posted."""

    file = forms.FileField(label=_("Photo"))
    alt_text = LimitedTextField(limit=ALT_TEXT_LENGTH, label=_("Alt text"))
