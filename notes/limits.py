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

# The API's throttle scope (REST_FRAMEWORK rates) for photo uploads; the composer's upload
# endpoint counts against the same one (`rednote.web.rate_limit_wait`).
UPLOADS_THROTTLE_SCOPE = "uploads"
# The throttle scope for posting comments and replies, shared by the API and the note page.
COMMENTS_THROTTLE_SCOPE = "comments"


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


def comments_throttled_message(wait: int) -> str:
    """Past the comment rate, on the page and in the API alike."""
    return ngettext(
        "Too many comments in a short time; try again in %(n)s second.",
        "Too many comments in a short time; try again in %(n)s seconds.",
        wait,
    ) % {"n": wait}


def uploads_throttled_message(wait: int) -> str:
    """Past the upload rate, on the page and in the API alike."""
    return ngettext(
        "Too many photos uploaded in a short time; try again in %(n)s second.",
        "Too many photos uploaded in a short time; try again in %(n)s seconds.",
        wait,
    ) % {"n": wait}
