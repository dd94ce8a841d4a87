"""Annotating a text: segments with pinyin, gloss ids and slang ids, cached per text hash.

Where the time goes (bench/reading.py, a 1,000-character Chinese note, profiled with cProfile):
jieba's segmentation is most of it (~2.5–3 ms: its DAG and HMM); a word's segment (reading and
gloss id from the memory-mapped trie) is memoised per process, so a warm process adds ~0.5 ms
over jieba and a text of all-new words ~3 ms; slang matching was 2.2 ms as one regular
expression of every form and is 0.1 ms in two steps (see `_slang.SlangMatcher`).
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.core.cache import cache

from . import _slang
from ._aids import language_base, script_of
from ._convert import script_convert
from ._dictionary import cedict
from ._scripts import han_character, tokens
from ._slang import slang_matcher
from ._types import Reading, Segment

# Part of every cache key: bump when the segments an algorithm change would produce differ.
ALGORITHM_VERSION = 4
CACHE_TIMEOUT = 60 * 60 * 24
# This process's recent annotations, bounded by the characters they hold (a 1,000-character
# reading is ~600 segments, ~150 KB): at most ~8 MB.
LOCAL_CACHE_CHARACTERS = 50_000
# Languages annotated as Chinese and/or English ("" and "mixed": Han runs as Chinese, Latin
# runs as English); any other language is one plain segment.
_ANNOTATED = frozenset({"zh", "en", "mixed", ""})


_local: OrderedDict[str, Reading] = OrderedDict()
_local_characters = 0
_local_lock = threading.Lock()


def _jieba_cut(run: str) -> list[str]:
    import jieba

    return list(jieba.cut(run, HMM=True))


# Per-process memos of word segments: a word's lookups are done once; bounded so that a
# long-lived worker's vocabulary costs at most a few MB (bench/reading.py measures it full).
WORD_MEMO_SIZE = 16384


@lru_cache(maxsize=WORD_MEMO_SIZE)
def chinese_segments(word: str) -> tuple[Segment, ...]:
    """A word jieba found: itself when CC-CEDICT knows it, else split into the longest words
    CC-CEDICT knows, left to right (jieba's HMM makes up words like 跑得快: their parts
    can be glossed)."""
    data = cedict()
    if len(word) == 1 or data.word(word) is not None:
        return (chinese_segment(word),)
    out = []
    position = 0
    while position < len(word):
        prefixes = data.words.prefixes(word[position:])
        longest = max((len(p) for p in prefixes), default=1)
        out.append(chinese_segment(word[position : position + longest]))
        position += longest
    return tuple(out)


@lru_cache(maxsize=WORD_MEMO_SIZE)
def chinese_segment(word: str) -> Segment:
    """The segment of a Chinese word (all Han characters): its reading and gloss id."""
    data = cedict()
    found = data.word(word)
    reading: tuple[str, ...] = ()
    gloss_id = None
    if found is not None:
        text, ids = found
        syllables = tuple(sys.intern(syllable) for syllable in text.split())
        if len(syllables) == len(word):
            reading = syllables
        if ids:
            gloss_id = word
    if not reading:
        reading = tuple(_character_reading(char) for char in word)
        if not all(reading):  # a character no table reads (rare extensions): no pinyin at all
            reading = ()
    return Segment(word, reading, gloss_id)


def _character_reading(char: str) -> str:
    found = cedict().word(char)
    return sys.intern(found[0].split(" ")[0]) if found and found[0] else ""


def english_lemma(word: str) -> str | None:
    """The form of an English word the reverse index knows ("banks" → "bank"), or None."""
    data = cedict()
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    lemma = None
    # To a fixed point ("buildings" → "building" → "build"), so that a lemma is its own lemma:
    # a segment's gloss_id looks up as itself.
    for _ in range(3):
        found = next((c for c in _lemma_candidates(lowered) if c and data.has_english(c)), None)
        if found is None or found == lemma:
            break
        lemma = lowered = found
    return lemma


# Words the suffix rules would turn into another word ("does" → "doe", "news" → "new").
_NOT_INFLECTED = frozenset(
    "is was has does goes this his its us yes news less always perhaps series species "
    "bus gas plus thus bias during bring thing nothing something anything everything "
    "sing king ring spring string wing morning evening red bed need feed seed speed".split()
)


def _lemma_candidates(word: str) -> list[str]:
    """The word's possible lemmas, stripped forms first (then the word as written)."""
    if word in _NOT_INFLECTED or len(word) < 4:
        return [word]
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")
    out.append(word)
    return out


