"""The notes API (/api/v1/): photos, notes, likes, collections, boards — every route, its
errors, who may see what, and what each list page costs."""

import io
import struct
import time
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.services import auth_token_obtain
from notes import services
from notes.models import Board, BoardNote, Note, NoteImage, NoteLike, NoteStatus
from tests.api import assert_error
from tests.factories import (
    BlockFactory,
    BoardFactory,
    FollowFactory,
    NoteFactory,
    NoteImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOTE_FIELDS = {
    "id",
    "url",
    "title",
    "body",
    "author",
    "images",
    "hashtags",
    "mentions",
    "language",
    "visibility",
    "location",
    "status",
    "failure_reason",
    "like_count",
    "collect_count",
    "comment_count",
    "liked",
    "collected",
    "created_at",
    "published_at",
}
IMAGE_FIELDS = {"url", "grid_url", "width", "height", "alt_text", "placeholder_color"}
BOARD_FIELDS = {
    "id",
    "url",
    "name",
    "description",
    "is_private",
    "is_default",
    "owner",
    "note_count",
    "covers",
    "created_at",
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles count in the cache; each test starts at zero.
    cache.clear()
    yield
    cache.clear()


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def stored_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Files to upload ------------------------------------------------------------------------


def image_file(fmt: str = "JPEG", size=(64, 48), name: str | None = None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 80))
    image.save(out, fmt)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[fmt]
    return SimpleUploadedFile(name or f"photo.{extension}", out.getvalue())


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims `width`×`height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(out, "JPEG", quality=90)
    data = out.getvalue()
    return data[: len(data) // 2]


BAD_UPLOADS = {
    "empty": b"",
    "text": b"just some words, not a photo",
    "svg renamed": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "html renamed": b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>",
    "pdf renamed": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    "psd renamed": b"8BPS\x00\x01" + b"\x00" * 40,
    "truncated jpeg": truncated_jpeg(),
    "pixel flood": png_claiming(30000, 30000),
    "over 40 megapixels": png_claiming(8000, 6000),
}


# --- POST media/ ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_media_upload_accepts_photos(user, fmt):
    response = client_for(user).post(
        url("media-upload"), {"file": image_file(fmt), "alt_text": "a wall"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "status"}
    assert body["status"] == "pending"
    image = NoteImage.objects.get(pk=body["id"])
    assert (image.owner, image.note, image.alt_text, image.original_format) == (
        user,
        None,
        "a wall",
        fmt,
    )


def test_media_upload_judges_by_content_not_name(user):
    response = client_for(user).post(
        url("media-upload"), {"file": image_file("PNG", name="photo.gif")}, format="multipart"
    )
    assert response.status_code == 201
    assert NoteImage.objects.get().original_format == "PNG"


@pytest.mark.parametrize("kind", list(BAD_UPLOADS))
def test_media_upload_bad_file_400_names_file_stores_nothing(user, settings, kind):
    upload = SimpleUploadedFile("photo.jpg", BAD_UPLOADS[kind], content_type="image/jpeg")
    started = time.process_time()
    response = client_for(user).post(url("media-upload"), {"file": upload}, format="multipart")
    assert_error(response, 400, "file")
    assert not NoteImage.objects.exists()
    assert stored_files(settings) == []
    if kind == "pixel flood":
        # Refused from the header, never decoded (a generous bound for slow machines).
        assert time.process_time() - started < 1.0


def test_media_upload_over_20_mb_400(user, settings):
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (20 * 1024 * 1024))
    response = client_for(user).post(url("media-upload"), {"file": big}, format="multipart")
    body = assert_error(response, 400, "file")
    assert "20" in body["errors"]["file"][0]
    assert not NoteImage.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "file"),
        ({"file": "not-a-file"}, "file"),
        ({"file": image_file(), "alt_text": "x" * 501}, "alt_text"),
    ],
)
def test_media_upload_bad_fields_400(user, data, field):
    response = client_for(user).post(url("media-upload"), data, format="multipart")
    assert_error(response, 400, field)
    assert not NoteImage.objects.exists()


def test_media_upload_anonymous_401(api_client):
    response = api_client.post(url("media-upload"), {"file": image_file()}, format="multipart")
    assert_error(response, 401)
    assert not NoteImage.objects.exists()


def test_media_upload_with_token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_obtain(user=user).key}")
    response = client.post(url("media-upload"), {"file": image_file()}, format="multipart")
    assert response.status_code == 201


def test_media_upload_throttled(user, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "uploads", "2/min")
    client = client_for(user)
    for _ in range(2):
        assert client.post(url("media-upload"), {"file": image_file()}).status_code == 201
    response = client.post(url("media-upload"), {"file": image_file()})
    assert_error(response, 429)
    assert NoteImage.objects.count() == 2


# --- POST notes/ ----------------------------------------------------------------------------


def upload_ids(user, n: int = 1) -> list[int]:
    return [NoteImageFactory(owner=user, pending=True).pk for _ in range(n)]


def test_note_create_from_uploads_201(user, other_user):
    client = client_for(user)
    ids = [
        client.post(url("media-upload"), {"file": image_file(fmt)}).json()["id"]
        for fmt in ("JPEG", "PNG")
    ]
    response = client.post(
        url("notes"),
        {
            "title": "Suzhou gardens",
            "body": "去了#苏州园林[话题]# with @bob #TikTokRefugee",
            "media_ids": list(reversed(ids)),
            "visibility": "public",
            "location": "苏州",
            "alt_texts": {str(ids[0]): "a moon gate"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == NOTE_FIELDS
    note = Note.objects.get()
    assert body["id"] == note.pk
    assert body["url"] == f"http://testserver/notes/{note.pk}/"
    assert body["status"] == "processing" and body["published_at"] is None
    assert body["failure_reason"] == ""  # the author sees it (empty: nothing failed)
    assert (body["title"], body["location"], body["visibility"]) == (
        "Suzhou gardens",
        "苏州",
        "public",
    )
    assert body["author"] == {"handle": "alice", "display_name": "Alice", "avatar_url": None}
    assert [h["name"] for h in body["hashtags"]] == ["苏州园林", "tiktokrefugee"]
    assert body["hashtags"][1] == {
        "name": "tiktokrefugee",
        "display_name": "TikTokRefugee",
        "url": "http://testserver/tags/tiktokrefugee/",
    }
    assert body["mentions"] == [{"handle": "bob", "display_name": "Bob"}]
    assert [img["alt_text"] for img in body["images"]] == ["", "a moon gate"]
    assert list(note.images.order_by("position").values_list("pk", flat=True)) == ids[::-1]
    # Not processed yet: nothing to show but the alt text.
    assert all(set(img) == IMAGE_FIELDS and img["url"] is None for img in body["images"])
    assert (body["like_count"], body["liked"], body["collected"]) == (0, False, False)


def test_note_create_processed_note_serves_its_renditions(
    user, other_user, django_capture_on_commit_callbacks
):
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        media_id = client.post(url("media-upload"), {"file": image_file(size=(300, 200))}).json()[
            "id"
        ]
        created = client.post(
            url("notes"), {"title": "t", "media_ids": [media_id]}, format="json"
        ).json()

    body = client_for(other_user).get(url("note-detail", note_id=created["id"])).json()
    assert body["status"] == "published" and body["published_at"]
    assert body["failure_reason"] is None  # not the author
    (image,) = body["images"]
    assert (image["width"], image["height"]) == (300, 200)
    assert image["placeholder_color"].startswith("#")
    for key in ("url", "grid_url"):
        assert image[key].startswith(f"http://testserver/notes/{created['id']}/images/")
        response = APIClient().get(image[key])
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
            assert served.format == "WEBP"
            assert not served.getexif()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "t"}, "media_ids"),
        ({"title": "t", "media_ids": []}, "media_ids"),
        ({"title": "t", "media_ids": "1,2"}, "media_ids"),
        ({"title": "t", "media_ids": ["x"]}, "media_ids"),
        ({"title": "t", "media_ids": [987654]}, "media_ids"),
        ({"title": "t", "media_ids": [10**30]}, "media_ids"),
        ({"title": "x" * 101, "media_ids": "MINE"}, "title"),
        ({"title": "", "body": "", "media_ids": "MINE"}, "title"),
        ({"body": "x" * 2001, "media_ids": "MINE"}, "body"),
        ({"title": "t", "location": "x" * 81, "media_ids": "MINE"}, "location"),
        ({"title": "t", "visibility": "everyone", "media_ids": "MINE"}, "visibility"),
        ({"title": None, "media_ids": "MINE"}, "title"),
        ({"title": "t", "media_ids": "MINE", "alt_texts": {"999": "x"}}, "alt_texts"),
        ({"title": "t", "media_ids": "MINE", "alt_texts": {"MINE": "x" * 501}}, "alt_texts"),
        ({"title": "t", "media_ids": "MINE", "alt_texts": ["x"]}, "alt_texts"),
    ],
)
def test_note_create_bad_input_400_stores_nothing(user, data, field):
    (mine,) = upload_ids(user)
    data = dict(data)
    if data.get("media_ids") == "MINE":
        data["media_ids"] = [mine]
    if isinstance(data.get("alt_texts"), dict) and "MINE" in data["alt_texts"]:
        data["alt_texts"] = {str(mine): data["alt_texts"]["MINE"]}
    response = client_for(user).post(url("notes"), data, format="json")
    assert_error(response, 400, field)
    assert not Note.objects.exists()
    assert NoteImage.objects.get(pk=mine).note_id is None


def test_note_create_too_many_photos_400(user):
    response = client_for(user).post(
        url("notes"), {"title": "t", "media_ids": upload_ids(user, 19)}, format="json"
    )
    assert_error(response, 400, "media_ids")
    assert not Note.objects.exists()


def test_note_create_with_eighteen_photos(user):
    response = client_for(user).post(
        url("notes"), {"title": "t", "media_ids": upload_ids(user, 18)}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()["images"]) == 18


def test_note_create_refuses_others_and_used_photos(user, other_user):
    theirs = upload_ids(other_user)
    client = client_for(user)
    assert_error(
        client.post(url("notes"), {"title": "t", "media_ids": theirs}, format="json"),
        400,
        "media_ids",
    )
    mine = upload_ids(user)
    first = client.post(url("notes"), {"title": "t", "media_ids": mine}, format="json")
    assert first.status_code == 201
    response = client.post(url("notes"), {"title": "again", "media_ids": mine}, format="json")
    assert_error(response, 400, "media_ids")
    assert Note.objects.count() == 1


def test_note_create_ignores_mass_assignment(user, other_user):
    response = client_for(user).post(
        url("notes"),
        {
            "title": "t",
            "media_ids": upload_ids(user),
            "author": other_user.pk,
            "author_id": other_user.pk,
            "status": "published",
            "published_at": "2020-01-01T00:00:00Z",
            "like_count": 999,
            "collect_count": 999,
            "comment_count": 999,
            "is_hidden": True,
            "id": 424242,
        },
        format="json",
    )
    assert response.status_code == 201
    note = Note.objects.get()
    assert note.pk != 424242
    assert (note.author, note.status, note.published_at, note.is_hidden) == (
        user,
        NoteStatus.PROCESSING,
        None,
        False,
    )
    assert (note.like_count, note.collect_count, note.comment_count) == (0, 0, 0)


def test_note_create_anonymous_401(api_client, user):
    response = api_client.post(url("notes"), {"title": "t", "media_ids": upload_ids(user)})
    assert_error(response, 401)
    assert not Note.objects.exists()


# --- GET notes/<id>/: who sees what -----------------------------------------------------------


def test_note_detail_public_for_visitors(api_client):
    note = NoteFactory(images=2)
    response = api_client.get(url("note-detail", note_id=note.pk))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == NOTE_FIELDS
    assert body["failure_reason"] is None
    assert len(body["images"]) == 2
    image = body["images"][0]
    assert set(image) == IMAGE_FIELDS
    assert image["url"] == (
        f"http://testserver/notes/{note.pk}/images/{note.cover.pk}/display.webp"
    )
    assert image["grid_url"].endswith("/grid.webp")
    assert (image["width"], image["height"]) == (96, 128)


@pytest.mark.parametrize(
    "case",
    ["private", "followers", "hidden", "processing", "failed", "blocked", "blocker", "missing"],
)
def test_note_detail_invisible_is_404(user, other_user, case):
    note = NoteFactory(author=other_user)
    note_id = note.pk
    if case in ("private", "followers"):
        note.visibility = case
    elif case == "hidden":
        note.is_hidden = True
    elif case in ("processing", "failed"):
        note.status = case
    elif case == "blocked":
        BlockFactory(blocker=other_user, blocked=user)
    elif case == "blocker":
        BlockFactory(blocker=user, blocked=other_user)
    elif case == "missing":
        note_id = 987654
    note.save()
    response = client_for(user).get(url("note-detail", note_id=note_id))
    body = assert_error(response, 404)
    assert body["errors"] == {}


def test_note_detail_followers_only_for_followers(user, other_user):
    note = NoteFactory(author=other_user, visibility="followers")
    FollowFactory(follower=user, followee=other_user)
    assert client_for(user).get(url("note-detail", note_id=note.pk)).status_code == 200
    assert APIClient().get(url("note-detail", note_id=note.pk)).status_code == 404


def test_note_detail_author_sees_own_unpublished_note_with_reason(user):
    note = NoteFactory(author=user, processing=True, visibility="private")
    Note.objects.filter(pk=note.pk).update(
        status=NoteStatus.FAILED, failure_reason="Photo 1 could not be processed."
    )
    body = client_for(user).get(url("note-detail", note_id=note.pk)).json()
    assert body["status"] == "failed"
    assert body["failure_reason"] == "Photo 1 could not be processed."
    assert body["images"][0]["url"] is None


def test_note_detail_author_sees_own_hidden_note_marked_others_get_404(user, other_user):
    note = NoteFactory(author=user, is_hidden=True)
    body = client_for(user).get(url("note-detail", note_id=note.pk)).json()
    # Hidden without a decision in the audit log: no reason, nothing to appeal
    # (tests/moderation/test_appeals.py has the moderators' path).
    assert body["moderation"] == {
        "hidden": True,
        "reason": "",
        "hidden_at": None,
        "can_appeal": False,
        "appeal": None,
    }
    assert_error(client_for(other_user).get(url("note-detail", note_id=note.pk)), 404)


def test_note_detail_shows_viewer_flags(user):
    note = NoteFactory()
    services.note_like(user=user, note=note)
    services.note_collect(user=user, note=note)
    body = client_for(user).get(url("note-detail", note_id=note.pk)).json()
    assert (body["liked"], body["collected"], body["like_count"], body["collect_count"]) == (
        True,
        True,
        1,
        1,
    )
    anonymous = APIClient().get(url("note-detail", note_id=note.pk)).json()
    assert (anonymous["liked"], anonymous["collected"]) == (False, False)


def test_note_images_of_invisible_note_are_404(user, other_user):
    # The rendition view is a page, not an API view: sign in with a session.
    note = NoteFactory(author=other_user, visibility="private")
    image_url = (
        client_for(other_user).get(url("note-detail", note_id=note.pk)).json()["images"][0]["url"]
    )
    browsers = {}
    for person in (user, other_user):
        browsers[person.handle] = APIClient()
        browsers[person.handle].force_login(person)
    assert browsers["bob"].get(image_url).status_code == 200
    assert browsers["alice"].get(image_url).status_code == 404
    assert APIClient().get(image_url).status_code == 404


# --- PATCH / DELETE notes/<id>/ ---------------------------------------------------------------


def test_note_update_by_author(user):
    note = NoteFactory(author=user, title="Old", body="#old")
    response = client_for(user).patch(
        url("note-detail", note_id=note.pk),
        {"title": "New", "body": "now #Shanghai ＃上海", "visibility": "followers"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["visibility"], body["location"]) == ("New", "followers", "")
    assert [h["name"] for h in body["hashtags"]] == ["shanghai", "上海"]
    note.refresh_from_db()
    assert (note.title, note.body) == ("New", "now #Shanghai ＃上海")


def test_note_update_partial_keeps_other_fields(user):
    note = NoteFactory(author=user, title="Title", body="Body", location="Paris")
    client_for(user).patch(url("note-detail", note_id=note.pk), {"location": ""}, format="json")
    note.refresh_from_db()
    assert (note.title, note.body, note.location) == ("Title", "Body", "")


def test_note_update_ignores_mass_assignment(user, other_user):
    note = NoteFactory(author=user)
    response = client_for(user).patch(
        url("note-detail", note_id=note.pk),
        {
            "title": "Edited",
            "author": other_user.pk,
            "status": "failed",
            "like_count": 500,
            "collect_count": 500,
            "comment_count": 500,
            "is_hidden": True,
            "media_ids": upload_ids(user),
        },
        format="json",
    )
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.title, note.author, note.status, note.is_hidden) == (
        "Edited",
        user,
        NoteStatus.PUBLISHED,
        False,
    )
    assert (note.like_count, note.collect_count, note.comment_count) == (0, 0, 0)
    assert note.images.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "x" * 101}, "title"),
        ({"title": "", "body": ""}, "title"),
        ({"visibility": "world"}, "visibility"),
        ({"body": "x" * 2001}, "body"),
        ({"location": "x" * 81}, "location"),
    ],
)
def test_note_update_bad_input_400_changes_nothing(user, data, field):
    note = NoteFactory(author=user, title="Title", body="Body")
    response = client_for(user).patch(url("note-detail", note_id=note.pk), data, format="json")
    assert_error(response, 400, field)
    note.refresh_from_db()
    assert (note.title, note.body, note.visibility) == ("Title", "Body", "public")


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_note_edit_someone_elses_note_404(user, other_user, method):
    note = NoteFactory(author=other_user, title="Theirs")
    response = getattr(client_for(user), method)(
        url("note-detail", note_id=note.pk), {"title": "Mine now"}, format="json"
    )
    assert_error(response, 404)
    note.refresh_from_db()
    assert note.title == "Theirs"


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_note_edit_anonymous_401(api_client, method):
    note = NoteFactory()
    response = getattr(api_client, method)(
        url("note-detail", note_id=note.pk), {"title": "x"}, format="json"
    )
    assert_error(response, 401)
    assert Note.objects.filter(pk=note.pk, title=note.title).exists()


def test_note_delete_by_author(user, django_capture_on_commit_callbacks):
    note = NoteFactory(author=user, images=2)
    display = note.cover.display
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).delete(url("note-detail", note_id=note.pk))
    assert response.status_code == 204
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert not display.storage.exists(display.name)
    assert_error(client_for(user).get(url("note-detail", note_id=note.pk)), 404)


# --- Likes --------------------------------------------------------------------------------


def test_note_like_twice_is_one_like_and_unlike(user):
    note = NoteFactory()
    client = client_for(user)
    for _ in range(2):
        response = client.post(url("note-like", note_id=note.pk))
        assert response.status_code == 200
        assert (response.json()["liked"], response.json()["like_count"]) == (True, 1)
    assert NoteLike.objects.filter(note=note).count() == 1
    for _ in range(2):
        response = client.delete(url("note-like", note_id=note.pk))
        assert response.status_code == 200
        assert (response.json()["liked"], response.json()["like_count"]) == (False, 0)
    assert not NoteLike.objects.exists()


def test_note_like_invisible_note_404(user, other_user):
    note = NoteFactory(author=other_user, visibility="private")
    assert_error(client_for(user).post(url("note-like", note_id=note.pk)), 404)
    assert_error(client_for(user).post(url("note-like", note_id=987654)), 404)
    assert not NoteLike.objects.exists()
    note.refresh_from_db()
    assert note.like_count == 0


@pytest.mark.parametrize("name", ["note-like", "note-collect"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_note_reactions_anonymous_401(api_client, name, method):
    note = NoteFactory()
    assert_error(getattr(api_client, method)(url(name, note_id=note.pk)), 401)
    assert not NoteLike.objects.exists() and not BoardNote.objects.exists()


# --- Collections ------------------------------------------------------------------------------


def test_note_collect_into_saved_by_default(user):
    note = NoteFactory()
    response = client_for(user).post(url("note-collect", note_id=note.pk), format="json")
    assert response.status_code == 200
    assert (response.json()["collected"], response.json()["collect_count"]) == (True, 1)
    saved = Board.objects.get(owner=user, is_default=True)
    assert list(saved.notes.all()) == [note]


def test_note_collect_into_boards_counts_people(user):
    note = NoteFactory()
    trips = BoardFactory(owner=user, name="Trips")
    client = client_for(user)
    client.post(url("note-collect", note_id=note.pk), format="json")
    response = client.post(url("note-collect", note_id=note.pk), {"board": trips.pk}, format="json")
    assert response.json()["collect_count"] == 1
    assert set(BoardNote.objects.values_list("board__name", flat=True)) == {"Saved", "Trips"}

    # Out of one board: still collected.
    response = client.delete(f"{url('note-collect', note_id=note.pk)}?board={trips.pk}")
    assert response.status_code == 200
    assert (response.json()["collected"], response.json()["collect_count"]) == (True, 1)
    assert list(BoardNote.objects.values_list("board__name", flat=True)) == ["Saved"]

    # Board in the body works too, then out of every board at once.
    client.post(url("note-collect", note_id=note.pk), {"board": trips.pk}, format="json")
    response = client.delete(url("note-collect", note_id=note.pk))
    assert (response.json()["collected"], response.json()["collect_count"]) == (False, 0)
    assert not BoardNote.objects.exists()


@pytest.mark.parametrize("method", ["post", "delete"])
@pytest.mark.parametrize("board", ["theirs", 987654, "abc", [1]])
def test_note_collect_bad_board_400(user, other_user, method, board):
    note = NoteFactory()
    if board == "theirs":
        board = BoardFactory(owner=other_user).pk
    response = getattr(client_for(user), method)(
        url("note-collect", note_id=note.pk), {"board": board}, format="json"
    )
    assert_error(response, 400, "board")
    assert not BoardNote.objects.exists()
    note.refresh_from_db()
    assert note.collect_count == 0


def test_note_collect_invisible_note_404(user, other_user):
    note = NoteFactory(author=other_user, visibility="private")
    assert_error(client_for(user).post(url("note-collect", note_id=note.pk)), 404)
    assert not BoardNote.objects.exists()


# --- Boards -------------------------------------------------------------------------------


def test_boards_list_mine_saved_first_with_private(user, other_user):
    client = client_for(user)
    client.post(url("note-collect", note_id=NoteFactory().pk))
    BoardFactory(owner=user, name="Secret", is_private=True)
    BoardFactory(owner=user, name="Food")
    BoardFactory(owner=other_user, name="Theirs")
    response = client.get(url("boards"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [b["name"] for b in results] == ["Saved", "Food", "Secret"]
    assert set(results[0]) == BOARD_FIELDS
    assert results[0]["is_default"] is True and results[0]["note_count"] == 1
    assert results[0]["owner"]["handle"] == "alice"


def test_boards_list_anonymous_401(api_client):
    assert_error(api_client.get(url("boards")), 401)


def test_board_create_201(user):
    response = client_for(user).post(
        url("boards"),
        {"name": " Trips ", "description": "far away", "is_private": True, "is_default": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["description"], body["is_private"], body["is_default"]) == (
        "Trips",
        "far away",
        True,
        False,
    )
    assert (body["note_count"], body["covers"]) == (0, [])
    assert body["url"] == f"http://testserver/boards/{body['id']}/"
    # "Saved" exists from the start, and remains the one default board.
    assert Board.objects.filter(owner=user, is_default=True).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"name": "TRIPS"}, "name"),
        ({"name": "ok", "description": "x" * 201}, "description"),
        ({"name": "ok", "is_private": "perhaps"}, "is_private"),
    ],
)
def test_board_create_bad_input_400(user, data, field):
    BoardFactory(owner=user, name="Trips")
    response = client_for(user).post(url("boards"), data, format="json")
    assert_error(response, 400, field)
    assert Board.objects.filter(owner=user).count() == 1


def test_board_detail_visibility(user, other_user):
    public = BoardFactory(owner=other_user, name="Public")
    private = BoardFactory(owner=other_user, name="Private", is_private=True)
    assert APIClient().get(url("board-detail", board_id=public.pk)).status_code == 200
    assert_error(client_for(user).get(url("board-detail", board_id=private.pk)), 404)
    assert_error(APIClient().get(url("board-detail", board_id=987654)), 404)
    body = client_for(other_user).get(url("board-detail", board_id=private.pk)).json()
    assert body["name"] == "Private"


def test_board_detail_counts_and_covers_only_what_the_viewer_may_see(user, other_user):
    board = BoardFactory(owner=other_user)
    visible = [NoteFactory() for _ in range(4)]
    hidden_from_user = NoteFactory(visibility="private")
    for note in [*visible, hidden_from_user]:
        services.note_collect(user=other_user, note=note, board=board)
    body = client_for(user).get(url("board-detail", board_id=board.pk)).json()
    assert body["note_count"] == 4
    assert len(body["covers"]) == 3
    newest = [n.cover for n in reversed(visible)][:3]
    assert body["covers"] == [f"http://testserver{image.grid_url}" for image in newest]


def test_board_update_by_owner(user):
    board = BoardFactory(owner=user, name="Trips")
    response = client_for(user).patch(
        url("board-detail", board_id=board.pk),
        {"name": "Journeys", "is_private": True, "owner": 999, "is_default": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["is_private"]) == ("Journeys", True)
    board.refresh_from_db()
    assert (board.name, board.is_private, board.is_default, board.owner) == (
        "Journeys",
        True,
        False,
        user,
    )


def test_board_update_saved_cannot_be_renamed(user):
    saved = services.board_get_or_create_saved(owner=user)
    response = client_for(user).patch(
        url("board-detail", board_id=saved.pk), {"name": "Faves"}, format="json"
    )
    assert_error(response, 400, "name")
    saved.refresh_from_db()
    assert saved.name == "Saved"


def test_board_delete(user, other_user):
    board = BoardFactory(owner=user)
    note = NoteFactory()
    services.note_collect(user=user, note=note, board=board)
    assert client_for(user).delete(url("board-detail", board_id=board.pk)).status_code == 204
    assert not Board.objects.filter(pk=board.pk).exists()
    note.refresh_from_db()
    assert note.collect_count == 0


def test_board_delete_saved_400(user):
    saved = services.board_get_or_create_saved(owner=user)
    assert_error(client_for(user).delete(url("board-detail", board_id=saved.pk)), 400, "board")
    assert Board.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_board_edit_someone_elses_404(user, other_user, method):
    board = BoardFactory(owner=other_user, name="Theirs")
    response = getattr(client_for(user), method)(
        url("board-detail", board_id=board.pk), {"name": "Mine"}, format="json"
    )
    assert_error(response, 404)
    board.refresh_from_db()
    assert board.name == "Theirs"


def test_board_notes_lists_visible_notes_newest_collected_first(user, other_user):
    board = BoardFactory(owner=other_user)
    first, second = NoteFactory(), NoteFactory()
    private = NoteFactory(visibility="private")
    for note in (first, second, private):
        services.note_collect(user=other_user, note=note, board=board)
    response = client_for(user).get(url("board-notes", board_id=board.pk))
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [second.pk, first.pk]


def test_board_notes_of_private_board_404(user, other_user):
    board = BoardFactory(owner=other_user, is_private=True)
    assert_error(client_for(user).get(url("board-notes", board_id=board.pk)), 404)


def test_user_boards_public_ones_to_others_all_to_owner(user, other_user):
    BoardFactory(owner=other_user, name="Open")
    BoardFactory(owner=other_user, name="Closed", is_private=True)
    path = url("user-boards", handle="BOB")
    assert [b["name"] for b in APIClient().get(path).json()["results"]] == ["Open"]
    assert [b["name"] for b in client_for(other_user).get(path).json()["results"]] == [
        "Closed",
        "Open",
    ]
    assert_error(APIClient().get(url("user-boards", handle="nobody")), 404)


# --- Lists --------------------------------------------------------------------------------


def test_notes_list_recent_visible_notes(user, other_user):
    shown = [NoteFactory() for _ in range(3)]
    NoteFactory(visibility="private")
    NoteFactory(processing=True)
    NoteFactory(is_hidden=True)
    NoteFactory(author=other_user, visibility="followers")
    response = client_for(user).get(url("notes"))
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [n.pk for n in reversed(shown)]


def test_notes_list_pages_walk_every_note_once(user):
    notes = [NoteFactory() for _ in range(7)]
    client = client_for(user)
    seen, next_url = [], f"{url('notes')}?page_size=3"
    while next_url:
        page = client.get(next_url).json()
        assert len(page["results"]) <= 3
        seen += [n["id"] for n in page["results"]]
        next_url = page["next"]
    assert seen == [n.pk for n in reversed(notes)]


def test_notes_list_bad_cursor_400(user):
    assert_error(client_for(user).get(f"{url('notes')}?cursor=bogus"), 400, "cursor")


def test_user_notes_profile_grid(user, other_user):
    theirs = [NoteFactory(author=other_user) for _ in range(2)]
    NoteFactory(author=other_user, visibility="private")
    NoteFactory(author=other_user, processing=True)
    NoteFactory(author=user)
    response = client_for(user).get(url("user-notes", handle="bob"))
    assert [n["id"] for n in response.json()["results"]] == [n.pk for n in reversed(theirs)]
    # The author sees their private and processing notes too.
    own = client_for(other_user).get(url("user-notes", handle="bob")).json()["results"]
    assert len(own) == 4
    assert_error(APIClient().get(url("user-notes", handle="nobody")), 404)


def test_user_notes_blocked_viewer_sees_none(user, other_user):
    NoteFactory(author=other_user)
    BlockFactory(blocker=other_user, blocked=user)
    assert client_for(user).get(url("user-notes", handle="bob")).json()["results"] == []


def _rich_notes(author, n: int, board: Board | None = None) -> None:
    """Notes with two photos, tags and a mention each (what makes a page expensive)."""
    mentioned = UserFactory(handle=f"friend_of_{author.handle}")
    for i in range(n):
        note = NoteFactory(author=author, images=2)
        services.note_update(note=note, body=f"#tag{i} ＃标签{i} @{mentioned.handle}")
        services.note_like(user=author, note=note)
        if board is not None:
            services.note_collect(user=board.owner, note=note, board=board)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(context)


@pytest.mark.parametrize("list_name", ["notes", "user-notes", "board-notes"])
def test_note_lists_cost_the_same_whatever_the_page_size(user, other_user, list_name):
    board = BoardFactory(owner=other_user)
    _rich_notes(other_user, 12, board=board)
    path = {
        "notes": url("notes"),
        "user-notes": url("user-notes", handle="bob"),
        "board-notes": url("board-notes", board_id=board.pk),
    }[list_name]
    client = client_for(user)
    small = _queries(client, f"{path}?page_size=2")
    large = _queries(client, f"{path}?page_size=12")
    assert small == large
    # Cold: (author or board) + the notes' fresh rows + the notes, their images, tags and
    # mentions for the rendered texts (`notes.rendered`); warm: the first two only.
    assert large <= 6
    assert _queries(client, f"{path}?page_size=12") <= 2
    assert len(client.get(f"{path}?page_size=12").json()["results"]) == 12


@pytest.mark.parametrize("list_name", ["boards", "user-boards"])
def test_board_lists_cost_the_same_whatever_the_page_size(other_user, list_name):
    for i in range(8):
        board = BoardFactory(owner=other_user, name=f"Board {i}")
        _rich_notes(UserFactory(), 2, board=board)
    path = url("boards") if list_name == "boards" else url("user-boards", handle="bob")
    client = client_for(other_user)
    small = _queries(client, f"{path}?page_size=2")
    large = _queries(client, f"{path}?page_size=8")
    assert small == large
    assert large <= 4  # (owner) + boards with counts + cover entries + their images
    page = client.get(f"{path}?page_size=8").json()["results"]
    assert all(len(b["covers"]) == 2 and b["note_count"] == 2 for b in page)


def test_next_link_keeps_page_size(user):
    for _ in range(3):
        NoteFactory()
    page = client_for(user).get(f"{url('notes')}?page_size=2").json()
    query = parse_qs(urlsplit(page["next"]).query)
    assert query["page_size"] == ["2"] and query["cursor"]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("note-detail", "get"),
        ("note-detail", "patch"),
        ("note-like", "post"),
        ("note-collect", "delete"),
        ("board-detail", "get"),
        ("board-notes", "get"),
    ],
)
def test_absurd_ids_are_404_not_500(user, name, method):
    key = "board_id" if name.startswith("board") else "note_id"
    path = url(name, **{key: 10**25})
    assert_error(getattr(client_for(user), method)(path, {}, format="json"), 404)


def test_absurd_board_id_is_400(user):
    note = NoteFactory()
    response = client_for(user).post(
        url("note-collect", note_id=note.pk), {"board": 10**25}, format="json"
    )
    assert_error(response, 400, "board")


# --- OpenAPI ------------------------------------------------------------------------------

NOTES_API_PATHS = {
    "/api/v1/media/": {"post"},
    "/api/v1/notes/": {"get", "post"},
    "/api/v1/notes/{note_id}/": {"get", "patch", "delete"},
    "/api/v1/notes/{note_id}/like/": {"post", "delete"},
    "/api/v1/notes/{note_id}/collect/": {"post", "delete"},
    "/api/v1/users/{handle}/notes/": {"get"},
    "/api/v1/users/{handle}/boards/": {"get"},
    "/api/v1/boards/": {"get", "post"},
    "/api/v1/boards/{board_id}/": {"get", "patch", "delete"},
    "/api/v1/boards/{board_id}/notes/": {"get"},
}


def test_openapi_schema_documents_the_notes_api(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    for path, methods in NOTES_API_PATHS.items():
        assert methods == set(schema["paths"][path]) - {"parameters"}, path
    components = schema["components"]["schemas"]
    assert set(components["Note"]["properties"]) == NOTE_FIELDS
    assert set(components["NoteImage"]["properties"]) == IMAGE_FIELDS
    assert set(components["Board"]["properties"]) == BOARD_FIELDS
    assert {"next", "previous", "results"} <= set(components["PaginatedNoteList"]["properties"])
    upload = schema["paths"]["/api/v1/media/"]["post"]
    assert set(upload["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"201", "400", "401", "429"} <= set(upload["responses"])
    create = components["NoteCreateRequest"]["properties"]
    assert not {"author", "status", "like_count", "collect_count", "comment_count"} & set(create)
