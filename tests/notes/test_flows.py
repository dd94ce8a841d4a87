"""Flows that services own (issue 6): the plain composer (`services.note_compose`), creating a
board while collecting into it (`services.note_collect_into_new_board`) and the one photo-upload
path — the composer's `POST /notes/media/` and the API's `POST /api/v1/media/` — with one
throttle and one decode per photo."""

import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from notes import services
from notes.models import Board, BoardNote, Note, NoteImage
from notes.services import uploads
from rednote import images
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def photo(name: str = "photo.jpg", colour=(200, 60, 80)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, "JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def not_a_photo(name: str = "notes.gif") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 not an image", content_type="image/gif")


@pytest.fixture
def alice_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def alice_api(user):
    api = APIClient()
    api.force_authenticate(user=user)
    return api


@pytest.fixture
def inspect_calls(monkeypatch):
    """Counts the decodes of uploads: every call of `rednote.images.image_inspect`, under
    whatever module imported it."""
    calls = []
    real = images.image_inspect

    def counting(file, **kwargs):
        calls.append(getattr(file, "name", None))
        return real(file, **kwargs)

    for module in list(sys.modules.values()):
        if getattr(module, "image_inspect", None) is real:
            monkeypatch.setattr(module, "image_inspect", counting)
    return calls


@pytest.fixture
def upload_rate(monkeypatch):
    def set_rate(rate: str) -> None:
        monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "uploads", rate)

    return set_rate


# --- The plain composer -------------------------------------------------------------------


def test_note_compose_stores_files_after_uploaded_photos_in_order(user):
    (earlier,) = [services.media_upload(owner=user, file=photo())]

    note = services.note_compose(
        author=user,
        files=[photo("a.jpg"), photo("b.jpg", colour=(10, 200, 10))],
        file_alt_texts=["First", " Second "],
        media_ids=[earlier.pk],
        alt_texts={earlier.pk: "Earlier"},
        title="Three photos",
        visibility="followers",
    )

    images = list(note.images.order_by("position"))
    assert images[0].pk == earlier.pk
    assert [i.alt_text for i in images] == ["Earlier", "First", "Second"]
    assert note.visibility == "followers" and note.title == "Three photos"
    assert all(i.original.storage.exists(i.original.name) for i in images)


def test_note_compose_refuses_everything_at_once_and_stores_nothing(user, private_files):
    with pytest.raises(ValidationError) as caught:
        services.note_compose(
            author=user,
            files=[photo(), not_a_photo("notes.gif")],
            file_alt_texts=["", "x" * 501],
            title="t" * 101,
        )

    errors = caught.value.message_dict
    assert errors["files"][0].startswith("Photo 2 (notes.gif): ")
    assert errors["title"] == ["The title can have at most 100 characters; it has 101."]
    assert errors["alt_texts"] == ["The alt text can have at most 500 characters; it has 501."]
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert private_files() == []


def test_note_compose_refuses_a_control_character_in_a_photo_description(user, private_files):
    with pytest.raises(ValidationError) as caught:
        services.note_compose(
            author=user, files=[photo()], file_alt_texts=["Sunset\x1b[31m"], title="Evening"
        )

    assert caught.value.message_dict == {
        "alt_texts": ["Remove the control characters from this field."]
    }
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert private_files() == []


def test_note_compose_failing_after_storing_deletes_the_originals(user, private_files):
    # The text and the photos pass the first checks; the note is refused only once the new
    # originals are stored (an unknown earlier upload), so they must be removed again.
    with pytest.raises(ValidationError) as caught:
        services.note_compose(
            author=user, files=[photo(), photo("b.jpg")], media_ids=[987654], title="Late"
        )

    assert "Unknown or already used photo" in caught.value.message_dict["media_ids"][0]
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert private_files() == []


