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

from ._aids import language_base
from ._scripts import han_character

if TYPE_CHECKING:
    from translations.models import GlossaryTerm

VERSION_KEY = "reading:glossary-version"

# Letters and digits that make a longer word: a Latin term never matches inside one.
_WORD_CHAR = r"0-9A-Za-z\u00c0-\u024f"
_WORD = re.compile(f"[{_WORD_CHAR}]")

_lock = threading.Lock()
# The version this process saw last: annotation keys are guessed with it, and the guess is
# checked in the same cache round trip that reads the annotations.
_last_version: str | None = None


@dataclass(frozen=True)
class SlangMatcher:
    """Finds glossary terms in a text. Scanning is in two steps, because one alternation of a
    few hundred forms costs ~2 ms per 1,000 characters in Python's `re`: `starts` finds the
    places a form can begin (its first character; a Latin one only at a word's start), then
    the few forms beginning with that character, longest first, are tried there."""

    version: str
    starts: re.Pattern[str] | None
    # first character (lowercase) → (the form's pattern, its terms), longest form first; a
    # form may be a term in both languages ("citywalk"): (language base, pk), lowest pk first
    forms: dict[str, tuple[tuple[re.Pattern[str], tuple[tuple[str, int], ...]], ...]]

    def matches(self, text: str, language: str = "") -> list[tuple[int, int, int]]:
        """(start, end, term pk) of every match, left to right, longest first at a place.
        Chinese is matched on the text's Simplified characters, so either script matches.
        A form that is a term in two languages is read as the text's (`language`; in mixed
        text, Chinese when Han characters stand next to it)."""
        if self.starts is None:
            return []
        searched = _simplified(text)
        base = language_base(language)
        out = []
        position = 0
        for start in self.starts.finditer(searched):
            index = start.start()
            if index < position:
                continue
            for pattern, terms in self.forms.get(start.group().lower(), ()):
                match = pattern.match(searched, index)
                if match:
                    out.append((index, match.end(), _term_for(terms, base, searched, match)))
                    position = match.end()
                    break
        return out


def _term_for(
    terms: tuple[tuple[str, int], ...], base: str, text: str, match: re.Match[str]
) -> int:
    if len(terms) == 1:
        return terms[0][1]
    if base not in ("zh", "en"):
        around = (
            text[max(match.start() - 2, 0) : match.start()] + text[match.end() : match.end() + 2]
        )
        base = "zh" if han_character().search(around) else "en"
    return next((pk for term_base, pk in terms if term_base == base), terms[0][1])


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


def _simplified(text: str) -> str:
    if not han_character().search(text):
        return text
    from ._dictionary import cedict

    return cedict().simplified_characters(text)


def _forms(term: str) -> set[str]:
    """The term as matched (Chinese in Simplified characters, as the text is matched)."""
    form = normalise(_simplified(term))
    return {form} if form else set()


def _pattern_for(form: str) -> str:
    body = r"\s+".join(re.escape(word) for word in form.split())
    if _WORD.match(form[0]):
        body = f"(?<![{_WORD_CHAR}]){body}"
    if _WORD.match(form[-1]):
        body = f"{body}(?![{_WORD_CHAR}])"
    return body


def _build(version: str) -> SlangMatcher:
    from translations.models import GlossaryStatus, GlossaryTerm

    rows = (
        GlossaryTerm.objects.filter(status=GlossaryStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", "term", "variants", "language")
    )
    return matcher_from_terms(version, rows)


def matcher_from_terms(
    version: str, rows: Iterable[tuple[int, str, list[str] | None, str]]
) -> SlangMatcher:
    """A matcher for (pk, term, variants, language) rows: every form of each (Chinese in
    Simplified characters; longer forms first, so "no cap" wins over "no"); a form shared by
    terms of two languages keeps one term per language."""
    ids: dict[str, dict[str, int]] = {}
    for pk, term, variants, language in rows:
        names = [term, *(v for v in (variants or []) if isinstance(v, str))]
        for name in names:
            for form in _forms(name):
                ids.setdefault(form, {}).setdefault(language_base(language), pk)
    if not ids:
        return SlangMatcher(version, None, {})
    by_first: dict[str, list[tuple[str, tuple[tuple[str, int], ...]]]] = {}
    for form, pks in ids.items():
        terms = tuple(sorted(pks.items(), key=lambda pair: pair[1]))
        by_first.setdefault(form[0], []).append((form, terms))
    forms = {
        first: tuple(
            (re.compile(_pattern_for(form), re.IGNORECASE), terms)
            for form, terms in sorted(found, key=lambda pair: (-len(pair[0]), pair[0]))
        )
        for first, found in by_first.items()
    }
    bounded = "".join(re.escape(c) for c in sorted(by_first) if _WORD.match(c))
    free = "".join(re.escape(c) for c in sorted(by_first) if not _WORD.match(c))
    alternatives = []
    if bounded:
        alternatives.append(f"(?<![{_WORD_CHAR}])[{bounded}]")
    if free:
        alternatives.append(f"[{free}]")
    return SlangMatcher(version, re.compile("|".join(alternatives), re.IGNORECASE), forms)


def install_matcher(matcher: SlangMatcher) -> None:
    """Use this matcher until the glossary version changes (benchmarks)."""
    global _matcher
    with _lock:
        _matcher = matcher


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
