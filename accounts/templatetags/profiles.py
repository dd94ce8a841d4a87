"""Template helpers for people: avatars, language names, follower counts, form widgets."""

import re

from django import template
from django.utils.translation import get_language

from rednote.languages import LANGUAGE_NAMES

register = template.Library()

AVATAR_SIZES = {"xs", "sm", "md", "lg", "xl"}
DEFAULT_AVATAR_COLOR = "#ff2442"
_colour = re.compile(r"^#[0-9a-fA-F]{6}\Z")


@register.inclusion_tag("accounts/_avatar.html")
def avatar(person, size: str = "md"):
    """A person's picture, or a coloured circle with their initial when they have none."""
    colour = getattr(person, "avatar_color", "") or ""
    name = getattr(person, "name", "") or ""
    return {
        "person": person,
        "size": size if size in AVATAR_SIZES else "md",
        # The colour lands in a style attribute: only a plain #rrggbb value may get there.
        "colour": colour if _colour.match(colour) else DEFAULT_AVATAR_COLOR,
        "initial": name[:1].upper(),
    }


@register.filter
def language_name(code: str) -> str:
    """The (translated) name of a content language code such as `zh-Hans`."""
    return str(LANGUAGE_NAMES.get(code, code))


def _trim(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@register.filter
def compact_count(value) -> str:
    """Counts the way the app shows them: 980, 1.2K, 3.4M, or 1.2万 / 3.4亿 in Chinese."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    if (get_language() or "").startswith("zh"):
        if number >= 100_000_000:
            return f"{_trim(number / 100_000_000)}亿"
        if number >= 10_000:
            return f"{_trim(number / 10_000)}万"
        return str(number)
    if number >= 1_000_000:
        return f"{_trim(number / 1_000_000)}M"
    if number >= 10_000:
        return f"{_trim(number / 1_000)}K"
    return f"{number:,}"


@register.filter
def placeholder(bound_field, text):
    """Render a form field's widget with a placeholder (the label stays visible too)."""
    return bound_field.as_widget(attrs={"placeholder": str(text)})