def test_note_compose_unexpected_failure_deletes_the_originals(user, private_files, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("notes.services.compose.note_create", broken)

    with pytest.raises(RuntimeError):
        services.note_compose(author=user, files=[photo()], title="Boom")

    assert not NoteImage.objects.exists()
    assert private_files() == []


def test_note_compose_respects_the_pending_uploads_limit(user, private_files, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PENDING_UPLOADS", 2)
    services.media_upload(owner=user, file=photo())
    before = private_files()

    with pytest.raises(ValidationError) as caught:
        services.note_compose(author=user, files=[photo(), photo()], title="Too many")

    assert "Too many photos uploaded" in caught.value.message_dict["file"][0]
    assert NoteImage.objects.count() == 1 and private_files() == before


def test_plain_composer_page_posts_through_the_service(alice_client, user, inspect_calls):
    response = alice_client.post(
        "/notes/new/",
        {
            "title": "Plain form",
            "visibility": "public",
            "photos": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")],
            "photo_alt": ["A", "B", "C"],
        },
    )

    note = Note.objects.get(author=user)
    assert response.status_code == 302 and response["Location"] == f"/notes/{note.pk}/"
    assert [i.alt_text for i in note.images.order_by("position")] == ["A", "B", "C"]
    # Each photo is decoded once (the page used to inspect every file, then upload it again).
    assert inspect_calls == ["a.jpg", "b.jpg", "c.jpg"]


def test_plain_composer_refusal_stores_no_file_and_no_row(alice_client, user, private_files):
    response = alice_client.post(
        "/notes/new/",
        {"title": "Oops", "visibility": "public", "photos": [photo(), not_a_photo()]},
        **JSON,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["photos"][0].startswith("Photo 2 (notes.gif): ")
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert private_files() == []


# --- One photo-upload path ----------------------------------------------------------------


def test_media_upload_page_endpoint_decodes_once(alice_client, inspect_calls):
    response = alice_client.post("/notes/media/", {"file": photo("one.jpg")})

    assert response.status_code == 201
    assert inspect_calls == ["one.jpg"]


def test_media_upload_api_decodes_once(alice_api, inspect_calls):
    response = alice_api.post("/api/v1/media/", {"file": photo("one.jpg")}, format="multipart")

    assert response.status_code == 201
    assert inspect_calls == ["one.jpg"]


def test_media_upload_page_endpoint_is_throttled(alice_client, upload_rate):
    upload_rate("2/min")
    for _ in range(2):
        assert alice_client.post("/notes/media/", {"file": photo()}).status_code == 201

    response = alice_client.post("/notes/media/", {"file": photo()})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["errors"] == {}
    assert body["detail"].startswith("Too many photos uploaded in a short time; try again in ")
    assert NoteImage.objects.count() == 2


def test_media_upload_page_and_api_share_one_budget_and_one_message(
    alice_client, alice_api, upload_rate
):
    upload_rate("2/min")
    assert alice_client.post("/notes/media/", {"file": photo()}).status_code == 201
    assert alice_api.post("/api/v1/media/", {"file": photo()}).status_code == 201

    page = alice_client.post("/notes/media/", {"file": photo()})
    api = alice_api.post("/api/v1/media/", {"file": photo()})

    assert page.status_code == api.status_code == 429
    assert page.json()["detail"].split(" try again")[0] == api.json()["detail"].split(" try")[0]
    assert api.json()["detail"].startswith("Too many photos uploaded in a short time;")
    assert NoteImage.objects.count() == 2


def test_media_upload_page_endpoint_counts_per_person(alice_client, other_user, upload_rate):
    from django.test import Client

    upload_rate("1/min")
    assert alice_client.post("/notes/media/", {"file": photo()}).status_code == 201
    bob = Client()
    bob.force_login(other_user)

    assert bob.post("/notes/media/", {"file": photo()}).status_code == 201


def test_media_upload_page_endpoint_goes_on_when_the_cache_is_down(
    alice_client, upload_rate, monkeypatch
):
    upload_rate("1/min")

    class DownCache:
        def get(self, *args, **kwargs):
            raise RedisConnectionError("Connection refused")

        set = get

    monkeypatch.setattr(ScopedRateThrottle, "cache", DownCache())

    response = alice_client.post("/notes/media/", {"file": photo()})

    assert response.status_code == 201


# --- A new board with the note in it --------------------------------------------------------


def test_note_collect_into_new_board_does_both(user, other_user):
    note = NoteFactory(author=other_user)

    board = services.note_collect_into_new_board(
        user=user, note=note, name="Hikes", description="Trails", is_private=True
    )

    assert (board.owner, board.name, board.description, board.is_private) == (
        user,
        "Hikes",
        "Trails",
        True,
    )
    assert BoardNote.objects.filter(board=board, note=note).exists()
    note.refresh_from_db()
    assert note.collect_count == 1


def test_note_collect_into_new_board_refused_does_neither(user, other_user):
    note = NoteFactory(author=other_user)
    services.board_create(owner=user, name="Hikes")
    boards_before = Board.objects.filter(owner=user).count()

    with pytest.raises(ValidationError) as caught:
        services.note_collect_into_new_board(user=user, note=note, name="hikes")

    assert caught.value.message_dict["name"] == ["You already have a board with this name."]
    assert Board.objects.filter(owner=user).count() == boards_before
    assert not BoardNote.objects.filter(note=note).exists()


def test_board_page_from_the_picker_collects_into_the_new_board(alice_client, user, other_user):
    note = NoteFactory(author=other_user)

    response = alice_client.post("/boards/new/", {"name": "Tea", "note": note.pk}, **HTMX)

    assert response.status_code == 200
    board = Board.objects.get(owner=user, name="Tea")
    assert BoardNote.objects.filter(board=board, note=note).exists()


def test_api_board_create_with_note_collects_it(alice_api, user, other_user):
    note = NoteFactory(author=other_user)

    response = alice_api.post("/api/v1/boards/", {"name": "Tea", "note": note.pk}, format="json")

    assert response.status_code == 201, response.content
    board = Board.objects.get(pk=response.json()["id"])
    assert board.owner == user and board.name == "Tea"
    assert response.json()["note_count"] == 1
    assert BoardNote.objects.filter(board=board, note=note).exists()


def test_api_board_create_with_a_hidden_note_is_404_and_makes_no_board(alice_api, user, other_user):
    note = NoteFactory(author=other_user, visibility="private")

    response = alice_api.post("/api/v1/boards/", {"name": "Tea", "note": note.pk}, format="json")

    assert response.status_code == 404
    assert not Board.objects.filter(owner=user).exists()


def test_api_board_create_with_a_taken_name_collects_nothing(alice_api, user, other_user):
    note = NoteFactory(author=other_user)
    services.board_create(owner=user, name="Tea")

    response = alice_api.post("/api/v1/boards/", {"name": "TEA", "note": note.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["You already have a board with this name."]
    assert not BoardNote.objects.filter(note=note).exists()


def test_views_call_services_not_the_orm():
    """The notes views hold no transactions and no ORM writes or file clean-up (issue 6)."""
    from pathlib import Path

    import notes.views

    for path in Path(notes.views.__file__).parent.glob("*.py"):
        source = path.read_text()
        for forbidden in ("transaction", ".objects.", "refresh_from_db", ".storage.delete"):
            assert forbidden not in source, f"{path.name} uses {forbidden}"
