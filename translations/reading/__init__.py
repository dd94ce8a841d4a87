"""Reading aids that run offline: Chinese segmented with jieba and read in pinyin (tone marks,
word readings from CC-CEDICT so polyphones are read in context: 银行 yínháng, 行走 xíngzǒu),
word glosses both ways (CC-CEDICT and its English reverse index), Traditional ↔ Simplified
(OpenCC, phrase level) and the approved slang glossary underlined where it occurs.

This package's `__init__` is the whole interface (READING_API.md); its modules are private.
Importing it loads no dictionary: CC-CEDICT (memory-mapped, see `_dictionary`), jieba, OpenCC
and the slang matcher are loaded on first use, once per process.
"""

from ._aids import aids_for
from ._annotate import reading_annotate, reading_annotate_many
from ._convert import script_convert
from ._dictionary import ensure_built as dictionary_build
from ._lookup import dictionary_lookup
from ._scripts import is_han
from ._slang import glossary_changed, slang_terms
from ._types import Aids, DictionaryEntry, DictionaryResult, Reading, Segment

__all__ = [
    "Aids",
    "DictionaryEntry",
    "DictionaryResult",
    "Reading",
    "Segment",
    "aids_for",
    "dictionary_build",
    "dictionary_lookup",
    "glossary_changed",
    "is_han",
    "reading_annotate",
    "reading_annotate_many",
    "script_convert",
    "slang_terms",
]
