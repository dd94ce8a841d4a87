"""Getting translations for readers (the steps in the package docstring): community first,
then the cache, the quota, and pending rows queued for the translations queue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import User
from rednote.tasks import enqueue_on_commit

from ..models import MachineTranslation, MachineTranslationStatus
from ..providers import TranslationProvider
from ..usage import usage_count
from .community import _community_results
from .quota import translation_quota_use
from .types import (
    FAILED_RETRY_AFTER,
    PENDING_STALE_AFTER,
    TRANSLATE_TASK,
    Kind,
    QuotaExceeded,
    Reason,
    State,
    TranslationRequest,
    TranslationResult,
    _provider,
    _source_code,
    _unavailable,
    text_hash,
    text_normalize,
)


def translation_get(
    *,
    text: str,
    source: str | None,
    target: str,
    private: bool = False,
    user: User | None = None,
    content: models.Model | None = None,
    part: str = "",
    visitor: str | None = None,
) -> TranslationResult:
    """`text` in `target` for `user` (see the module docstring for the steps). `source` is
    the text's language (None or "mixed": the provider detects it); `private` marks text that
    is not public; `content` is the note or comment (`part`: which of its texts), whose
    community translation wins; `visitor` counts a signed-out reader's quota (their address)."""
    request = TranslationRequest(
        text=text, source=source, private=private, content=content, part=part
    )
    return translations_get_many(requests=[request], target=target, user=user, visitor=visitor)[0]


def translations_get_many(
    *,
    requests: Sequence[TranslationRequest],
    target: str,
    user: User | None = None,
    visitor: str | None = None,
    served: bool = True,
    poll: bool = False,
) -> list[TranslationResult]:
    """Many texts into `target` at once (a thread), in the order given: one query per step,
    one task and one provider call per batch for every text not cached. Each text's result is
    as `translation_get`'s. `served`: the results go to a reader, and are counted for the
    dashboard (False for the site's own reading: screening, the moderators' preview).

    `poll`: asking again how translations already asked for are going (the page's polling of
    a pending one, `rednote.throttling.is_poll`): only reads — a text with no translation
    under way, or a failed one that could be tried again, is `Reason.NOT_ASKED`, with no quota
    spent and nothing queued (a pending one whose message seems lost is still queued again: it
    was paid for when it was asked)."""
    results = _translations_get_many(
        requests=requests, target=target, user=user, visitor=visitor, poll=poll
    )
    if served:
        kinds = Counter(result.kind for result in results if result.is_done)
        for kind in (Kind.MACHINE, Kind.COMMUNITY):
            usage_count(kind, kinds[kind])
    return results


def _translations_get_many(
    *,
    requests: Sequence[TranslationRequest],
    target: str,
    user: User | None,
    visitor: str | None,
    poll: bool = False,
) -> list[TranslationResult]:
    results: list[TranslationResult | None] = [None] * len(requests)
    normalized = [text_normalize(request.text) for request in requests]

    open_indexes = []
    for index, (request, text) in enumerate(zip(requests, normalized, strict=True)):
        if not text:
            results[index] = _unavailable(target, request.source, Reason.EMPTY)
        elif request.source and request.source == target:
            results[index] = _unavailable(target, request.source, Reason.SAME_LANGUAGE)
        else:
            open_indexes.append(index)

    for index, result in _community_results(
        [(i, requests[i], normalized[i]) for i in open_indexes], target
    ).items():
        results[index] = result
    open_indexes = [i for i in open_indexes if results[i] is None]

    provider = _provider()
    if provider is None:
        for index in open_indexes:
            results[index] = _unavailable(target, requests[index].source, Reason.NOT_CONFIGURED)
        return _finished(results)
    if not settings.TRANSLATION_PROVIDER_SELF_HOSTED:
        for index in open_indexes:
            if requests[index].private:
                results[index] = _unavailable(target, requests[index].source, Reason.PRIVATE)
        open_indexes = [i for i in open_indexes if results[i] is None]

    keys = {
        index: (text_hash(normalized[index]), _source_code(requests[index].source))
        for index in open_indexes
    }
    rows = _cached_rows(set(keys.values()), target, provider.key)
    missing: dict[tuple[str, str], str] = {}  # key → text, each text once
    requeue: list[int] = []
    now = timezone.now()
    for index in open_indexes:
        row = rows.get(keys[index])
        if row is None or (
            row.status == MachineTranslationStatus.FAILED
            and now - row.updated_at > FAILED_RETRY_AFTER
        ):
            missing[keys[index]] = normalized[index]
        elif row.status == MachineTranslationStatus.PENDING and (
            now - row.updated_at > PENDING_STALE_AFTER
        ):
            requeue.append(row.pk)

    if missing and poll:
        for index in open_indexes:
            if keys[index] in missing:
                results[index] = _unavailable(target, requests[index].source, Reason.NOT_ASKED)
        missing = {}
    if missing:
        try:
            translation_quota_use(
                user=user, visitor=visitor, characters=sum(map(len, missing.values()))
            )
        except QuotaExceeded:
            for index in open_indexes:
                if keys[index] in missing:
                    results[index] = _unavailable(target, requests[index].source, Reason.QUOTA)
            missing = {}
    if requeue:  # its message seems lost; the next reader waits for this one
        MachineTranslation.objects.filter(pk__in=requeue).update(updated_at=now)
    if missing or requeue:
        queued = _pending_rows_create(missing, target, provider.key)
        enqueue_on_commit(TRANSLATE_TASK, ids=sorted({*queued, *requeue}))
        # With eager tasks (the quick start) the task has run by now: read its answers.
        rows = _cached_rows(set(keys.values()), target, provider.key)

    for index in open_indexes:
        if results[index] is None:
            cached = keys[index] not in missing
            results[index] = _machine_result(
                rows.get(keys[index]), provider, target, requests[index].source, cached
            )
    return _finished(results)


