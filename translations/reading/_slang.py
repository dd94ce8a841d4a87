"""The approved slang glossary as a matcher, rebuilt when the glossary version changes.

The version lives in the Django cache, so a change made by any process is seen by every
process at its next annotation (the version is read in the same round trip as the cached
annotations).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache

from ._convert import script_convert

if TYPE_CHECKING:
    from translations.models import GlossaryTerm

VERSION_KEY = "reading:glossary-version"

_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Letters and digits that make a longer word: a Latin term never matches inside one.
_WORD_CHAR = r"0-9A-Za-z\u00c0-\u024f"

_lock = threading.Lock()
# The version this process saw last: annotation keys are guessed with it, and the guess is
# checked in the same cache round trip that reads the annotations.
_last_version: str | None = None


@dataclass(frozen=True)
class SlangMatcher:
    version: str
    pattern: re.Pattern[str] | None
    ids: dict[str, int]  # normalised matched text → term pk

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, term pk) of every match, left to right, longest first at a place."""
        if self.pattern is None:
            return []
        out = []
        for match in self.pattern.finditer(text):
            pk = self.ids.get(normalise(match.group()))
            if pk is not None:
                out.append((match.start(), match.end(), pk))
        return out


_matcher: SlangMatcher | None = None


def normalise(term: str) -> str:
    return " ".join(term.lower().split())


def last_version() -> str | None:
    return _last_version


def version_seen(value: object) -> str:
    """The glossary version from a cache read of VERSION_KEY (None: missing, so one is set)."""
    global _last_version
    if value is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)
        value = cache.get(VERSION_KEY) or "0"
    _last_version = str(value)
    return _last_version


def glossary_version() -> str:
    """The current glossary version (one cache read)."""
    return version_seen(cache.get(VERSION_KEY))


def glossary_changed() -> None:
    """Bumps the glossary version: cached annotations and every process's slang matcher are
    rebuilt (call after approving, editing, rejecting or deleting an approved term)."""
    global _last_version, _matcher
    version = uuid.uuid4().hex[:12]
    cache.set(VERSION_KEY, version, timeout=None)
    with _lock:
        _last_version = version
        _matcher = None


def _forms(term: str) -> set[str]:
    """The term as matched: itself and, for Chinese, its other script's form."""
    forms = {term}
    if _HAN_CHAR.search(term):
        for source, target in (("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")):
            forms.add(script_convert(term, source, target))
    return {f for f in (normalise(form) for form in forms) if f}


def _pattern_for(form: str) -> str:
    body = r"\s+".join(re.escape(word) for word in form.split())
    if re.match(f"[{_WORD_CHAR}]", form[0]):
        body = f"(?<![{_WORD_CHAR}]){body}"
    if re.match(f"[{_WORD_CHAR}]", form[-1]):
        body = f"{body}(?![{_WORD_CHAR}])"
    return body


def _build(version: str) -> SlangMatcher:
    from translations.models import GlossaryStatus, GlossaryTerm

    ids: dict[str, int] = {}
    rows = (
        GlossaryTerm.objects.filter(status=GlossaryStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", "term", "variants")
    )
    for pk, term, variants in rows:
        names = [term, *(v for v in (variants or []) if isinstance(v, str))]
        for name in names:
            for form in _forms(name):
                ids.setdefault(form, pk)
    if not ids:
        return SlangMatcher(version, None, {})
    forms = sorted(ids, key=lambda f: (-len(f), f))
    pattern = re.compile("|".join(_pattern_for(f) for f in forms), re.IGNORECASE)
    return SlangMatcher(version, pattern, ids)


def slang_matcher(version: str | None = None) -> SlangMatcher:
    global _matcher
    version = version or glossary_version()
    matcher = _matcher
    if matcher is not None and matcher.version == version:
        return matcher
    with _lock:
        if _matcher is None or _matcher.version != version:
            _matcher = _build(version)
        return _matcher


def slang_terms(ids: Iterable[int]) -> dict[int, GlossaryTerm]:
    """The approved terms with these pks, by pk (one query; unknown or unapproved left out)."""
    from translations.models import GlossaryStatus, GlossaryTerm

    wanted = {int(pk) for pk in ids}
    if not wanted:
        return {}
    terms = GlossaryTerm.objects.filter(pk__in=wanted, status=GlossaryStatus.APPROVED)
    return {term.pk: term for term in terms}
