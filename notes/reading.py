"""Reading aids on the note page and its comment fragments: which texts a reader gets pinyin,
word glosses and slang tooltips on, which are shown converted between Traditional and
Simplified Chinese, and their annotations — attached to the note and comments of a page as
`notes.bilingual` attaches translations.

The rule is the engine's (`translations.reading.aids_for`), applied to the language a text
counts as (a mixed text by its stored main language, as for translations): a signed-in reader's
languages, "languages I'm learning" and "Reading aids" switch; a visitor's interface language
alone, so that a visitor's page, cached for every visitor of that language
(`rednote.pagecache`), is the same for each of them.

A page costs one cache round trip for all its texts (`reading_annotate_many`) and one query
for the slang terms found in them, whatever the number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from translations.models import GlossaryTerm
from translations.reading import Aids, Reading, aids_for, reading_annotate_many, slang_terms

from .bilingual import Reader, reading_language
from .models import Comment, Note

# The scripts Chinese text is shown in, converted between (`?script=` of the reading API).
SCRIPTS = ("zh-Hans", "zh-Hant")


@dataclass(frozen=True)
class TextReading:
    """One text as a reader sees it: `reading` covers the text as written or, when
    `converted_from` is set, its conversion to the reader's script; `annotate` says whether
    its pinyin, glosses and slang are shown (a conversion alone shows none). `original` is
    the text as written, which "Show original" reveals; `terms` the page's slang terms by pk."""

    reading: Reading
    annotate: bool
    original: str
    original_language: str  # the text's as stored ("mixed" for a mixed one)
    terms: Mapping[int, GlossaryTerm] = field(default_factory=dict)

    @property
    def converted_from(self) -> str | None:
        return self.reading.script_converted

    @property
    def has_pinyin(self) -> bool:
        return self.annotate and any(segment.pinyin for segment in self.reading.segments)


@dataclass(frozen=True)
class ReadingBlock:
    """The reading aids of a note (its `title` and `body`) or a comment (`body` only)."""

    kind: str  # "note" | "comment"
    object_id: int
    title: TextReading | None
    body: TextReading | None

    @property
    def texts(self) -> list[TextReading]:
        return [text for text in (self.title, self.body) if text is not None]

    @property
    def has_pinyin(self) -> bool:
        return any(text.has_pinyin for text in self.texts)

    @property
    def annotate(self) -> bool:
        return any(text.annotate for text in self.texts)

    @property
    def converted_from(self) -> str | None:
        return next((t.converted_from for t in self.texts if t.converted_from), None)

    @property
    def language(self) -> str:
        """The language the block is shown in (its conversion's, when converted)."""
        return next((t.reading.language for t in self.texts), "")

    @property
    def dom_id(self) -> str:
        return f"reading-{self.kind}-{self.object_id}"


def reader_aids(
    reader: Reader, language: str, text: str, main: str | None, *, script: str | None = None
) -> tuple[Aids, str]:
    """The aids `reader` gets on `text` (in `language`; a mixed text counts by `main`), and the
    language to annotate it as: its own, or — converted between scripts — the language it
    counts as (the engine converts Chinese text only). The note page and the reading API both
    ask here. `script` ("zh-Hans"/"zh-Hant": the API's `?script=`) shows Chinese text in that
    script instead of the reader's."""
    counted = reading_language(language, text, main)
    if reader.is_visitor:
        aids = aids_for(language=counted, reads=reader.reads, learning=(), enabled=True)
    else:
        user = reader.user
        aids = aids_for(
            language=counted,
            reads=reader.reads,
            learning=list(getattr(user, "learning_languages", None) or ()),
            enabled=getattr(user, "reading_aids", "learning") != "off",
        )
    if script is not None:
        convert_to = script if counted in SCRIPTS and counted != script else None
        aids = replace(aids, convert_to=convert_to)
    return aids, (counted if aids.convert_to else language)


# A text to annotate: (object, kind, part, text, language, aids).
_Slot = tuple[Note | Comment, str, str, str, str, Aids]


def page_reading_attach(reader: Reader, *, note: Note | None, comments: Iterable[Comment]) -> None:
    """Give `note` (when given) and each of `comments` a `reading` block (`ReadingBlock`) when
    `reader` gets aids on one of its texts, else None. One `reading_annotate_many` call and one
    query for the slang terms for them all."""
    slots: list[_Slot] = []
    if note is not None:
        note.reading = None  # type: ignore[attr-defined]
        whole = f"{note.title}\n{note.body}"
        aids, language = reader_aids(reader, note.language, whole, note.language_main)
        if aids.annotate or aids.convert_to:
            for part in ("title", "body"):
                text = getattr(note, part)
                if text.strip():
                    slots.append((note, "note", part, text, language, aids))
    for comment in comments:
        comment.reading = None  # type: ignore[attr-defined]
        if not comment.body.strip():
            continue
        aids, language = reader_aids(reader, comment.language, comment.body, comment.language_main)
        if aids.annotate or aids.convert_to:
            slots.append((comment, "comment", "body", comment.body, language, aids))
    if not slots:
        return
    readings = reading_annotate_many(
        [(text, language, aids.convert_to) for _obj, _k, _p, text, language, aids in slots]
    )
    wanted = {
        segment.slang_id
        for reading, slot in zip(readings, slots, strict=True)
        if slot[5].annotate
        for segment in reading.segments
        if segment.slang_id is not None
    }
    terms = slang_terms(wanted) if wanted else {}
    parts: dict[tuple[str, int], dict[str, TextReading]] = {}
    objects: dict[tuple[str, int], Note | Comment] = {}
    for reading, (obj, kind, part, text, _language, aids) in zip(readings, slots, strict=True):
        key = (kind, obj.pk)
        objects[key] = obj
        parts.setdefault(key, {})[part] = TextReading(
            reading=reading,
            annotate=aids.annotate,
            original=text,
            original_language=obj.language,
            terms=terms,
        )
    for (kind, pk), found in parts.items():
        block = ReadingBlock(kind, pk, title=found.get("title"), body=found.get("body"))
        setattr(objects[(kind, pk)], "reading", block)  # noqa: B010 - a page attribute
