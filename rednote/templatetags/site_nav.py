"""Template helpers for the site's shell (base.html): which navigation entries to show, and the
shell's fixed parts rendered once per process."""

import itertools
import threading
from collections import OrderedDict

from django import template
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


@register.simple_tag
def nav_here(current_path: str, *paths: str) -> str:
    """`current_path` if it is one of `paths` (the entries a navigation marks as the current
    page), else "": all that a navigation's rendering depends on of the path."""
    return current_path if current_path in paths else ""


# --- Fixed parts of the shell -------------------------------------------------------------
# Every page renders the shell (base.html): ~40 translated strings, static and reversed URLs,
# ~0.75 ms of template work. Its parts that depend on a few values only are rendered once per
# process for each combination of them.

FRAGMENTS_SIZE = 2000
_fragments: OrderedDict[tuple, str] = OrderedDict()
_fragments_lock = threading.Lock()
_fragment_ids = itertools.count()


class ShellFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, values: list[template.base.FilterExpression]):
        self.nodelist, self.values = nodelist, values
        # Unique per compiled template: a template compiled again (DEBUG) keys anew.
        self.fragment_id = next(_fragment_ids)

    def render(self, context) -> SafeString:
        key = (
            self.fragment_id,
            tuple(value.resolve(context) for value in self.values),
            get_language(),
            get_script_prefix(),
        )
        with _fragments_lock:
            html = _fragments.get(key)
            if html is not None:
                _fragments.move_to_end(key)
        if html is None:
            html = self.nodelist.render(context)
            with _fragments_lock:
                _fragments[key] = html
                while len(_fragments) > FRAGMENTS_SIZE:
                    _fragments.popitem(last=False)
        return mark_safe(html)  # noqa: S308 - the template's own output


@register.tag
def shell_fragment(parser, token):
    """`{% shell_fragment value ... %}...{% endshell_fragment %}`: the enclosed part of the
    shell, rendered once per process for each combination of the values, the interface
    language and the URL prefix. What the part shows must depend on nothing else (no
    request data, no CSRF token, no per-page variable beyond the values given)."""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endshell_fragment",))
    parser.delete_first_token()
    return ShellFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])


def shell_fragments_forget() -> None:
    """Empty the rendered shell parts (tests)."""
    with _fragments_lock:
        _fragments.clear()
