"""Traditional ↔ Simplified Chinese with OpenCC (phrase level), one converter per direction,
loaded on first use."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from ._aids import script_of

# zh-Hant (Taiwan) → zh-Hans with the mainland's words (軟體 → 软件), and the reverse.
OPENCC_CONFIGS = {("zh-Hant", "zh-Hans"): "tw2sp", ("zh-Hans", "zh-Hant"): "s2twp"}
# Short texts (slang terms, titles) are converted often: remembered per process.
_CACHED_TEXT_LENGTH = 64

_lock = threading.Lock()
_converters: dict[str, Any] = {}


def converter(config: str) -> Any:
    found = _converters.get(config)
    if found is None:
        with _lock:
            found = _converters.get(config)
            if found is None:
                import opencc

                found = _converters[config] = opencc.OpenCC(config)
    return found


def loaded_configs() -> tuple[str, ...]:
    return tuple(_converters)


def script_convert(text: str, source: str, target: str) -> str:
    """`text` written in `source` ("zh-Hant", "zh-Hans", "zh") converted to the `target` script
    ("zh-Hans" or "zh-Hant"). A text already in the target script comes back unchanged; a
    `source` of unknown script is treated as the other script. ValueError for another target."""
    target_script = script_of(target)
    if target_script is None:
        raise ValueError(f"cannot convert to {target!r}: not a Chinese script")
    source_script = script_of(source)
    if source_script == target_script or not text:
        return text
    if len(text) <= _CACHED_TEXT_LENGTH:
        return _convert_short(text, target_script)
    return _convert(text, target_script)


def _convert(text: str, target_script: str) -> str:
    source_script = "zh-Hans" if target_script == "zh-Hant" else "zh-Hant"
    config = OPENCC_CONFIGS[(source_script, target_script)]
    return str(converter(config).convert(text))


@lru_cache(maxsize=4096)
def _convert_short(text: str, target_script: str) -> str:
    return _convert(text, target_script)
