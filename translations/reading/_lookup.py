"""Dictionary look-ups both ways: a Chinese word's CC-CEDICT entries, an English word's
Chinese words (the reverse index, best first)."""

from __future__ import annotations

from ._annotate import english_lemma
from ._dictionary import cedict
from ._scripts import english_word, han_character
from ._types import DictionaryEntry, DictionaryResult

MAX_QUERY_LENGTH = 64
MAX_LIMIT = 50
# Punctuation around a word as it is selected or typed ("银行。", "bank,").
_EDGE_PUNCTUATION = " .,;:!?\"'()[]{}<>。，、；：！？“”‘’（）《》「」【】…—·"


def dictionary_lookup(query: str, *, limit: int = 20) -> DictionaryResult:
    """A Chinese word (Simplified or Traditional headword) → its entries; an English word or
    lemma → entries whose senses hold it, best first. ValueError for an empty or overlong
    query."""
    query = " ".join((query or "").split()).strip(_EDGE_PUNCTUATION)
    if not query:
        raise ValueError("empty query")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"query longer than {MAX_QUERY_LENGTH} characters")
    limit = max(1, min(limit, MAX_LIMIT))
    data = cedict()
    if han_character().search(query):
        found = data.word(query)
        if not found:
            return DictionaryResult(query, "zh-en", ())
        reading, ids = found
        return DictionaryResult(query, "zh-en", _reading_first(_entries(ids), reading)[:limit])
    words = english_word().findall(query)
    ids = ()
    if len(words) == 1:
        lemma = english_lemma(words[0])
        if lemma:
            ids = data.english_ids(lemma)
    elif words:
        # The words written as one ("hot pot": CC-CEDICT's "hotpot") first, then the phrase.
        joined = data.english_ids("".join(w.lower() for w in words))
        phrase = _phrase_ids(" ".join(w.lower() for w in words), words)
        ids = tuple(dict.fromkeys(joined + phrase))
    return DictionaryResult(query, "en-zh", _entries(ids[:limit]))


def _phrase_ids(phrase: str, words: list[str]) -> tuple[int, ...]:
    """Entries with a sense equal to (or starting with) a several-word phrase ("ice cream")."""
    data = cedict()
    lemmas = [english_lemma(word) for word in words]
    if not all(lemmas):
        return ()
    candidates = data.english_ids(lemmas[0] or "")
    for lemma in lemmas[1:]:
        others = set(data.english_ids(lemma or ""))
        candidates = tuple(i for i in candidates if i in others)
    ranked = []
    for entry_id in candidates:
        senses = [" ".join(s.lower().split()) for s in data.entry(entry_id).senses]
        if any(s in (phrase, f"to {phrase}") for s in senses):
            ranked.append((0, entry_id))
        elif any(phrase in s for s in senses):
            ranked.append((1, entry_id))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(entry_id for _rank, entry_id in ranked)


def _reading_first(
    entries: tuple[DictionaryEntry, ...], reading: str
) -> tuple[DictionaryEntry, ...]:
    """A word's entries in the order a reader wants them: first those read as the annotation
    reads the word (区 qū "area" before 区 Ōu "surname Ou"), then the other common words, then
    proper nouns (CC-CEDICT capitalises their pinyin); CC-CEDICT's order otherwise."""

    def rank(entry: DictionaryEntry) -> int:
        if entry.pinyin[:1].isupper():
            return 2
        return 0 if entry.pinyin == reading else 1

    return tuple(sorted(entries, key=rank))


def _entries(ids: tuple[int, ...]) -> tuple[DictionaryEntry, ...]:
    data = cedict()
    out = []
    for entry_id in ids:
        raw = data.entry(entry_id)
        out.append(DictionaryEntry(raw.simplified, raw.traditional, raw.pinyin, raw.senses))
    return tuple(out)