@lru_cache(maxsize=WORD_MEMO_SIZE)
def english_segment(word: str) -> Segment:
    return Segment(word, (), english_lemma(word))


_NUMERALS = "一二三四五六七八九十百千万两几每这那哪半俩仨這個兩幾萬"
# A character standing alone read by the word before it (in the same run of Han characters):
# a measure word after a numeral or a demonstrative (三只猫 sān zhī), the erhua suffix after
# any word (豆汁儿 dòuzhīr). (preceding word's last characters, or None for any; segment)
_AFTER: dict[str, tuple[str | None, Segment]] = {
    "只": (_NUMERALS, Segment("只", ("zhī",), "只")),
    "隻": (_NUMERALS, Segment("隻", ("zhī",), "隻")),
    "儿": (None, Segment("儿", ("r",), "儿")),
    "兒": (None, Segment("兒", ("r",), "兒")),
}


def _read_after(word: str, previous: str) -> Segment | None:
    rule = _AFTER.get(word)
    if rule is None or not previous:
        return None
    after, segment = rule
    return segment if after is None or previous[-1] in after else None


def _plain_segments(text: str, out: list[Segment]) -> None:
    """Annotates a stretch of text without slang: Han runs segmented, Latin words glossed,
    everything between kept as plain segments."""
    position = 0
    for match in tokens().finditer(text):
        start = match.start()
        if start > position:
            out.append(Segment(text[position:start]))
        run = match.group()
        if match.lastgroup == "han":
            first = len(out)
            for word in _jieba_cut(run):
                out.extend(chinese_segments(word))
            for index in range(first + 1, len(out)):
                by_context = _read_after(out[index].text, out[index - 1].text)
                if by_context is not None:
                    out[index] = by_context
        else:
            out.append(english_segment(run))
        position = match.end()
    if position < len(text):
        out.append(Segment(text[position:]))


def annotate_segments(text: str, language: str, version: str) -> tuple[Segment, ...]:
    if not text:
        return ()
    if language_base(language) not in _ANNOTATED:
        return (Segment(text),)
    out: list[Segment] = []
    position = 0
    for start, end, pk in slang_matcher(version).matches(text, language):
        _plain_segments(text[position:start], out)
        term = text[start:end]
        pinyin: tuple[str, ...] = ()
        if han_character().search(term):
            # Read as the words it is made of (永远的神: 永远 + 的 + 神), as running text is.
            pinyin = tuple(
                syllable
                for run in tokens().finditer(term)
                if run.lastgroup == "han"
                for word in _jieba_cut(run.group())
                for segment in chinese_segments(word)
                for syllable in segment.pinyin
            )
            if len(pinyin) != len(han_character().findall(term)):
                pinyin = ()  # a character no table reads
            known = cedict().word(term)
            gloss_id = term if known and known[1] else None
        else:
            gloss_id = english_lemma(term) if " " not in term else None
        out.append(Segment(term, pinyin, gloss_id, pk))
        position = end
    _plain_segments(text[position:], out)
    return _merge_plain(out)


