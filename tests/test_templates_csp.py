"""Every template obeys the Content-Security-Policy as written, before any page renders it: no
inline event handler, no inline <script> (a `src` or `json_script` data only), no `style`
attribute or <style> block, no htmx `hx-on` or `js:` values, and Alpine expressions that its
CSP build can evaluate (no globals such as `confirm`, no `$el.` DOM calls, no `x-html`)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(
    path
    for root in (
        Path(settings.BASE_DIR) / "templates",
        *Path(settings.BASE_DIR).glob("*/templates"),
    )
    for path in root.rglob("*.html")
)

RULES = {
    "inline event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "hx-on": re.compile(r"\shx-on[:\-=]", re.IGNORECASE),
    "js: value": re.compile(r"""=\s*['"]\s*js:""", re.IGNORECASE),
    "javascript: URL": re.compile(r"""=\s*['"]\s*javascript:""", re.IGNORECASE),
    "x-html": re.compile(r"\sx-html\s*="),
    "global in an Alpine expression": re.compile(
        r"""\s(?:x-[a-z:.-]+|@[a-z.:-]+|:[a-z-]+)\s*=\s*"[^"]*\b(?:confirm|alert|prompt|window|document)\b"""
    ),
    "DOM call in an Alpine expression": re.compile(
        r"""\s(?:x-[a-z:.-]+|@[a-z.:-]+|:[a-z-]+)\s*=\s*"[^"]*\$el\."""
    ),
}


def test_templates_are_found():
    assert any(path.name == "base.html" for path in TEMPLATES)
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_template_has_no_inline_code(path):
    text = path.read_text()
    found = [
        f"{rule}: {match.group(0)[:80]!r}"
        for rule, pattern in RULES.items()
        for match in pattern.finditer(text)
    ]
    assert found == []
