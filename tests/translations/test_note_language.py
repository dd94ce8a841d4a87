"""A note's language: detected from its title and text when posted and edited, unless the
author chose one (the composer's and the edit page's Language field, `language` in the API)."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from notes import services
from notes.models import Note
from tests.factories import NoteImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]


def _post(author, **fields) -> Note:
    image = NoteImageFactory(owner=author, pending=True)
    return services.note_create(author=author, media_ids=[image.pk], **fields)


def test_note_create_detects_the_language(user):
    assert _post(user, title="周末去苏州", body="拙政园的荷花开了，太美了").language == "zh-Hans"
    assert _post(user, title="weekend in Suzhou", body="the lotus is out").language == "en"
    assert _post(user, title="台北夜市", body="這裡的小吃真的很好吃").language == "zh-Hant"
    assert _post(user, title="太好了", body="so cute, I love it").language == "mixed"
    assert _post(user, title="👍", language="auto").language == ""


def test_note_create_keeps_the_authors_choice(user):
    note = _post(user, title="周末去苏州", body="拙政园的荷花开了", language="en")
    assert note.language == "en"
    assert _post(user, title="hello", language="mixed").language == "mixed"


def test_note_create_refuses_an_unknown_language(user):
    with pytest.raises(ValidationError) as exc_info:
        _post(user, title="hello", language="klingon")
    assert exc_info.value.message_dict == {"language": ["Unknown language."]}
    assert not Note.objects.exists()


def test_note_update_detects_new_text_unless_the_author_corrected_the_language(user):
    note = _post(user, title="weekend in Suzhou", body="the lotus is out")
    services.note_update(note=note, title="周末去苏州", body="拙政园的荷花开了")
    note.refresh_from_db()
    assert note.language == "zh-Hans"

    services.note_update(note=note, language="ja")  # the author's correction
    services.note_update(note=note, body="拙政园的荷花开了，人好多")
    note.refresh_from_db()
    assert note.language == "ja"

    services.note_update(note=note, language="auto")
    note.refresh_from_db()
    assert note.language == "zh-Hans"


def test_api_language_field(user):
    api = APIClient()
    api.force_authenticate(user)
    image = NoteImageFactory(owner=user, pending=True)
    created = api.post(
        "/api/v1/notes/",
        {"media_ids": [image.pk], "title": "周末去苏州", "body": "拙政园的荷花开了"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["language"] == "zh-Hans"
    note_id = created.json()["id"]
    corrected = api.patch(f"/api/v1/notes/{note_id}/", {"language": "zh-Hant"}, format="json")
    assert corrected.status_code == 200 and corrected.json()["language"] == "zh-Hant"
    bad = api.patch(f"/api/v1/notes/{note_id}/", {"language": "xx"}, format="json")
    assert bad.status_code == 400 and "language" in bad.json()["errors"]
    assert Note.objects.get(pk=note_id).language == "zh-Hant"


def test_edit_page_language_field(client, user):
    note = _post(user, title="weekend in Suzhou", body="the lotus is out")
    client.force_login(user)
    page = client.get(f"/notes/{note.pk}/edit/").content.decode()
    assert 'name="language"' in page and '<option value="auto" selected>' in page
    form = {"title": "周末去苏州", "body": "拙政园", "visibility": "public", "location": ""}
    assert client.post(f"/notes/{note.pk}/edit/", {**form, "language": "en"}).status_code == 302
    note.refresh_from_db()
    assert note.language == "en"
    page = client.get(f"/notes/{note.pk}/edit/").content.decode()
    assert '<option value="en" selected>' in page


def test_composer_has_the_language_field(client, user):
    client.force_login(user)
    page = client.get("/notes/new/").content.decode()
    assert 'name="language"' in page and '<option value="auto" selected>' in page
