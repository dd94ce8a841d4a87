"""The translations queue: thin, by id; services enqueue `translations.translate` by name."""

import time

from celery import shared_task
from django.conf import settings

from rednote.tasks import RETRY_POLICY

from .services import machine_translations_make
from .usage import usage_flush


@shared_task(name="translations.translate", bind=True, acks_late=True, **RETRY_POLICY)
def machine_translations_make_task(self, ids: list[int]) -> None:
    """Translate the pending machine translations `ids` (one provider call per batch).

    Provider errors and 429s are tried again later, the rows still waiting only, after the
    provider's Retry-After or a doubling wait (`RetryPlan.countdown`); after
    TRANSLATION_MAX_RETRIES tries what is left is marked failed, which readers see as
    "translation unavailable". Running twice is harmless: rows no longer pending are skipped.

    Eager (the quick start, no worker: the reader's request runs this) the tries follow each
    other at once (Celery's eager retry would raise instead), and the last one starts once
    the tries have taken TRANSLATION_TIMEOUT_SECONDS: the reader waits at most about twice
    the timeout, not one per try.
    """
    max_retries = int(settings.TRANSLATION_MAX_RETRIES)
    retries = self.request.retries or 0
    started = time.monotonic()
    while True:
        out_of_time = self.request.is_eager and time.monotonic() - started >= float(
            settings.TRANSLATION_TIMEOUT_SECONDS
        )
        plan = machine_translations_make(ids=ids, final=retries >= max_retries or out_of_time)
        if not plan.ids:
            return
        if not self.request.is_eager:
            raise self.retry(
                kwargs={"ids": plan.ids},
                countdown=plan.countdown(retries),
                max_retries=max_retries,
            )
        ids, retries = plan.ids, retries + 1


@shared_task(name="translations.usage_flush", acks_late=True)
def usage_flush_task() -> None:
    """Add the translation counts waiting in the cache to the daily rows (beat)."""
    usage_flush()
