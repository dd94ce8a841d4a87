"""`{{ note.body|note_text }}`: escaped text with hashtags and @mentions linked, newlines kept.

Only the recognised spans become links; everything else is escaped, so user text can never
inject markup. Mentions link only when the handle belongs to someone (pass the note's
mentioned users: `{{ note.body|note_text:note.mentions.all }}`).

`{% reading_text text_reading mentions %}` renders a text with its reading aids
(`notes.reading.TextReading`): the same links, and between them the reading's segments —
Chinese words with their pinyin as ruby over each character, words with a gloss as tappable
spans, slang terms underlined with their explanation (in the interface's language) and a link
to the glossary. Everything from the text, the dictionary and the glossary is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from notes.parsing import Span, text_spans
from translations.reading import is_han

register = template.Library()


def _known(mentioned) -> dict:
    return {u.handle.lower(): u for u in (mentioned or [])}


def _plain(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _span_html(span: Span, raw: str, known: Mapping, tag_name: str | None = None) -> str:
    """A hashtag or a mention as a link (a mention of nobody stays text). `tag_name`: the tag
    the link goes to when it is not the one written (a script-converted text links to the
    tag as its author wrote it)."""
    if span.kind == "hashtag":
        return format_html(
            '<a class="hashtag" href="{}">#{}</a>',
            reverse("feeds:tag", kwargs={"name": tag_name or span.value}),
            span.display,
        )
    user = known.get(span.value.lower())
    if user is not None:
        return format_html(
            '<a class="mention" href="{}">@{}</a>', user.get_absolute_url(), user.handle
        )
    return escape(raw)


@register.filter(name="note_text")
def note_text(text: str, mentioned=None) -> str:
    text = text or ""
    known = _known(mentioned)
    parts: list[str] = []
    cursor = 0
    for span in text_spans(text):
        parts.append(escape(text[cursor : span.start]))
        parts.append(_span_html(span, text[span.start : span.end], known))
        cursor = span.end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


# --- Reading aids ------------------------------------------------------------------------------
def _ruby(text: str, syllables: tuple[str, ...]) -> str:
    """Each Han character of `text` with its syllable above it; when the syllables do not
    match the characters one to one, the word as one ruby."""
    if not syllables:
        return _plain(text)
    if sum(1 for ch in text if is_han(ch)) != len(syllables):
        return format_html("<ruby>{}<rt>{}</rt></ruby>", text, " ".join(syllables))
    out: list[str] = []
    rest = iter(syllables)
    for ch in text:
        if is_han(ch):
            out.append(format_html("<ruby>{}<rt>{}</rt></ruby>", ch, next(rest)))
        else:
            out.append(_plain(ch))
    return "".join(out)


@dataclass(frozen=True)
class _Piece:
    """A segment, or the part of one a link boundary left (`whole`: not clipped)."""

    text: str
    pinyin: tuple[str, ...]
    gloss_id: str | None
    slang_id: int | None
    whole: bool


def _pieces(segments: Iterable, start: int, end: int) -> list[_Piece]:
    """The segments' parts over text[start:end] (segments cover the text exactly, in order).
    A clipped word keeps the pinyin of its characters left, not its gloss or slang."""
    pieces: list[_Piece] = []
    offset = 0
    for segment in segments:
        s_start, s_end = offset, offset + len(segment.text)
        offset = s_end
        if s_end <= start or s_start >= end:
            continue
        a, b = max(start, s_start), min(end, s_end)
        whole = a == s_start and b == s_end
        pinyin: tuple[str, ...] = tuple(segment.pinyin or ())
        if not whole and pinyin:
            before = sum(1 for ch in segment.text[: a - s_start] if is_han(ch))
            count = sum(1 for ch in segment.text[a - s_start : b - s_start] if is_han(ch))
            pinyin = pinyin[before : before + count]
            if len(pinyin) != count:
                pinyin = ()
        pieces.append(
            _Piece(
                text=segment.text[a - s_start : b - s_start],
                pinyin=pinyin,
                gloss_id=segment.gloss_id if whole else None,
                slang_id=segment.slang_id if whole else None,
                whole=whole,
            )
        )
    return pieces


def _glossary_url() -> str:
    try:
        return reverse("translations:glossary")
    except NoReverseMatch:
        return ""


def _explanation(term, chinese: bool) -> str:
    first, second = (
        (term.explanation_zh, term.explanation_en)
        if chinese
        else (term.explanation_en, term.explanation_zh)
    )
    return first or second or ""


def _piece_html(piece: _Piece, terms: Mapping, chinese: bool, glossary_url: str) -> str:
    inner = _ruby(piece.text, piece.pinyin)
    term = terms.get(piece.slang_id) if piece.slang_id is not None else None
    if term is not None:
        url = f"{glossary_url}?{urlencode({'q': term.term})}" if glossary_url else ""
        return format_html(
            '<span class="rd-slang" role="button" tabindex="-1" aria-haspopup="dialog"'
            ' data-slang-term="{}" data-slang-pinyin="{}" data-slang-text="{}"'
            ' data-slang-example="{}" data-slang-url="{}">{}</span>',
            term.term,
            term.pinyin,
            _explanation(term, chinese),
            term.example,
            url,
            mark_safe(inner),  # noqa: S308 - built from escaped parts
        )
    if piece.gloss_id:
        return format_html(
            '<span class="rd-w" role="button" tabindex="-1" aria-haspopup="dialog"'
            ' data-gloss="{}">{}</span>',
            piece.gloss_id,
            mark_safe(inner),  # noqa: S308 - built from escaped parts
        )
    return inner


def _links_by_order(original: str, shown: str) -> list[str | None]:
    """For each hashtag of `shown` (a script conversion of `original`), the tag it links to:
    the original's tag in the same position when the two texts have the same links."""
    ours, theirs = text_spans(shown), text_spans(original)
    if [s.kind for s in ours] != [s.kind for s in theirs]:
        return [None] * len(ours)
    return [t.value if t.kind == "hashtag" else None for t in theirs]


def reading_html(
    text_reading, mentioned=None, *, links: bool = True, chinese: bool | None = None
) -> SafeString:
    """The HTML of a `notes.reading.TextReading`: hashtags and mentions linked (with `links`),
    the rest its segments — annotated when `text_reading.annotate`, else plain text."""
    reading = text_reading.reading
    text = reading.text or ""
    if chinese is None:
        chinese = (get_language() or "").lower().startswith("zh")
    known = _known(mentioned)
    spans = text_spans(text) if links else []
    targets = (
        _links_by_order(text_reading.original, text)
        if reading.script_converted and spans
        else [None] * len(spans)
    )
    terms = text_reading.terms or {}
    glossary_url = _glossary_url() if terms else ""

    def run(start: int, end: int) -> str:
        if start >= end:
            return ""
        if not text_reading.annotate:
            return _plain(text[start:end])
        return "".join(
            _piece_html(piece, terms, chinese, glossary_url)
            for piece in _pieces(reading.segments, start, end)
        )

    parts: list[str] = []
    cursor = 0
    for span, target in zip(spans, targets, strict=True):
        parts.append(run(cursor, span.start))
        parts.append(_span_html(span, text[span.start : span.end], known, target))
        cursor = span.end
    parts.append(run(cursor, len(text)))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


@register.simple_tag
def reading_text(text_reading, mentioned=None, links=True) -> SafeString:
    """`{% reading_text comment.reading.body comment.mentions.all %}`; `links=False` for a
    note's title (no links there, as without aids)."""
    return reading_html(text_reading, mentioned, links=links)
