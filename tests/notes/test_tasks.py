"""The image task end to end (eager Celery, on-commit callbacks run): a posted note's photos
are processed, the note is published once, reruns are harmless, failures are recorded and not
retried, and what is served carries no metadata."""

import pytest

from notes.models import ImageStatus, NoteImage, NoteStatus
from notes.services import note_create, note_image_process
from notes.tasks import note_image_process_task
from tests.fixtures.images import SWAPPED_PROFILE, assert_bare_webp, camera_jpeg

pytestmark = pytest.mark.django_db


def _published(captured_events) -> list[tuple[int, int]]:
    """Every `note_published` sent during the test (the shared capture), as (note_id,
    author_id)."""
    return [(e["note_id"], e["author_id"]) for e in captured_events.of("note_published")]


@pytest.fixture
def post(user, photo_upload, django_capture_on_commit_callbacks):
    """Post a note with photos (JPEG bytes) as `user`, running the enqueued tasks."""

    def post_note(*photos: bytes, **fields):
        uploads = [photo_upload(data) for data in photos or (camera_jpeg(),)]
        with django_capture_on_commit_callbacks(execute=True):
            note = note_create(
                author=user, media_ids=[u.pk for u in uploads], title="Bund at dusk", **fields
            )
        note.refresh_from_db()
        return note

    return post_note


def _run_task(image_id: int, capture):
    with capture(execute=True):
        result = note_image_process_task.apply(kwargs={"image_id": image_id})
    assert result.successful(), result.traceback
    return result


def _bytes(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def test_task_processes_photos_and_publishes_the_note_once(user, post, captured_events):
    note = post(
        camera_jpeg((1600, 1200), orientation=6, icc_profile=SWAPPED_PROFILE),
        camera_jpeg((2000, 1000)),
    )
    assert note.status == NoteStatus.PUBLISHED
    assert note.published_at is not None
    assert note.failure_reason == ""
    assert _published(captured_events) == [(note.pk, user.pk)]

    first, second = note.images.order_by("position")
    assert (first.width, first.height, first.grid_width, first.grid_height) == (
        1080,
        1440,
        540,
        720,
    )
    assert (second.width, second.height, second.grid_width, second.grid_height) == (
        1080,
        540,
        540,
        270,
    )
    for image in (first, second):
        assert image.status == ImageStatus.READY
        assert image.processed_at is not None
        assert len(image.placeholder_color) == 7
        assert image.display.name == f"renditions/{user.pk}/{image.pk}-display.webp"
        assert image.grid.name == f"renditions/{user.pk}/{image.pk}-grid.webp"
        for field in (image.display, image.grid):
            assert_bare_webp(_bytes(field))


def test_task_twice_is_harmless(
    post, captured_events, private_files, django_capture_on_commit_callbacks
):
    note = post(camera_jpeg((1200, 900)), camera_jpeg((900, 1200)))
    image = note.images.order_by("position").first()
    files_before = private_files()
    contents_before = (_bytes(image.display), _bytes(image.grid))
    published_at = note.published_at

    for _ in range(2):
        _run_task(image.pk, django_capture_on_commit_callbacks)

    image.refresh_from_db()
    note.refresh_from_db()
    assert private_files() == files_before  # same names, no copies
    assert (_bytes(image.display), _bytes(image.grid)) == contents_before
    assert note.status == NoteStatus.PUBLISHED
    assert note.published_at == published_at
    assert len(_published(captured_events)) == 1


def test_processing_a_pending_photo_again_after_a_lost_worker_gives_the_same_files(
    post, private_files, django_capture_on_commit_callbacks
):
    """A worker lost after writing the files but before recording them: the redelivered task
    finds the photo still pending, writes the same names over them, and piles up nothing."""
    note = post(camera_jpeg((1200, 900)))
    image = note.images.get()
    files, display = private_files(), _bytes(image.display)
    NoteImage.objects.filter(pk=image.pk).update(status=ImageStatus.PENDING)
    image.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        note_image_process(image=image)

    image.refresh_from_db()
    assert image.status == ImageStatus.READY
    assert private_files() == files
    assert _bytes(image.display) == display


def test_task_marks_a_photo_corrupted_after_upload_failed_without_retrying(
    post, user, photo_upload, captured_events, django_capture_on_commit_callbacks
):
    good, bad = photo_upload(camera_jpeg((1200, 900))), photo_upload(camera_jpeg((1200, 900)))
    data = _bytes(bad.original)
    with bad.original.storage.open(bad.original.name, "wb") as file:  # damaged on disk
        file.write(data[: len(data) // 2])

    with django_capture_on_commit_callbacks(execute=True):
        note = note_create(author=user, media_ids=[good.pk, bad.pk], title="Two photos")

    note.refresh_from_db()
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == ImageStatus.READY
    assert bad.status == ImageStatus.FAILED
    assert "could not be read as an image" in bad.failure_reason
    assert note.status == NoteStatus.FAILED
    assert note.failure_reason.startswith("Photo 2 could not be processed: ")
    assert "could not be read as an image" in note.failure_reason
    assert _published(captured_events) == []

    # Run again by hand: the task succeeds (no exception, no retry) and changes nothing.
    result = _run_task(bad.pk, django_capture_on_commit_callbacks)
    assert result.state == "SUCCESS"
    bad.refresh_from_db()
    note.refresh_from_db()
    assert (bad.status, note.status) == (ImageStatus.FAILED, NoteStatus.FAILED)
    assert _published(captured_events) == []


def test_task_marks_a_photo_whose_original_is_gone_failed(
    user, photo_upload, captured_events, django_capture_on_commit_callbacks
):
    upload = photo_upload(camera_jpeg((800, 600)))
    upload.original.storage.delete(upload.original.name)

    with django_capture_on_commit_callbacks(execute=True):
        note = note_create(author=user, media_ids=[upload.pk], title="Gone")

    note.refresh_from_db()
    upload.refresh_from_db()
    assert upload.status == ImageStatus.FAILED
    assert upload.failure_reason == "The uploaded file is missing; please upload the photo again."
    assert note.status == NoteStatus.FAILED
    assert note.failure_reason == (
        "Photo 1 could not be processed: "
        "The uploaded file is missing; please upload the photo again."
    )
    assert _published(captured_events) == []


def test_task_for_a_missing_or_unattached_photo_does_nothing(
    photo_upload, django_capture_on_commit_callbacks
):
    upload = photo_upload(camera_jpeg((400, 300)))  # uploaded, never posted
    _run_task(upload.pk, django_capture_on_commit_callbacks)
    _run_task(upload.pk + 1000, django_capture_on_commit_callbacks)
    upload.refresh_from_db()
    assert upload.status == ImageStatus.PENDING
    assert not upload.display


def test_served_renditions_carry_no_gps_or_metadata(client, user, post):
    note = post(camera_jpeg((1600, 1200), icc_profile=SWAPPED_PROFILE))
    image = note.images.get()
    client.force_login(user)
    for kind in ("display", "grid"):
        response = client.get(image.url(kind))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        data = b"".join(response.streaming_content)
        assert_bare_webp(data)
