"""Data export: asked for on /settings/ or the API, built by the task into private storage,
downloadable by its owner only until it expires, announced by `data_export_ready`."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport, DataExportStatus
from accounts.services import avatar_set
from accounts.services.exports import (
    EXPORTS_PER_WINDOW,
    data_export_request,
    data_exports_expire,
)
from accounts.tasks import data_exports_expire_task
from notes import services as notes_services
from notes.models import Comment
from tests.factories import (
    BlockFactory,
    BoardFactory,
    FollowFactory,
    MuteFactory,
    NoteFactory,
    UserFactory,
    sample_photo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(user):
    """Alice with something of everything: notes with photos and tags, a comment, a like, a
    board, follows both ways, a block and a mute."""
    bob, carol, dave, eve = (UserFactory(handle=h) for h in ("ben", "carol", "dave", "eve"))
    trip = NoteFactory(author=user, title="Trip", body="River walk", images=2)
    notes_services.note_update(note=trip, body="River walk #travel #小红书")
    NoteFactory(author=user, title="Quiet", visibility="followers", images=1, language="en")
    bobs = NoteFactory(author=bob, title="Bob's")
    notes_services.comment_create(author=user, note=bobs, body="Lovely light")
    notes_services.note_like(user=user, note=bobs)
    board = BoardFactory(owner=user, name="Ideas")
    notes_services.note_collect(user=user, note=bobs, board=board)
    FollowFactory(follower=user, followee=bob)
    FollowFactory(follower=carol, followee=user)
    BlockFactory(blocker=user, blocked=dave)
    MuteFactory(muter=user, muted=eve)
    avatar_set(user=user, file=io.BytesIO(sample_photo("original")))
    return user


@pytest.fixture
def built(django_capture_on_commit_callbacks):
    """Ask for an export as the page does, and run the task that builds it."""

    def built(user) -> DataExport:
        with django_capture_on_commit_callbacks(execute=True):
            export = data_export_request(user=user)
        export.refresh_from_db()
        return export

    return built


def _ask(client, user):
    client.force_login(user)
    return client.post(reverse("accounts:export_request"))


def _archive(export: DataExport) -> zipfile.ZipFile:
    with export.archive.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_export_page_request_builds_the_archive_with_everything(
    client, person, django_capture_on_commit_callbacks, captured_events
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, person)
    assert response.status_code == 302

    export = DataExport.objects.get(user=person)
    assert export.status == DataExportStatus.READY
    assert export.size == export.archive.size > 0
    assert export.expires_at - export.finished_at == timedelta(days=7)
    # In the private storage, with no URL: never under MEDIA_ROOT.
    assert export.archive.storage is storages["private"] or (
        export.archive.storage.location == str(settings.PRIVATE_MEDIA_ROOT)
    )
    assert not str(export.archive.path).startswith(str(settings.MEDIA_ROOT))
    assert captured_events.of("data_export_ready") == [
        {"user_id": person.pk, "export_id": export.pk}
    ]

    archive = _archive(export)
    data = json.loads(archive.read("data.json"))
    assert {
        "profile",
        "following",
        "followers",
        "blocks",
        "mutes",
        "notes",
        "comments",
        "likes",
        "comment_likes",
        "boards",
    } <= data.keys()
    assert data["profile"]["handle"] == "alice" and data["profile"]["email"] == person.email
    assert data["profile"]["avatar"] in archive.namelist()
    assert [p["handle"] for p in data["following"]] == ["ben"]
    assert [p["handle"] for p in data["followers"]] == ["carol"]
    assert [p["handle"] for p in data["blocks"]] == ["dave"]
    assert [p["handle"] for p in data["mutes"]] == ["eve"]
    notes = {note["title"]: note for note in data["notes"]}
    assert set(notes) == {"Trip", "Quiet"}
    assert notes["Trip"]["hashtags"] == sorted(["travel", "小红书"])
    assert notes["Trip"]["body"] == "River walk #travel #小红书"
    assert notes["Quiet"]["visibility"] == "followers" and notes["Quiet"]["language"] == "en"
    assert [c["body"] for c in data["comments"]] == ["Lovely light"]
    bobs_note = Comment.objects.get(author=person).note_id
    assert [like["note_id"] for like in data["likes"]] == [bobs_note]
    boards = {board["name"]: board for board in data["boards"]}
    assert [entry["note_id"] for entry in boards["Ideas"]["notes"]] == [bobs_note]

    photos = [p["file"] for note in data["notes"] for p in note["photos"]]
    assert len(photos) == 3 and all(photos)
    assert set(photos) <= set(archive.namelist())
    # The display renditions (WebP, no metadata), not the stored JPEG originals.
    assert all(archive.read(name)[8:12] == b"WEBP" for name in photos)


def test_export_download_only_by_its_owner(client, person, other_user, built):
    export = built(person)
    assert export.is_downloadable
    url = reverse("accounts:export_download", kwargs={"export_id": export.pk})

    visitor = client.get(url)
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]

    client.force_login(other_user)
    assert client.get(url).status_code == 404

    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    body = b"".join(response.streaming_content)
    assert "data.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_export_expired_is_gone_and_the_beat_task_deletes_the_file(client, person, built):
    export = built(person)
    storage, name = export.archive.storage, export.archive.name
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    client.force_login(person)
    url = reverse("accounts:export_download", kwargs={"export_id": export.pk})
    assert client.get(url).status_code == 410

    assert data_exports_expire_task() == 1
    assert not storage.exists(name)
    export.refresh_from_db()
    assert not export.archive and export.size == 0
    assert client.get(url).status_code == 410
    assert data_exports_expire() == 0  # nothing left to do


def test_export_beat_task_is_scheduled():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.data_exports_expire" in entries


def test_export_one_pending_at_a_time(client, person):
    first = DataExport.objects.create(user=person)  # being prepared
    response = _ask(client, person)
    assert response.status_code == 400
    assert "already being prepared" in response.content.decode()
    assert list(DataExport.objects.filter(user=person)) == [first]


def test_export_rate_limited_with_retry_after(client, person):
    for _ in range(EXPORTS_PER_WINDOW):
        DataExport.objects.create(user=person, status=DataExportStatus.READY)
    response = _ask(client, person)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert DataExport.objects.filter(user=person).count() == EXPORTS_PER_WINDOW


def test_export_settings_page_lists_the_archive(client, person, built):
    export = built(person)
    client.force_login(person)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:export_download", kwargs={"export_id": export.pk}) in page
    assert reverse("accounts:export_request") in page and reverse("accounts:delete") in page


# --- API --------------------------------------------------------------------------------------


def test_export_api_request_status_and_download(
    auth_api_client, person, other_user, django_capture_on_commit_callbacks
):
    assert auth_api_client.get("/api/v1/me/export/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        created = auth_api_client.post("/api/v1/me/export/")
    assert created.status_code == 202, created.content
    status = auth_api_client.get("/api/v1/me/export/").json()
    assert status["id"] == created.json()["id"]
    assert status["status"] == "ready" and status["size"] > 0 and status["expires_at"]
    link = status["download_url"]
    assert link.endswith(f"/api/v1/me/export/{status['id']}/download/")

    download = auth_api_client.get(link)
    assert download.status_code == 200
    data = json.loads(
        zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).read("data.json")
    )
    assert len(data["notes"]) == 2

    auth_api_client.force_authenticate(user=other_user)
    assert auth_api_client.get(link).status_code == 404
    auth_api_client.force_authenticate(user=None)
    assert auth_api_client.get(link).status_code == 401


def test_export_api_over_the_limit_is_429(auth_api_client, person):
    for _ in range(EXPORTS_PER_WINDOW):
        DataExport.objects.create(user=person, status=DataExportStatus.READY)
    response = auth_api_client.post("/api/v1/me/export/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_export_failure_marks_it_failed(person, built, monkeypatch):
    from accounts.personal_data import PersonalDataPart, registry

    def broken(**_kwargs):
        raise RuntimeError("disk on fire")

    part = PersonalDataPart(name="broken", export=broken, erase=None, order=1)
    monkeypatch.setitem(registry._parts, "broken", part)
    export = built(person)
    assert export.status == DataExportStatus.FAILED and not export.archive


def test_export_ready_is_announced_in_the_notices(client, person, built):
    export = built(person)
    client.force_login(person)
    inbox = client.get(reverse("notifications:inbox"), {"tab": "notices"})
    assert inbox.status_code == 200
    page = inbox.content.decode()
    assert 'data-kind="export_ready"' in page
    assert reverse("accounts:settings") + "#export" in page
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert 'id="export"' in settings_page and export.get_absolute_url() in settings_page


def test_export_lost_on_the_way_is_failed_and_can_be_asked_again(client, person, built):
    lost = DataExport.objects.create(user=person)
    DataExport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=7))
    data_exports_expire()
    lost.refresh_from_db()
    assert lost.status == DataExportStatus.FAILED
    assert built(person).status == DataExportStatus.READY
