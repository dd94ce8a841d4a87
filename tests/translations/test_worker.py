"""A real Celery worker on the `translations` queue, fed through Redis: a reader asking for a
translation gets "pending" at once, the worker asks the provider (through a 429 and its
Retry-After) and the next reader gets the translation. See tests/notes/test_worker.py for why
the worker runs in a thread of this process."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from rednote.celery import app
from translations.models import MachineTranslation, MachineTranslationStatus
from translations.services import translation_get

from .servers import Reply, fake_translation

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ZH = "这家店的牛肉面真的太好吃了"
TIMEOUT = 30.0


@pytest.fixture
def translations_worker(redis_client):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, queues=["translations"], perform_ping_check=False, pool="solo", shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = eager


def _wait_for(status: str) -> MachineTranslation:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        row = MachineTranslation.objects.first()
        if row is not None and row.status == status:
            return row
        time.sleep(0.1)
    pytest.fail(f"no translation {status} after {TIMEOUT:.0f} s")


def test_the_worker_translates_after_a_429(translations_worker, libretranslate_server, settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans"]
    settings.TRANSLATION_RETRY_BASE_SECONDS = 30  # the 429's Retry-After (1 s) is what counts
    libretranslate_server.script = [Reply(status=429, body={}, headers={"Retry-After": "1"})]

    first = translation_get(text=ZH, source="zh-Hans", target="en")
    assert first.is_pending

    row = _wait_for(MachineTranslationStatus.DONE)
    assert row.translation == fake_translation(ZH, "en") and row.attempts == 2
    assert len(libretranslate_server.calls) == 2
    later = translation_get(text=ZH, source="zh-Hans", target="en")
    assert later.is_done and later.cached


def test_the_worker_gives_up_after_the_retries(
    translations_worker, libretranslate_server, settings
):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans"]
    settings.TRANSLATION_MAX_RETRIES = 2
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0.1
    libretranslate_server.answer = lambda call: Reply(status=502, body={})

    assert translation_get(text=ZH, source="zh-Hans", target="en").is_pending
    _wait_for(MachineTranslationStatus.FAILED)
    assert len(libretranslate_server.calls) == 3
    assert translation_get(text=ZH, source="zh-Hans", target="en").is_unavailable
