"""Helpers for the bilingual view: what a page may show at once, and how a translation is
labelled.

A page shows a translation at once only when it costs no provider call: a community
translation that replaces the machine one, or a machine translation already in the cache.
`translations_ready_many` answers that for a whole page in two queries (the community lookup
and the cache lookup, the same rules as `services.translations_get_many`, which it shares),
and never enqueues anything nor counts a quota: the reader asked for nothing yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .models import MachineTranslationStatus
from .services import (
    Kind,
    TranslationRequest,
    TranslationResult,
    _cached_rows,
    _community_results,
    _machine_result,
    _provider,
    _source_code,
    text_hash,
    text_normalize,
)


def translations_ready_many(
    *, requests: Sequence[TranslationRequest], target: str
) -> list[TranslationResult | None]:
    """For each request (in order), its translation into `target` when one is ready without
    asking the provider (community, or a finished machine translation in the cache), else
    None. Two queries at most, whatever the number of texts."""
    results: list[TranslationResult | None] = [None] * len(requests)
    normalized = [text_normalize(request.text) for request in requests]
    open_indexes = [
        index
        for index, (request, text) in enumerate(zip(requests, normalized, strict=True))
        if text and not (request.source and request.source == target)
    ]
    community = _community_results([(i, requests[i], normalized[i]) for i in open_indexes], target)
    for index, result in community.items():
        results[index] = result
    open_indexes = [i for i in open_indexes if results[i] is None]
    provider = _provider()
    if provider is None or not open_indexes:
        return results
    keys = {
        index: (text_hash(normalized[index]), _source_code(requests[index].source))
        for index in open_indexes
    }
    rows = _cached_rows(set(keys.values()), target, provider.key)
    for index in open_indexes:
        row = rows.get(keys[index])
        if row is not None and row.status == MachineTranslationStatus.DONE:
            results[index] = _machine_result(
                row, provider, target, requests[index].source, cached=True
            )
    return results


def machine_translation_configured() -> bool:
    """Whether a provider is set up (and its settings complete): without one, readers are told
    that machine translation is not set up, and community translations still show."""
    return _provider() is not None


def translation_label(result: TranslationResult) -> str:
    """Where a translation comes from, for readers: "Machine translation · LibreTranslate",
    "Community translation by @name"."""
    if result.kind == Kind.COMMUNITY:
        return _("Community translation by {name}").format(name=result.provider)
    return _("Machine translation · {provider}").format(provider=result.provider)