def _finished(results: list[TranslationResult | None]) -> list[TranslationResult]:
    done = [result for result in results if result is not None]
    if len(done) != len(results):  # every step above answers each text it leaves
        raise RuntimeError("a translation request was left without a result")
    return done


def translations_cached(
    *, texts: Sequence[tuple[str, str | None]], target: str
) -> list[str | None]:
    """The machine translation into `target` of each (text, source language) already in the
    cache, else None: one query, no provider call, nothing queued, no quota counted (for the
    site's own reading, e.g. keyword screening inside a write). None for every text without a
    configured provider."""
    provider = _provider()
    if provider is None or not texts:
        return [None] * len(texts)
    keys = [(text_hash(text_normalize(text)), _source_code(source)) for text, source in texts]
    rows = _cached_rows(set(keys), target, provider.key)
    answers: list[str | None] = []
    for key in keys:
        row = rows.get(key)
        done = row is not None and row.status == MachineTranslationStatus.DONE
        answers.append(str(row.translation) if done and row is not None else None)
    return answers


def _cached_rows(
    keys: set[tuple[str, str]], target: str, provider_key: str
) -> dict[tuple[str, str], MachineTranslation]:
    if not keys:
        return {}
    rows = MachineTranslation.objects.filter(
        text_hash__in={text_hash for text_hash, _ in keys},
        target_language=target,
        provider=provider_key,
    ).only("pk", "text_hash", "source_language", "status", "translation", "updated_at", "provider")
    found = {(row.text_hash, row.source_language): row for row in rows}
    return {key: found[key] for key in keys if key in found}


def _pending_rows_create(missing: dict[tuple[str, str], str], target: str, provider_key: str):
    """A pending row for each missing text (a failed one waiting long enough becomes pending
    again); their ids. Another reader asking at the same time shares the rows."""
    now = timezone.now()
    MachineTranslation.objects.bulk_create(
        [
            MachineTranslation(
                text_hash=key[0],
                source_language=key[1],
                target_language=target,
                provider=provider_key,
                pending_text=text,
                created_at=now,
                updated_at=now,
            )
            for key, text in missing.items()
        ],
        ignore_conflicts=True,
    )
    ids = []
    rows = _cached_rows(set(missing), target, provider_key)
    for key, row in rows.items():
        if row.status == MachineTranslationStatus.FAILED:
            MachineTranslation.objects.filter(
                pk=row.pk, status=MachineTranslationStatus.FAILED
            ).update(
                status=MachineTranslationStatus.PENDING,
                pending_text=missing[key],
                failure_reason="",
                attempts=0,
                updated_at=now,
            )
        ids.append(row.pk)
    return ids


def _machine_result(
    row: MachineTranslation | None,
    provider: TranslationProvider,
    target: str,
    source: str | None,
    cached: bool,
) -> TranslationResult:
    if row is None or row.status == MachineTranslationStatus.PENDING:
        return TranslationResult(
            state=State.PENDING,
            target_language=target,
            source_language=source or None,
            provider=provider.display_name,
        )
    if row.status == MachineTranslationStatus.FAILED:
        return _unavailable(target, source, Reason.FAILED)
    return TranslationResult(
        state=State.DONE,
        target_language=target,
        source_language=source or None,
        text=str(row.translation),
        provider=provider.display_name,
        kind=Kind.MACHINE,
        cached=cached,
    )
