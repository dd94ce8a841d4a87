"""The values the reading aids hand out (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A slice of `Reading.text`; a reading's segments concatenate to its text exactly."""

    text: str
    # Chinese words only: one syllable per Han character of `text`, tone marks; () otherwise.
    pinyin: tuple[str, ...] = ()
    # A key `dictionary_lookup` knows (the Chinese word as written, or an English lemma).
    gloss_id: str | None = None
    # The pk of the approved GlossaryTerm matched here.
    slang_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.pinyin:
            out["pinyin"] = "".join(self.pinyin)
        if self.gloss_id is not None:
            out["gloss_id"] = self.gloss_id
        if self.slang_id is not None:
            out["slang_id"] = self.slang_id
        return out


@dataclass(frozen=True)
class Reading:
    text: str
    language: str
    segments: tuple[Segment, ...]
    script_converted: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "language": self.language,
            "segments": [segment.as_json() for segment in self.segments],
        }
        if self.script_converted:
            out["script_converted"] = self.script_converted
        return out


@dataclass(frozen=True)
class DictionaryEntry:
    simplified: str
    traditional: str
    pinyin: str  # tone marks, syllables separated by spaces: "yín háng"
    senses: tuple[str, ...]


@dataclass(frozen=True)
class DictionaryResult:
    query: str
    direction: str  # "zh-en" or "en-zh"
    entries: tuple[DictionaryEntry, ...]


@dataclass(frozen=True)
class Aids:
    annotate: bool
    convert_to: str | None
