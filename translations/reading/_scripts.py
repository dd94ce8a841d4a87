"""Character classes shared by the engine's modules, compiled on first use (a class with the
supplementary ideographs costs ~2 ms to compile: not at import)."""

from __future__ import annotations

import re
from functools import cache

# CJK ideographs: the unified blocks, extension A, the compatibility ideographs, and the
# supplementary planes' extensions.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
ENGLISH_WORD = r"[A-Za-z]+(?:['’][A-Za-z]+)*"


@cache
def han_character() -> re.Pattern[str]:
    return re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    """Whether `ch` is a Han character: one pinyin syllable in a Segment's `pinyin`."""
    return han_character().fullmatch(ch) is not None


@cache
def tokens() -> re.Pattern[str]:
    """A run of Han characters (group "han") or an English word (group "latin")."""
    return re.compile(f"(?P<han>[{HAN}]+)|(?P<latin>{ENGLISH_WORD})")


@cache
def english_word() -> re.Pattern[str]:
    return re.compile(ENGLISH_WORD)
