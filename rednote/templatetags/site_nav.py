"""Template helpers for the site's shell (base.html): which navigation entries to show."""

from django import template
from django.urls import Resolver404, resolve

register = template.Library()


@register.simple_tag
def page_url(path: str) -> str:
    """`path` if some page answers there, else "".

    The shell links to features by their public paths (`/search/`, `/notifications/`); until a
    feature's URLs are wired, its entry is left out instead of leading to a 404.
    """
    try:
        resolve(path)
    except Resolver404:
        return ""
    return path
