"""Making machine translations: the work of the translations queue's task, one provider call
per batch, with retries planned by the caller (`translations.tasks`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ..models import MachineTranslation, MachineTranslationStatus, UsageKind
from ..providers import ProviderError, ProviderRefused
from ..usage import usage_count
from .types import MAX_RETRY_WAIT_SECONDS, _provider

logger = logging.getLogger(__name__)


@dataclass
class RetryPlan:
    """What `machine_translations_make` could not do yet: the rows to try again and how long
    the provider asked to wait (None: the usual backoff)."""

    ids: list[int] = field(default_factory=list)
    retry_after: float | None = None

    def countdown(self, retries: int) -> float:
        """Seconds before the next try: what a 429 asked, else doubling from
        TRANSLATION_RETRY_BASE_SECONDS; at most MAX_RETRY_WAIT_SECONDS."""
        if self.retry_after is not None:
            wait = self.retry_after
        else:
            wait = float(settings.TRANSLATION_RETRY_BASE_SECONDS) * 2**retries
        return min(wait, MAX_RETRY_WAIT_SECONDS)


def machine_translations_make(*, ids: Iterable[int], final: bool = False) -> RetryPlan:
    """Translate the pending rows `ids` with the configured provider: one call per batch of
    rows with the same languages (chunked by what the provider takes). Translations are
    stored (and the waiting text dropped); refusals and lasting errors mark rows failed; a
    failure worth another try is returned in the plan, unless `final` (the last try), when
    those rows are marked failed too. Rows no longer pending are skipped (another worker, or
    a redelivered message, got there first)."""
    rows = list(
        MachineTranslation.objects.filter(
            pk__in=list(ids), status=MachineTranslationStatus.PENDING
        ).order_by("pk")
    )
    plan = RetryPlan()
    if not rows:
        return plan
    provider = _provider()
    groups: dict[tuple[str, str], list[MachineTranslation]] = defaultdict(list)
    for row in rows:
        if provider is None or row.provider != provider.key:
            _rows_fail([row], "The translation provider was changed or turned off.")
            continue
        groups[(row.source_language, row.target_language)].append(row)
    for (source, target), group in groups.items():
        for batch in _batches(group, provider):
            _batch_translate(batch, provider, source, target, plan, final)
    return plan


def _batches(rows: list[MachineTranslation], provider) -> Iterable[list[MachineTranslation]]:
    batch: list[MachineTranslation] = []
    size = 0
    for row in rows:
        length = len(row.pending_text)
        if batch and (len(batch) >= provider.max_batch or size + length > provider.max_batch_chars):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += length
    if batch:
        yield batch


def _batch_translate(batch, provider, source: str, target: str, plan: RetryPlan, final: bool):
    MachineTranslation.objects.filter(pk__in=[row.pk for row in batch]).update(
        attempts=F("attempts") + 1
    )
    texts = [row.pending_text for row in batch]
    try:
        answers: list[str | None] = list(
            provider.translate(texts, source=source or None, target=target)
        )
    except ProviderRefused as exc:
        usage_count(UsageKind.PROVIDER_ERROR)
        logger.warning("translation refused by %s: %s", provider.key, exc)
        answers = list(exc.translations or [None] * len(batch))
        _rows_store(batch, answers, failure=str(exc))
        return
    except ProviderError as exc:
        usage_count(UsageKind.PROVIDER_ERROR)
        if exc.retryable and not final:
            logger.info("translation by %s will be retried: %s", provider.key, exc)
            plan.ids.extend(row.pk for row in batch)
            if exc.retry_after is not None:
                plan.retry_after = max(plan.retry_after or 0.0, exc.retry_after)
            return
        logger.warning("translation by %s failed: %s", provider.key, exc)
        _rows_fail(batch, str(exc))
        return
    _rows_store(batch, answers, failure="")


def _rows_store(batch, answers: list[str | None], *, failure: str) -> None:
    now = timezone.now()
    failed = []
    for row, answer in zip(batch, answers, strict=True):
        if answer is None:
            failed.append(row)
            continue
        MachineTranslation.objects.filter(
            pk=row.pk, status=MachineTranslationStatus.PENDING
        ).update(
            status=MachineTranslationStatus.DONE,
            translation=str(answer),
            pending_text="",
            failure_reason="",
            updated_at=now,
        )
    if failed:
        _rows_fail(failed, failure or "No translation in the provider's answer.")


def _rows_fail(rows, reason: str) -> None:
    MachineTranslation.objects.filter(
        pk__in=[row.pk for row in rows], status=MachineTranslationStatus.PENDING
    ).update(
        status=MachineTranslationStatus.FAILED,
        failure_reason=reason[:300],
        pending_text="",
        updated_at=timezone.now(),
    )
