"""How much a note, a photo and a board may hold, and the one sentence that explains each limit.

The numbers are the model constants (`notes.models`). The web forms, the API serializers and the
services all check lengths with the validators below and photo counts with
`photo_count_problem`, so a page, the composer's script and an API client are refused in the
same words. Lengths count what people see: text is stripped (and CRLF made LF) first.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import (
    ALT_TEXT_MAX_LENGTH,
    BOARD_DESCRIPTION_MAX_LENGTH,
    BOARD_NAME_MAX_LENGTH,
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    MAX_IMAGES,
    TITLE_MAX_LENGTH,
)

# Django's form fields format these with `limit_value` and `show_value` (the length given) too,
# which is why the placeholders have those names.
TITLE_LENGTH = MaxLengthValidator(
    TITLE_MAX_LENGTH,
    gettext_lazy("The title can have at most %(limit_value)s characters; it has %(show_value)s."),
)
BODY_LENGTH = MaxLengthValidator(
    BODY_MAX_LENGTH,
    gettext_lazy("The text can have at most %(limit_value)s characters; it has %(show_value)s."),
)
LOCATION_LENGTH = MaxLengthValidator(
    LOCATION_MAX_LENGTH,
    gettext_lazy(
        "The location can have at most %(limit_value)s characters; it has %(show_value)s."
    ),
)
ALT_TEXT_LENGTH = MaxLengthValidator(
    ALT_TEXT_MAX_LENGTH,
    gettext_lazy(
        "The alt text can have at most %(limit_value)s characters; it has %(show_value)s."
    ),
)
BOARD_NAME_LENGTH = MaxLengthValidator(
    BOARD_NAME_MAX_LENGTH,
    gettext_lazy(
        "The board name can have at most %(limit_value)s characters; it has %(show_value)s."
    ),
)
BOARD_DESCRIPTION_LENGTH = MaxLengthValidator(
    BOARD_DESCRIPTION_MAX_LENGTH,
    gettext_lazy(
        "The description can have at most %(limit_value)s characters; it has %(show_value)s."
    ),
)

COMMENT_LENGTH = MaxLengthValidator(
    COMMENT_MAX_LENGTH,
    gettext_lazy("A comment can have at most %(limit_value)s characters; it has %(show_value)s."),
)

BOARD_NAME_MISSING = gettext_lazy("Give the board a name.")

# Throttle scopes (rates: REST_FRAMEWORK's DEFAULT_THROTTLE_RATES; what each counts and what a
# person past it is told: rednote.throttling). The API views (`throttle_scope`) and the pages
# (`rednote.ratelimits.rate_limited`) that do the same thing name the same one, so both spend
# one budget.
# Posting and editing notes.
NOTES_THROTTLE_SCOPE = "notes"
# Photo uploads (the composer's and the API's).
UPLOADS_THROTTLE_SCOPE = "uploads"
# Comments and replies.
COMMENTS_THROTTLE_SCOPE = "comments"
# Likes and unlikes of notes and comments, collecting and uncollecting.
REACTIONS_THROTTLE_SCOPE = "reactions"
# Machine translations asked for (a note, a comment, a thread).
TRANSLATIONS_THROTTLE_SCOPE = "translations"
# Boards made or edited, community translations suggested or voted for, translation feedback.
CONTRIBUTIONS_THROTTLE_SCOPE = "contributions"


def length_problems(validator: MaxLengthValidator, value: str) -> list[str]:
    """The validator's message for `value` (already stripped), or nothing when it fits."""
    try:
        validator(value)
    except ValidationError as exc:
        return exc.messages
    return []


def photo_count_problem(count: int) -> str | None:
    """Why a note cannot have `count` photos, or None when it can."""
    if count == 0:
        return _("Add at least one photo.")
    if count > MAX_IMAGES:
        return ngettext(
            "A note has at most %(n)s photo.", "A note has at most %(n)s photos.", MAX_IMAGES
        ) % {"n": MAX_IMAGES}
    return None
