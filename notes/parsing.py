"""Hashtags and @mentions in note text, in every form people type them.

Recognised hashtag forms (all may use the full-width ＃):
- `#tiktokrefugee`, `#小红书`, `#8D城市` — a `#` and letters/digits/underscores;
- `#上海citywalk[话题]#` — RedNote's topic form;
- `#话题#` — Weibo's closed form (no spaces inside).
Not hashtags: `C#` and `foo#bar` (the `#` follows a letter or digit), URL fragments
(`/page#section`), HTML entities (`&#39;`), and all-digit tags (`#1`).

Tags are stored under a normalised key — NFKC (canonical composition, so `e` + U+0301 and `é`
are one letter, and ＃ and full-width letters fold), then casefold — and keep the first display
form seen (NFC). A tag may hold combining marks, typed composed or not. Parsing returns spans so
the renderer can link exactly what was recognised. Parsing finds every tag and mention; the
services refuse a note over `MAX_HASHTAGS_PER_NOTE` / `MAX_MENTIONS_PER_NOTE` rather than
silently keep the first ones, and refuse control characters (`has_control_characters`).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

HASHTAG_MAX_LENGTH = 64
MAX_HASHTAGS_PER_NOTE = 30
MAX_MENTIONS_PER_NOTE = 30

# A tag may not follow a Latin letter or digit (`C#`, `foo#bar`), `&` (`&#39;`), `/`, `=` or
# `%` (URL fragments), `@` or another `#`. It may follow a CJK character: Chinese text runs
# straight into tags ("今天去了#苏州园林[话题]#").
_BOUNDARY = r"(?<![A-Za-z0-9_&/=%@#＃\\])"


@functools.cache
def _hashtag_re() -> re.Pattern:
    """The hashtag pattern, built on first use (listing the combining marks takes a moment)."""
    # Letters and digits of any script, underscore, and combining marks: a decomposed `é` is
    # `e` + U+0301, not a word character by itself (nor are the vowel signs of Indic scripts).
    tag_chars = rf"[^\W_]|_|{_combining_marks_class()}"
    return re.compile(
        _BOUNDARY
        + r"[#＃]"
        + r"(?:"
        + rf"(?P<rednote>[^\s#＃\[\]/\\]{{1,{HASHTAG_MAX_LENGTH}}}?)\[话题\][#＃]"
        + rf"|(?P<weibo>(?:{tag_chars}|[·\-]){{1,{HASHTAG_MAX_LENGTH}}}?)[#＃]"
        + rf"|(?P<plain>(?:{tag_chars}){{1,{HASHTAG_MAX_LENGTH}}})"
        + r")",
        re.UNICODE,
    )


def _combining_marks_class() -> str:
    """A regex class of every combining mark (categories Mn, Mc, Me) as ranges; they all lie
    below U+20000 or among the variation selectors of plane 14."""
    marks = [
        c
        for c in (*range(0x20000), *range(0xE0000, 0xE1000))
        if unicodedata.category(chr(c)).startswith("M")
    ]
    ranges, first = [], marks[0]
    for previous, current in zip(marks, [*marks[1:], None], strict=True):
        if current != previous + 1:
            ranges.append(f"{re.escape(chr(first))}-{re.escape(chr(previous))}")
            first = current
    return "[" + "".join(ranges) + "]"


# A mention may follow Chinese text directly ("谢谢@alice"), but not a Latin letter, digit or
# the characters of an e-mail address or URL ("alice@example.com", "x.com/@alice"); and the
# handle must not run on into a domain ("我@qq.com").
_MENTION_RE = re.compile(
    r"(?<![A-Za-z0-9_@.&/+\-])@(?P<handle>[A-Za-z0-9_]{2,30})(?![A-Za-z0-9_@]|\.[A-Za-z0-9])"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "hashtag" or "mention"
    value: str  # normalised tag name, or the handle as typed
    display: str  # the tag as typed (without # and markers), or the handle


def hashtag_normalize(name: str) -> str:
    """The key a tag is compared and stored under: NFKC, case-folded, NFKC again (folding can
    decompose a letter, e.g. `ǰ`), so every way of typing one tag gives one key."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def has_control_characters(text: str, *, line_breaks: bool = True) -> bool:
    """Whether `text` holds a control character (NUL, escape, DEL, C1...). Tab, CR and LF are
    allowed when `line_breaks` is true (a note's text has lines)."""
    allowed = "\t\r\n" if line_breaks else ""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text or "")


def _is_valid_tag(name: str) -> bool:
    return (
        any(ch.isalnum() for ch in name)  # not "#_" or "#·"
        and not name.isdigit()
        and not name.startswith(("http", "www."))
    )


def hashtag_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _hashtag_re().finditer(text or ""):
        raw = match.group("rednote") or match.group("weibo") or match.group("plain")
        display = unicodedata.normalize("NFC", raw).strip()
        if not _is_valid_tag(display):
            continue
        spans.append(
            Span(match.start(), match.end(), "hashtag", hashtag_normalize(display), display)
        )
    return spans


def mention_spans(text: str) -> list[Span]:
    return [
        Span(m.start(), m.end(), "mention", m.group("handle"), m.group("handle"))
        for m in _MENTION_RE.finditer(text or "")
    ]


def text_spans(text: str) -> list[Span]:
    """Hashtag and mention spans in text order, without overlaps."""
    spans = sorted(hashtag_spans(text) + mention_spans(text), key=lambda s: s.start)
    result: list[Span] = []
    for span in spans:
        if result and span.start < result[-1].end:
            continue
        result.append(span)
    return result


def hashtags_parse(*texts: str) -> dict[str, str]:
    """Normalised name → display form, first occurrence wins, in order of appearance."""
    found: dict[str, str] = {}
    for text in texts:
        for span in hashtag_spans(text):
            found.setdefault(span.value, span.display)
    return found


def mentions_parse(*texts: str) -> list[str]:
    """Handles mentioned, de-duplicated case-insensitively, in order of appearance."""
    seen: dict[str, str] = {}
    for text in texts:
        for span in mention_spans(text):
            seen.setdefault(span.value.lower(), span.value)
    return list(seen.values())
