"""A photo whose decoding kills the worker is tried a bounded number of times, then fails.

A lost worker raises nothing we could catch: Celery (acks_late, reject on worker lost) simply
delivers the message again. Here a decode that never returns is simulated by an exception that
no `except Exception` catches, as the process dying mid-decode would leave things: the run was
counted, and the photo is still pending."""

import pytest

from notes.models import ImageStatus, NoteImage, NoteStatus
from notes.services import note_image_process
from notes.services.images import MAX_PROCESSING_ATTEMPTS
from notes.tasks import note_image_process_task
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


class WorkerLost(BaseException):
    """Stands for the worker process dying in the middle of decoding."""


@pytest.fixture
def crashing_decoder(monkeypatch):
    runs = []

    def crash(source):
        runs.append(source)
        raise WorkerLost

    monkeypatch.setattr("notes.services.images.image_renditions_create", crash)
    return runs


def _pending_note():
    note = NoteFactory(processing=True)
    return note, note.images.get()


def test_a_photo_that_keeps_killing_its_worker_fails_after_the_last_attempt(
    crashing_decoder, django_capture_on_commit_callbacks, captured_events
):
    note, image = _pending_note()
    for _delivery in range(MAX_PROCESSING_ATTEMPTS):
        with pytest.raises(WorkerLost):
            note_image_process(image=NoteImage.objects.get(pk=image.pk))
    image.refresh_from_db()
    assert (image.status, image.processing_attempts) == (ImageStatus.PENDING, 3)

    with django_capture_on_commit_callbacks(execute=True):  # the next redelivery
        result = note_image_process_task.apply(kwargs={"image_id": image.pk})

    assert result.successful(), result.traceback
    assert len(crashing_decoder) == MAX_PROCESSING_ATTEMPTS  # not decoded again
    image.refresh_from_db()
    note.refresh_from_db()
    assert image.status == ImageStatus.FAILED
    assert image.failure_reason == "This photo could not be processed; please upload it again."
    assert note.status == NoteStatus.FAILED
    assert note.failure_reason.startswith("Photo 1 could not be processed")
    assert captured_events.sent == []  # a failed note is published to no one

    # Any later delivery leaves the failed photo as it is.
    note_image_process_task.apply(kwargs={"image_id": image.pk})
    image.refresh_from_db()
    assert (image.status, image.processing_attempts) == (ImageStatus.FAILED, 4)


def test_a_photo_processed_within_its_attempts_is_published(
    django_capture_on_commit_callbacks, captured_events
):
    note, image = _pending_note()
    NoteImage.objects.filter(pk=image.pk).update(processing_attempts=MAX_PROCESSING_ATTEMPTS - 1)
    with django_capture_on_commit_callbacks(execute=True):
        note_image_process_task.apply(kwargs={"image_id": image.pk})
    image.refresh_from_db()
    note.refresh_from_db()
    assert (image.status, image.processing_attempts) == (ImageStatus.READY, 3)
    assert note.status == NoteStatus.PUBLISHED
    assert captured_events.names() == ["note_published"]


def test_each_run_is_counted_before_decoding(crashing_decoder):
    _note, image = _pending_note()
    with pytest.raises(WorkerLost):
        note_image_process(image=image)
    assert NoteImage.objects.get(pk=image.pk).processing_attempts == 1
