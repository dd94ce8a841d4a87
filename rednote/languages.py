"""Content languages (what notes and comments are written in), as configured in settings.

Codes are BCP 47 (`en`, `zh-Hans`). The UI languages are Django's `LANGUAGES` instead.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "en": _("English"),
    "zh-Hans": _("Simplified Chinese"),
    "zh-Hant": _("Traditional Chinese"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
}


def content_languages_for_ui(ui_language: str) -> list[str]:
    """The content languages of an interface language ("zh-hans" → ["zh-Hans"], "en" →
    ["en"]): the exact code, else every content language of the same base language."""
    code = (ui_language or "").lower()
    exact = [c for c in settings.CONTENT_LANGUAGES if c.lower() == code]
    if exact:
        return exact
    base = code.split("-")[0]
    return [c for c in settings.CONTENT_LANGUAGES if c.lower().split("-")[0] == base]


def content_language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in settings.CONTENT_LANGUAGES]


def validate_language_list(value) -> None:
    # The codes must not be ones model fields define ("invalid", "invalid_choice"): Django would
    # swap in the field's own message, whose placeholders these params do not fill.
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of language codes."), code="not_a_list")
    unknown = [code for code in value if code not in settings.CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s. Choose from %(choices)s."),
            code="unknown_language",
            params={
                "codes": ", ".join(map(str, unknown)),
                "choices": ", ".join(settings.CONTENT_LANGUAGES),
            },
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language may appear once."), code="duplicate")
