"""Template helpers for note cards and the photo carousel: shapes and placeholder colours.

Values land in `style` attributes, so only numbers and a validated `#rrggbb` ever get there.
"""

import re

from django import template
from django.utils.translation import gettext

from rednote.images import MAX_UPLOAD_BYTES

register = template.Library()

DEFAULT_PLACEHOLDER = "#f1f1f1"
# Cards keep a photo's own shape within these bounds, so a panorama or a long screenshot does
# not turn into a sliver or a tower in the grid (the photo is cropped to fit, centred).
CARD_MIN_RATIO, CARD_MAX_RATIO = 3 / 5, 16 / 9
# The carousel frame takes the cover's shape within RedNote's bounds (3:4 to 4:3); other photos
# are shown whole inside it.
FRAME_MIN_RATIO, FRAME_MAX_RATIO = 3 / 4, 4 / 3
_colour = re.compile(r"^#[0-9a-fA-F]{6}\Z")


def _ratio(image, low: float, high: float) -> float:
    if image is None:
        return 3 / 4
    return round(min(max(image.aspect_ratio, low), high), 4)


def _placeholder(image) -> str:
    colour = getattr(image, "placeholder_color", "") or ""
    return colour if _colour.match(colour) else DEFAULT_PLACEHOLDER


@register.simple_tag
def card_cover_style(image) -> str:
    """`aspect-ratio` and placeholder colour for a card's cover."""
    ratio = _ratio(image, CARD_MIN_RATIO, CARD_MAX_RATIO)
    return f"aspect-ratio: {ratio}; --placeholder: {_placeholder(image)}"


@register.simple_tag
def carousel_frame_style(images) -> str:
    """The carousel's shape: the cover's aspect ratio, within 3:4 and 4:3."""
    cover = images[0] if images else None
    return f"--frame-ratio: {_ratio(cover, FRAME_MIN_RATIO, FRAME_MAX_RATIO)}"


@register.filter
def placeholder_color(image) -> str:
    return _placeholder(image)


@register.simple_tag
def photo_size_limit() -> str:
    """The composer's per-photo size limit in words, from the limit the upload check applies."""
    return gettext("Each photo can be up to %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }
