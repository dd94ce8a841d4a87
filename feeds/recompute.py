"""A value that is costly to compute and may be a few minutes old (trending tags, a tag's Top
ranking), kept in the Django cache so that a busy site computes it once per period, not once
per worker: when it is due, one request recomputes it under a short lock while the others keep
answering with the previous value.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

PREVIOUS_SECONDS = 3600
LOCK_SECONDS = 60


def cached_value(key: str, compute: Callable[[], Any], *, seconds: int) -> Any:
    """The value under `key`: cached (for `seconds`), else the previous one while another
    request recomputes it, else `compute()` now (stored for the next readers)."""
    value = cache.get(key)
    if value is not None:
        return value
    previous = cache.get(f"{key}:previous")
    if previous is not None and not cache.add(f"{key}:computing", 1, LOCK_SECONDS):
        return previous
    value = compute()
    cache.set(key, value, seconds)
    cache.set(f"{key}:previous", value, PREVIOUS_SECONDS)
    cache.delete(f"{key}:computing")
    return value


def cached_value_forget(key: str) -> None:
    """Drop the value and the previous one: the next read computes afresh."""
    cache.delete_many([key, f"{key}:previous"])
