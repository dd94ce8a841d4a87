"""Machine-translation providers behind one small protocol.

A provider only talks to the outside: it translates a batch of plain texts from one language
into another in one call, within `settings.TRANSLATION_TIMEOUT_SECONDS`, and raises
`ProviderError` when it cannot. Caching, batching, quotas, privacy and retries belong to
`translations.services` and `translations.tasks`.

Chosen by `TRANSLATION_PROVIDER` (`libretranslate`, `deepl`, `openai`; empty: none) with
`TRANSLATION_API_URL`, `TRANSLATION_API_KEY` and, for `openai`, `TRANSLATION_MODEL`.
"""

from __future__ import annotations

import functools
from typing import Protocol

from django.conf import settings


class ProviderError(Exception):
    """A provider call failed. `retryable`: a later try may work (timeout, 5xx, 429);
    `retry_after`: seconds the provider asked to wait (429's Retry-After), if it said."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class ProviderRefused(ProviderError):
    """The provider answered, but not with a translation (an LLM that followed the text's
    instructions, repeated its own, or answered nothing): never shown, not retried.

    `translations`, when given, holds the batch's acceptable answers in order, None for each
    refused one: one bad answer need not cost the other texts theirs."""

    def __init__(self, message: str, *, translations: list[str | None] | None = None):
        super().__init__(message, retryable=False)
        self.translations = translations


class TranslationProvider(Protocol):
    #: Stored with each cached translation; a different provider (or model) is another entry.
    key: str
    #: Shown to readers: "Machine translation · LibreTranslate".
    display_name: str
    #: Texts per call and characters per call the provider takes.
    max_batch: int
    max_batch_chars: int

    def translate(self, texts: list[str], *, source: str | None, target: str) -> list[str]:
        """`texts` (plain text) translated from `source` (a BCP 47 code of CONTENT_LANGUAGES,
        or None to let the provider detect it) into `target`, one answer per text in order.
        Raises ProviderError."""
        ...


def provider_configured() -> bool:
    return bool(settings.TRANSLATION_PROVIDER)


def provider_get() -> TranslationProvider | None:
    """The configured provider, or None when machine translation is not set up."""
    name = (settings.TRANSLATION_PROVIDER or "").strip().lower()
    if not name:
        return None
    return _provider(
        name,
        settings.TRANSLATION_API_URL,
        settings.TRANSLATION_API_KEY,
        settings.TRANSLATION_MODEL,
        float(settings.TRANSLATION_TIMEOUT_SECONDS),
    )


@functools.lru_cache(maxsize=4)
def _provider(name: str, url: str, key: str, model: str, timeout: float) -> TranslationProvider:
    # One instance per configuration: each keeps its HTTP session (connection reuse).
    if name == "libretranslate":
        from .libretranslate import LibreTranslateProvider

        return LibreTranslateProvider(url=url, api_key=key, timeout=timeout)
    if name == "deepl":
        from .deepl import DeepLProvider

        return DeepLProvider(url=url, api_key=key, timeout=timeout)
    if name == "openai":
        from .openai import OpenAIChatProvider

        return OpenAIChatProvider(url=url, api_key=key, model=model, timeout=timeout)
    raise ValueError(f"Unknown TRANSLATION_PROVIDER {name!r}: use libretranslate, deepl or openai.")


def base_language(code: str | None) -> str:
    """ "zh-Hans" → "zh"."""
    return (code or "").split("-")[0].lower()


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header's delay in seconds (only the delta-seconds form; a date is
    treated as not given)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
