"""A real Celery worker on the `images` queue, fed through Redis, processes a posted note.

The worker runs in this process, in a thread (`celery.contrib.testing.worker.start_worker`,
solo pool), consuming only `images` from the Redis broker of this pytest worker (settings give
each xdist worker its own Redis database). Tasks are sent for real — eager mode is switched off
for the duration — so the message goes through serialisation, routing, the broker and the
worker's Django fixup like in production.

Why in-process rather than a `celery -A rednote worker` subprocess: the worker thread reads the
very test database the test writes (pytest-django has already pointed the settings at it),
which also works with SQLite's shared in-memory test database, that no other process can open.
The test needs committed data, hence `transaction=True`; the thread's database connection is
closed by Celery's Django fixup after each task, so the test database can be dropped at the end.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError

from notes.models import ImageStatus, Note, NoteStatus
from notes.services import note_create
from rednote.celery import app
from tests.fixtures.images import SWAPPED_PROFILE, assert_bare_webp, camera_jpeg

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30.0


@pytest.fixture
def images_worker(redis_client):
    """A worker consuming the `images` queue, with tasks really sent to Redis meanwhile."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, queues=["images"], perform_ping_check=False, pool="solo", shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = eager


def _wait_while_processing(note: Note) -> Note:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            note.refresh_from_db()
        except OperationalError:  # SQLite's shared cache: the worker holds the table a moment
            time.sleep(0.05)
            continue
        if note.status != NoteStatus.PROCESSING:
            return note
        time.sleep(0.1)
    statuses = list(note.images.values_list("status", flat=True))
    pytest.fail(f"note {note.pk} still processing after {TIMEOUT:.0f} s; photos: {statuses}")


def test_worker_processes_a_posted_note_and_publishes_it(images_worker, user, photo_upload):
    uploads = [
        photo_upload(camera_jpeg((1600, 1200), orientation=6, icc_profile=SWAPPED_PROFILE)),
        photo_upload(camera_jpeg((2400, 1600))),
    ]
    note = note_create(author=user, media_ids=[u.pk for u in uploads], title="Real worker")
    # Committed, and enqueued for real: nothing has run in this thread.
    assert Note.objects.get(pk=note.pk).status == NoteStatus.PROCESSING

    note = _wait_while_processing(note)

    assert note.status == NoteStatus.PUBLISHED, note.failure_reason
    assert note.published_at is not None
    first, second = note.images.order_by("position")
    assert (first.width, first.height) == (1080, 1440)  # turned by its EXIF orientation
    assert (second.width, second.height) == (1080, 720)
    for image in (first, second):
        assert image.status == ImageStatus.READY
        for field in (image.display, image.grid):
            with field.open("rb") as file:
                assert_bare_webp(file.read())
