"""Keyword rules: which rule a new note or comment matches, on its original text and on its
translations.

Matching. Text and terms are folded alike — NFKC (full-width letters and digits become plain
ones), case-folded, Traditional Chinese characters written Simplified
(`translations.detection.chinese_simplify`), runs of white space made one space. A term with
a Chinese, Japanese or Korean character matches anywhere in the text (those scripts put no
spaces between words); any other term matches whole words only, so "ass" does not match
"class", while "ass" right next to a Chinese character still matches ("这个ass").

Languages. A rule without a language applies to any text. A rule with a language applies to
text in that language (Simplified and Traditional Chinese alike; text whose language is mixed
or unknown is screened by every rule), and to the text's translation into that language: a
Chinese comment is screened by an English rule through its English translation.

When. Screening must never make posting wait for, or fail with, the translation provider:
- inside the write (`content_match`): the original text, and translations the shared cache
  (`translations.services`, keyed by text hash and target language) already holds — one query
  per language, no provider call. A "refuse" rule matched here refuses the text; a "hold" rule
  holds it.
- after the commit (`translation_matches`, run by a task): the translations the cache did not
  hold are requested through the translation service, as a reader's would be (queued on the
  translations queue, retried there, no reader's quota). The task asks again while they are
  pending and gives up, leaving the content as it is, when the provider is down or not set up.
  A rule matched there — "refuse" ones included, since the content is already posted — holds
  the content for review.
Text that is not public (followers-only, private) is never sent to a third-party provider for
screening (`TRANSLATION_PROVIDER_SELF_HOSTED` decides, as for readers); it is screened on its
original text and on what the cache holds.

Active rules are kept in the cache (`rules_active`) and dropped whenever a rule is written
(`moderation.services.keywords`), so screening costs no query for the rules themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache

from translations.detection import chinese_simplify
from translations.services import TranslationRequest, translations_cached, translations_get_many

from .models import KeywordAction, KeywordRule

RULES_CACHE_KEY = "moderation:keyword-rules:v1"
RULES_CACHE_TTL = 600
ORIGINAL = "original"  # `HeldContent.matched_in` for the original text

# Han (with extensions and compatibility forms), kana, Hangul, and CJK punctuation.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f"
)
_CJK_RE = re.compile(f"[{_CJK}]")
# A letter or digit of an alphabetic script: \w that is not CJK. Whole-word terms must not be
# next to one.
_WORD_CHAR = f"[^\\W{_CJK}]"
_SPACE_RE = re.compile(r"\s+")


def text_fold(text: str) -> str:
    """`text` as rules compare it: NFKC, case-folded, Simplified, single spaces."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACE_RE.sub(" ", chinese_simplify(folded)).strip()


def language_base(code: str) -> str:
    """ "zh-Hant" → "zh"."""
    return (code or "").split("-")[0].lower()


@dataclass(frozen=True)
class ActiveRule:
    """An active `KeywordRule` as screening uses it (kept in the cache)."""

    pk: int
    term: str
    language: str
    action: str
    message: str
    pattern: str  # a regular expression over folded text

    @property
    def refuses(self) -> bool:
        return self.action == KeywordAction.REFUSE

    def matches(self, folded_text: str) -> bool:
        return re.search(self.pattern, folded_text) is not None

    def applies_to_language(self, language: str) -> bool:
        """Whether this rule screens an original written in `language` ("mixed" or "" when
        unknown: every rule does)."""
        if not self.language or language in ("", "mixed"):
            return True
        return language_base(self.language) == language_base(language)


def term_pattern(term: str) -> str:
    """The expression a term matches folded text with: a substring for a CJK term, whole
    words otherwise."""
    folded = text_fold(term)
    escaped = re.escape(folded)
    if _CJK_RE.search(folded):
        return escaped
    return f"(?<!{_WORD_CHAR}){escaped}(?!{_WORD_CHAR})"


def rule_active(rule: KeywordRule) -> ActiveRule:
    return ActiveRule(
        pk=rule.pk,
        term=rule.term,
        language=rule.language,
        action=rule.action,
        message=rule.message,
        pattern=term_pattern(rule.term),
    )


def rules_active() -> list[ActiveRule]:
    """Every active rule, refusing ones first (one cache read; the database on a miss)."""
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rows = KeywordRule.objects.filter(is_active=True).order_by("pk")
        rules = [rule_active(rule) for rule in rows if text_fold(rule.term)]
        rules.sort(key=lambda rule: (not rule.refuses, rule.pk))
        cache.set(RULES_CACHE_KEY, rules, RULES_CACHE_TTL)
    return rules


