"""Length limits and photo counts are defined once (`notes.limits`, on the model constants): the
web form, the service and the API refuse the same over-long input in the same words."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from notes import services
from notes.models import (
    ALT_TEXT_MAX_LENGTH,
    BOARD_DESCRIPTION_MAX_LENGTH,
    BOARD_NAME_MAX_LENGTH,
    BODY_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    MAX_IMAGES,
    TITLE_MAX_LENGTH,
    Board,
    Note,
)
from tests.factories import NoteFactory, NoteImageFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def page(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def pending_ids(user, n: int = 1) -> list[int]:
    return [NoteImageFactory(owner=user, pending=True).pk for _ in range(n)]


NOTE_CASES = [
    (
        "title",
        "t" * (TITLE_MAX_LENGTH + 1),
        "The title can have at most 100 characters; it has 101.",
    ),
    (
        "body",
        "b" * (BODY_MAX_LENGTH + 1),
        "The text can have at most 2000 characters; it has 2001.",
    ),
    (
        "location",
        "l" * (LOCATION_MAX_LENGTH + 1),
        "The location can have at most 80 characters; it has 81.",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), NOTE_CASES)
def test_note_text_too_long_same_words_in_form_api_and_service(
    page, api, user, field, value, message
):
    base = {"title": "Fine", "body": "", "visibility": "public", "location": ""}

    form = page.post("/notes/new/", {**base, field: value, "media_ids": pending_ids(user)}, **JSON)
    via_api = api.post(
        "/api/v1/notes/", {**base, field: value, "media_ids": pending_ids(user)}, format="json"
    )
    with pytest.raises(ValidationError) as service:
        services.note_create(author=user, media_ids=pending_ids(user), **{**base, field: value})

    assert form.status_code == via_api.status_code == 400
    assert form.json()["errors"][field] == [message]
    assert via_api.json()["errors"][field] == [message]
    assert service.value.message_dict[field] == [message]
    assert not Note.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), NOTE_CASES)
def test_note_edit_too_long_same_words_in_form_and_api(page, api, user, field, value, message):
    note = NoteFactory(author=user, title="Keep", body="", location="")
    base = {"title": "Keep", "body": "", "visibility": "public", "location": ""}

    form = page.post(f"/notes/{note.pk}/edit/", {**base, field: value})
    via_api = api.patch(f"/api/v1/notes/{note.pk}/", {field: value}, format="json")

    assert form.status_code == via_api.status_code == 400
    assert form.context["form"].errors[field] == [message]
    assert via_api.json()["errors"][field] == [message]


def test_alt_text_too_long_same_words_on_both_upload_endpoints_and_the_service(page, api, user):
    message = "The alt text can have at most 500 characters; it has 501."
    alt = "a" * (ALT_TEXT_MAX_LENGTH + 1)

    form = page.post("/notes/media/", {"file": photo(), "alt_text": alt})
    via_api = api.post("/api/v1/media/", {"file": photo(), "alt_text": alt}, format="multipart")
    with pytest.raises(ValidationError) as service:
        services.media_upload(owner=user, file=photo(), alt_text=alt)

    assert form.json()["errors"]["alt_text"] == [message]
    assert via_api.json()["errors"]["alt_text"] == [message]
    assert service.value.message_dict["alt_text"] == [message]


def test_alt_text_of_an_uploaded_photo_too_long_same_words_when_posting(page, api, user):
    message = "The alt text can have at most 500 characters; it has 501."
    alt = "a" * (ALT_TEXT_MAX_LENGTH + 1)
    (for_page,), (for_api,) = pending_ids(user), pending_ids(user)

    form = page.post(
        "/notes/new/",
        {
            "title": "t",
            "visibility": "public",
            "media_ids": [for_page],
            f"alt_text_{for_page}": alt,
        },
        **JSON,
    )
    via_api = api.post(
        "/api/v1/notes/",
        {"title": "t", "media_ids": [for_api], "alt_texts": {str(for_api): alt}},
        format="json",
    )

    assert form.json()["errors"]["photos"] == [message]
    assert via_api.json()["errors"]["alt_texts"] == [f"{for_api}: {message}"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "name",
            "n" * (BOARD_NAME_MAX_LENGTH + 1),
            "The board name can have at most 50 characters; it has 51.",
        ),
        (
            "description",
            "d" * (BOARD_DESCRIPTION_MAX_LENGTH + 1),
            "The description can have at most 200 characters; it has 201.",
        ),
        ("name", "   ", "Give the board a name."),
    ],
)
def test_board_fields_same_words_in_form_api_and_service(page, api, user, field, value, message):
    base = {"name": "Hikes", "description": ""}

    form = page.post("/boards/new/", {**base, field: value})
    via_api = api.post("/api/v1/boards/", {**base, field: value}, format="json")
    with pytest.raises(ValidationError) as service:
        services.board_create(owner=user, **{**base, field: value})

    assert form.status_code == via_api.status_code == 400
    assert form.context["form"].errors[field] == [message]
    assert via_api.json()["errors"][field] == [message]
    assert service.value.message_dict[field] == [message]
    assert not Board.objects.filter(owner=user, name="Hikes").exists()


def test_board_edit_too_long_same_words_in_form_and_api(page, api, user):
    board = services.board_create(owner=user, name="Hikes")
    message = "The board name can have at most 50 characters; it has 51."
    name = "n" * (BOARD_NAME_MAX_LENGTH + 1)

    form = page.post(f"/boards/{board.pk}/edit/", {"name": name, "description": ""})
    via_api = api.patch(f"/api/v1/boards/{board.pk}/", {"name": name}, format="json")

    assert form.context["form"].errors["name"] == [message]
    assert via_api.json()["errors"]["name"] == [message]


@pytest.mark.parametrize(
    ("count", "message"),
    [(MAX_IMAGES + 1, "A note has at most 18 photos."), (0, "Add at least one photo.")],
)
def test_photo_count_same_words_in_form_api_and_service(page, api, user, count, message):
    form = page.post(
        "/notes/new/",
        {"title": "t", "visibility": "public", "media_ids": pending_ids(user, count)},
        **JSON,
    )
    via_api = api.post(
        "/api/v1/notes/", {"title": "t", "media_ids": pending_ids(user, count)}, format="json"
    )
    with pytest.raises(ValidationError) as service:
        services.note_create(author=user, media_ids=pending_ids(user, count), title="t")

    assert form.json()["errors"]["photos"] == [message]
    assert via_api.json()["errors"]["media_ids"] == [message]
    assert service.value.message_dict["media_ids"] == [message]


def test_form_counts_a_browser_newline_as_one_character(page, user):
    # Browsers send CRLF; 1,000 lines of "x" + newline are 1,999 characters once stored.
    body = "\r\n".join(["x"] * 1000)
    assert len(body.replace("\r\n", "\n")) < BODY_MAX_LENGTH < len(body)

    response = page.post(
        "/notes/new/",
        {"title": "", "body": body, "visibility": "public", "media_ids": pending_ids(user)},
    )

    assert response.status_code == 302
    assert Note.objects.get(author=user).body == body.replace("\r\n", "\n")


def test_api_schema_states_the_limits(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    create = schema["components"]["schemas"]["NoteCreateRequest"]["properties"]
    board = schema["components"]["schemas"]["BoardCreateRequest"]["properties"]

    assert create["title"]["maxLength"] == TITLE_MAX_LENGTH
    assert create["body"]["maxLength"] == BODY_MAX_LENGTH
    assert create["location"]["maxLength"] == LOCATION_MAX_LENGTH
    assert board["name"]["maxLength"] == BOARD_NAME_MAX_LENGTH
    assert board["description"]["maxLength"] == BOARD_DESCRIPTION_MAX_LENGTH