def _merge_plain(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if (
            merged
            and _is_plain(segment)
            and _is_plain(merged[-1])
            and not han_character().search(segment.text)
        ):
            merged[-1] = Segment(merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return tuple(merged)


def _is_plain(segment: Segment) -> bool:
    return not segment.pinyin and segment.gloss_id is None and segment.slang_id is None


def _cache_key(text: str, language: str, convert_to: str | None, version: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"reading:{ALGORITHM_VERSION}:{version}:{digest}:{language}:{convert_to or ''}"


def _pack(reading: Reading) -> tuple[Any, ...]:
    return tuple((s.text, " ".join(s.pinyin), s.gloss_id, s.slang_id) for s in reading.segments)


def _unpack(packed: tuple[Any, ...], language: str, converted: str | None) -> Reading:
    segments = tuple(
        Segment(
            text,
            tuple(sys.intern(syllable) for syllable in pinyin.split()) if pinyin else (),
            gloss_id,
            slang_id,
        )
        for text, pinyin, gloss_id, slang_id in packed
    )
    return Reading("".join(s.text for s in segments), language, segments, converted)


def _conversion(language: str, convert_to: str | None) -> str | None:
    """The script to convert a text in `language` to: None for no conversion (none asked,
    already in that script, or not Chinese). ValueError when `convert_to` is not a script."""
    if not convert_to:
        return None
    target = script_of(convert_to)
    if target is None:
        raise ValueError(f"cannot convert to {convert_to!r}: not a Chinese script")
    if language_base(language) != "zh" or script_of(language) == target:
        return None
    return target


def _compute(text: str, language: str, convert_to: str | None, version: str) -> Reading:
    target = _conversion(language, convert_to)
    if target is not None:
        converted = script_convert(text, language, target)
        return Reading(converted, target, annotate_segments(converted, target, version), language)
    return Reading(text, language, annotate_segments(text, language, version), None)


def _remember(key: str, reading: Reading) -> None:
    global _local_characters
    if len(reading.text) > LOCAL_CACHE_CHARACTERS // 4:
        return  # a very long text would push out many ordinary ones; the shared cache has it
    with _local_lock:
        previous = _local.pop(key, None)
        if previous is not None:
            _local_characters -= len(previous.text)
        _local[key] = reading
        _local_characters += len(reading.text)
        while _local_characters > LOCAL_CACHE_CHARACTERS:
            _key, evicted = _local.popitem(last=False)
            _local_characters -= len(evicted.text)


def _recall(key: str) -> Reading | None:
    with _local_lock:
        reading = _local.get(key)
        if reading is not None:
            _local.move_to_end(key)
        return reading


def reading_annotate_many(items: Sequence[tuple[str, str, str | None]]) -> list[Reading]:
    """`reading_annotate` for many (text, language, convert_to) at once: one cache round trip
    (the glossary version and the annotations together), a second only after the glossary
    changed."""
    guess = _slang.last_version()
    version, local, found = _cached(items, guess)
    if version != guess:
        version, local, found = _cached(items, version)
    results: list[Reading] = []
    fresh: dict[str, Any] = {}
    computed: dict[str, Reading] = {}
    for text, language, convert_to in items:
        if not text:
            results.append(_compute(text, language, convert_to, version))
            continue
        key = _cache_key(text, language, convert_to, version)
        reading = local.get(key) or computed.get(key)
        if reading is None:
            target = _conversion(language, convert_to)
            if key in found:
                reading = _unpack(found[key], target or language, language if target else None)
            else:
                reading = _compute(text, language, convert_to, version)
                fresh[key] = _pack(reading)
            computed[key] = reading
            _remember(key, reading)
        results.append(reading)
    if fresh:
        cache.set_many(fresh, timeout=CACHE_TIMEOUT)
    return results


def _cached(
    items: Sequence[tuple[str, str, str | None]], version: str | None
) -> tuple[str, dict[str, Reading], dict[str, Any]]:
    """(the glossary version, the annotations of `items` held by this process, those held by
    the cache) with keys made for `version`; the version read in the same round trip."""
    local: dict[str, Reading] = {}
    wanted: list[str] = []
    if version is not None:
        for text, language, convert_to in items:
            if text:
                key = _cache_key(text, language, convert_to, version)
                reading = _recall(key)
                if reading is not None:
                    local[key] = reading
                else:
                    wanted.append(key)
    found = cache.get_many([_slang.VERSION_KEY, *wanted])
    current = _slang.version_seen(found.pop(_slang.VERSION_KEY, None))
    return current, local, found


def reading_annotate(text: str, language: str, *, convert_to: str | None = None) -> Reading:
    """`text` (in `language`) segmented and annotated, converted first to the `convert_to`
    script when given (see the package docstring); cached per text hash."""
    return reading_annotate_many([(text, language, convert_to)])[0]


def clear_local_cache() -> None:
    global _local_characters
    with _local_lock:
        _local.clear()
        _local_characters = 0
