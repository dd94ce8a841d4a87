"""A real Celery worker on the `default` queue, fed through Redis, builds a data export and
erases a closed account (see tests/notes/test_worker.py for how the in-process worker runs)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from accounts.models import DataExport, DataExportStatus, User
from accounts.services.deletion import account_delete
from accounts.services.exports import data_export_request
from rednote.celery import app
from tests.factories import NoteFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30.0


@pytest.fixture
def default_worker(redis_client):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, queues=["default"], perform_ping_check=False, pool="solo", shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = eager


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {TIMEOUT:.0f} s")


def test_worker_builds_an_export(default_worker, user):
    NoteFactory(author=user, images=2)
    export = data_export_request(user=user)
    # Committed and sent for real: nothing ran in this thread.
    assert DataExport.objects.get(pk=export.pk).status == DataExportStatus.PENDING

    _wait_for(
        lambda: DataExport.objects.get(pk=export.pk).status != DataExportStatus.PENDING,
        "the export",
    )

    export.refresh_from_db()
    assert export.status == DataExportStatus.READY and export.size > 0


def test_worker_erases_a_closed_account(default_worker, user):
    note = NoteFactory(author=user, images=1)
    image = note.images.get()
    account_delete(user=user)
    assert not User.objects.get(pk=user.pk).is_active  # closed at once, erased by the worker

    _wait_for(lambda: not User.objects.filter(pk=user.pk).exists(), "the erasure")

    _wait_for(lambda: not image.display.storage.exists(image.display.name), "the photo deletion")
    assert not image.original.storage.exists(image.original.name)
