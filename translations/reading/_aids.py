"""Which aids a reader gets on a text: the one rule the pages and the API share."""

from __future__ import annotations

from collections.abc import Sequence

from ._types import Aids

# The languages the engine annotates (by base language).
ANNOTATED_LANGUAGES = frozenset({"zh", "en"})
SCRIPTS = ("zh-Hans", "zh-Hant")


def language_base(language: str) -> str:
    """ "zh-Hans", "zh-Hant", "zh", "zh-TW" → "zh"; "en-GB" → "en"; "" → ""."""
    return (language or "").split("-")[0].split("_")[0].lower()


def script_of(language: str) -> str | None:
    """ "zh-Hans"/"zh-Hant" (any case) as written in SCRIPTS, else None."""
    lowered = (language or "").lower()
    for script in SCRIPTS:
        if lowered == script.lower():
            return script
    return None


def aids_for(
    *, language: str, reads: Sequence[str], learning: Sequence[str], enabled: bool = True
) -> Aids:
    """The aids for a text in `language` shown to a reader who reads `reads` and is learning
    `learning` (see READING_API.md): a script conversion when the reader reads only the other
    Chinese script, and annotations when aids are enabled and the text's language is one the
    reader is learning (or, learning nothing in particular, does not read)."""
    script = script_of(language)
    read_scripts = {script_of(code) for code in reads}
    convert_to = None
    if script is not None:
        other = SCRIPTS[1] if script == SCRIPTS[0] else SCRIPTS[0]
        if other in read_scripts and script not in read_scripts:
            convert_to = other
    base = language_base(language)
    annotate = False
    if enabled and base in ANNOTATED_LANGUAGES:
        if learning:
            annotate = base in {language_base(code) for code in learning}
        else:
            annotate = base not in {language_base(code) for code in reads}
    return Aids(annotate=annotate, convert_to=convert_to)