def rules_forget() -> None:
    """Drop the cached rules (every write of a rule calls this, after commit)."""
    cache.delete(RULES_CACHE_KEY)


@dataclass(frozen=True)
class KeywordMatch:
    """A rule matched the text of `field` ("title", "body"): in the original (`matched_in`
    "original") or in its translation into the language `matched_in`."""

    rule: ActiveRule
    field: str
    matched_in: str = ORIGINAL

    @property
    def refuses(self) -> bool:
        return self.rule.refuses


def _first(matches: Iterable[KeywordMatch]) -> KeywordMatch | None:
    """The match that decides: a refusing one before a holding one, else the first."""
    matches = list(matches)
    for match in matches:
        if match.refuses:
            return match
    return matches[0] if matches else None


def original_matches(
    texts: Mapping[str, str], *, language: str, rules: list[ActiveRule] | None = None
) -> list[KeywordMatch]:
    """The rules the original `texts` (by field) match."""
    rules = rules_active() if rules is None else rules
    found = []
    for field, text in texts.items():
        folded = text_fold(text)
        if not folded:
            continue
        for rule in rules:
            if rule.applies_to_language(language) and rule.matches(folded):
                found.append(KeywordMatch(rule=rule, field=field))
    return found


def translation_targets(*, language: str, rules: list[ActiveRule] | None = None) -> list[str]:
    """The languages the text must be translated into for the rules with a language that
    its original does not cover (none for a text in that language; all for mixed text)."""
    rules = rules_active() if rules is None else rules
    targets = []
    for rule in rules:
        if not rule.language or rule.language in targets:
            continue
        if language not in ("", "mixed") and language_base(rule.language) == language_base(
            language
        ):
            continue
        targets.append(rule.language)
    return targets


def _translated_matches(
    translated: Mapping[str, str], *, target: str, rules: list[ActiveRule]
) -> list[KeywordMatch]:
    found = []
    for field, text in translated.items():
        folded = text_fold(text)
        if not folded:
            continue
        for rule in rules:
            if rule.language == target and rule.matches(folded):
                found.append(KeywordMatch(rule=rule, field=field, matched_in=target))
    return found


def _source(language: str) -> str | None:
    return None if language in ("", "mixed") else language


def content_match(texts: Mapping[str, str], *, language: str) -> KeywordMatch | None:
    """The rule that decides for new text, inside the write: on the original, and on the
    translations the cache already holds (no provider call). None when nothing matched."""
    rules = rules_active()
    if not rules:
        return None
    found = original_matches(texts, language=language, rules=rules)
    if any(match.refuses for match in found):
        return _first(found)
    fields = [field for field, text in texts.items() if text_fold(text)]
    for target in translation_targets(language=language, rules=rules):
        answers = translations_cached(
            texts=[(texts[field], _source(language)) for field in fields], target=target
        )
        translated = {f: a for f, a in zip(fields, answers, strict=True) if a is not None}
        found.extend(_translated_matches(translated, target=target, rules=rules))
    return _first(found)


@dataclass(frozen=True)
class TranslationScreen:
    """What screening the translations found: the deciding `match` (or None) and whether
    some translation is still being made (`pending`: ask again later)."""

    match: KeywordMatch | None
    pending: bool = False


def translation_matches(
    texts: Mapping[str, str], *, language: str, private: bool
) -> TranslationScreen:
    """Screen the translations of `texts` (by field) into the rules' languages, asking the
    translation service for them (queued when not cached; never counted as served to a
    reader). For the after-commit screening task: with a worker, a translation not made yet is
    `pending`; unavailable ones (provider down or not set up, private text and a third-party
    provider) are skipped."""
    rules = [rule for rule in rules_active() if rule.language]
    fields = [field for field, text in texts.items() if text_fold(text)]
    found: list[KeywordMatch] = []
    pending = False
    for target in translation_targets(language=language, rules=rules):
        requests = [
            TranslationRequest(text=texts[field], source=_source(language), private=private)
            for field in fields
        ]
        results = translations_get_many(requests=requests, target=target, user=None, served=False)
        translated = {}
        for field, result in zip(fields, results, strict=True):
            if result.is_done:
                translated[field] = result.text
            elif result.is_pending:
                pending = True
        found.extend(_translated_matches(translated, target=target, rules=rules))
    return TranslationScreen(match=_first(found), pending=pending and not found)
