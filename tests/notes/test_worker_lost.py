"""A photo that kills its worker is tried a bounded number of times, then fails with a reason.

A real `celery worker` process (prefork pool, one child) consumes the `images` queue from Redis
and reads the test's PostgreSQL database and files; its child processes are killed by SIGKILL
whenever they start decoding (`tests.workers.dies_decoding`). Celery's main process then
requeues the message (acks late + reject on worker lost) and a fresh child takes it again —
before the bound, this looped for ever. Needs PostgreSQL: another process cannot open
SQLite's in-memory test database.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notes.models import ImageStatus, Note, NoteStatus
from notes.services import note_create
from notes.services.images import MAX_PROCESSING_ATTEMPTS
from rednote.celery import app

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60.0


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def dying_worker(redis_client, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must open the test database")
    env = {
        **os.environ,
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "rednote.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_STORAGE": "local",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    command = [
        *(sys.executable, "-m", "celery", "-A", "tests.workers.dies_decoding", "worker"),
        *("--pool", "prefork", "--concurrency", "1", "--queues", "images"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"),
    ]
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command,
            env=env,
            cwd=Path(settings.BASE_DIR),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this process only sends
    try:
        yield log
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_photo_that_kills_its_worker_fails_after_a_bounded_number_of_runs(
    dying_worker, user, photo_upload
):
    upload = photo_upload()
    note = note_create(author=user, media_ids=[upload.pk], title="Too heavy to decode")

    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        note.refresh_from_db()
        if note.status != NoteStatus.PROCESSING:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"still processing after {TIMEOUT:.0f} s:\n{dying_worker.read_text()[-3000:]}")

    assert note.status == NoteStatus.FAILED
    assert note.failure_reason == (
        "Photo 1 could not be processed: This photo could not be processed; please upload it again."
    )
    image = note.images.get()
    assert image.status == ImageStatus.FAILED
    # Each child died once per run it started; the run after the last one gave up unharmed.
    assert image.processing_attempts == MAX_PROCESSING_ATTEMPTS + 1
    log = dying_worker.read_text()
    assert log.count("WorkerLostError") >= MAX_PROCESSING_ATTEMPTS, log[-3000:]
    # Nothing is delivered again once the photo has failed.
    time.sleep(1)
    image.refresh_from_db()
    assert image.processing_attempts == MAX_PROCESSING_ATTEMPTS + 1
    assert Note.objects.get(pk=note.pk).status == NoteStatus.FAILED
