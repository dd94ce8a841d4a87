import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from notes import services
from notes.models import Board, BoardNote, Note, NoteImage, NoteLike, NoteStatus
from rednote.cursors import cursor_encode, datetime_score
from tests.factories import (
    BlockFactory,
    BoardFactory,
    FollowFactory,
    MuteFactory,
    NoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}


def jpeg_bytes(size=(120, 90), colour=(200, 60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def photo(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture
def alice_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def bob_client(other_user):
    c = Client()
    c.force_login(other_user)
    return c


def upload(user, n=1):
    return [services.media_upload(owner=user, file=photo()) for _ in range(n)]


def stored_nothing(user):
    return not Note.objects.filter(author=user).exists() and not NoteImage.objects.exists()


# --- Posting: /notes/new/ -----------------------------------------------------------------


def test_new_requires_login(client):
    response = client.get("/notes/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/notes/new/")


def test_new_page_has_enhanced_and_plain_pickers(alice_client):
    response = alice_client.get("/notes/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in body
    assert 'name="photos"' in body and "multiple" in body  # the no-JavaScript picker
    assert 'id="composer-config"' in body
    config = json.loads(
        body.split('id="composer-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["uploadUrl"] == "/notes/media/"
    assert config["maxImages"] == 18


def test_media_upload_returns_id(alice_client, user):
    response = alice_client.post("/notes/media/", {"file": photo(), "alt_text": "A red square"})
    assert response.status_code == 201
    data = response.json()
    image = NoteImage.objects.get(pk=data["id"])
    assert image.owner == user and image.note is None and image.alt_text == "A red square"
    assert data["status"] == "pending" and (data["width"], data["height"]) == (120, 90)


def test_media_upload_refuses_non_image_naming_the_file_field(alice_client):
    fake = SimpleUploadedFile("evil.jpg", b"<svg onload=alert(1)></svg>", content_type="image/jpeg")
    response = alice_client.post("/notes/media/", {"file": fake})
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert "JPEG" in response.json()["detail"]
    assert not NoteImage.objects.exists()


def test_media_upload_without_file_is_400(alice_client):
    response = alice_client.post("/notes/media/", {})
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_media_upload_anonymous_is_401(client):
    response = client.post("/notes/media/", {"file": photo()})
    assert response.status_code == 401
    assert not NoteImage.objects.exists()


def test_media_upload_enforces_csrf(user):
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    response = c.post("/notes/media/", {"file": photo()})
    assert response.status_code == 403
    assert not NoteImage.objects.exists()


def test_post_with_uploaded_media_ids_in_order(
    alice_client, user, django_capture_on_commit_callbacks
):
    first, second = upload(user, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/notes/new/",
            {
                "title": "Two photos",
                "body": "Tea in #成都 with @bob",
                "visibility": "public",
                "location": "Chengdu",
                "media_ids": [second.pk, first.pk],
                f"alt_text_{first.pk}": "A teapot",
            },
        )
    note = Note.objects.get(author=user)
    assert response.status_code == 302 and response["Location"] == f"/notes/{note.pk}/"
    assert [i.pk for i in note.images.all()] == [second.pk, first.pk]
    assert NoteImage.objects.get(pk=first.pk).alt_text == "A teapot"
    # Celery runs eagerly in tests: the photos are processed and the note published.
    assert note.status == NoteStatus.PUBLISHED
    assert note.location == "Chengdu"
    assert list(note.hashtags.values_list("name", flat=True)) == ["成都"]


def test_post_json_answers_201_with_url(alice_client, user):
    (image,) = upload(user)
    response = alice_client.post(
        "/notes/new/", {"title": "Hi", "visibility": "public", "media_ids": [image.pk]}, **JSON
    )
    assert response.status_code == 201
    note = Note.objects.get(author=user)
    assert response.json() == {"id": note.pk, "url": f"/notes/{note.pk}/"}


def test_post_without_javascript_uploads_files_and_posts(alice_client, user):
    response = alice_client.post(
        "/notes/new/",
        {
            "title": "Plain form",
            "visibility": "followers",
            "photos": [photo("a.jpg"), photo("b.png", colour=(10, 200, 10))],
            "photo_alt": ["First", "Second"],
        },
    )
    note = Note.objects.get(author=user)
    assert response.status_code == 302
    assert note.visibility == "followers"
    assert [i.alt_text for i in note.images.all()] == ["First", "Second"]


def test_post_without_javascript_refuses_a_bad_file_and_stores_nothing(alice_client, user):
    bad = SimpleUploadedFile("notes.gif", b"%PDF-1.4 not an image", content_type="image/gif")
    response = alice_client.post(
        "/notes/new/", {"title": "Oops", "visibility": "public", "photos": [photo(), bad]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Photo 2 (notes.gif)" in body
    assert stored_nothing(user)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "x" * 101}, "title", "The title can have at most 100 characters; it has 101."),
        ({"body": "y" * 2001}, "body", "The text can have at most 2000 characters; it has 2001."),
        ({"visibility": "everyone"}, "visibility", "Select a valid choice"),
        ({"location": "z" * 81}, "location", "at most 80 characters"),
        ({"title": "", "body": ""}, "title", "Give the note a title or some text"),
    ],
)
def test_post_bad_text_is_400_naming_the_field_and_stores_nothing(
    alice_client, user, data, field, message
):
    (image,) = upload(user)
    fields = {"title": "Fine", "visibility": "public", "media_ids": [image.pk], **data}
    response = alice_client.post("/notes/new/", fields, **JSON)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in m for m in errors[field]), errors
    assert not Note.objects.exists()
    assert NoteImage.objects.get(pk=image.pk).note is None


def test_post_without_photos_is_400(alice_client, user):
    response = alice_client.post("/notes/new/", {"title": "No photos", "visibility": "public"})
    assert response.status_code == 400
    assert "Add at least one photo." in response.content.decode()
    assert not Note.objects.exists()


def test_post_with_19_photos_is_400(alice_client, user):
    images = upload(user, 19)
    response = alice_client.post(
        "/notes/new/",
        {"title": "Too many", "visibility": "public", "media_ids": [i.pk for i in images]},
        **JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["A note has at most 18 photos."]
    assert not Note.objects.exists()


def test_post_with_someone_elses_media_is_400(alice_client, user, other_user):
    (theirs,) = upload(other_user)
    response = alice_client.post(
        "/notes/new/",
        {"title": "Not mine", "visibility": "public", "media_ids": [theirs.pk]},
        **JSON,
    )
    assert response.status_code == 400
    assert "Unknown or already used photo" in response.json()["errors"]["photos"][0]
    assert not Note.objects.exists()
    assert NoteImage.objects.get(pk=theirs.pk).note is None


@pytest.mark.parametrize("media_id", ["1; DROP", "99999999999999999999", "-5", "0"])
def test_post_with_garbage_media_id_is_400(alice_client, media_id):
    response = alice_client.post(
        "/notes/new/", {"title": "x", "visibility": "public", "media_ids": [media_id]}, **JSON
    )
    assert response.status_code == 400
    assert "media_ids" in response.json()["errors"]
    assert not Note.objects.exists()


def test_post_enforces_csrf(user):
    (image,) = upload(user)
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    response = c.post(
        "/notes/new/", {"title": "x", "visibility": "public", "media_ids": [image.pk]}
    )
    assert response.status_code == 403
    assert not Note.objects.exists()


# --- The note page ------------------------------------------------------------------------


def test_detail_shows_note_layout(client, other_user):
    note = NoteFactory(author=other_user, title="Hotpot night", images=2, location="Chongqing")
    note.language = "en"
    note.save()
    response = client.get(f"/notes/{note.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hotpot night" in body and "Chongqing" in body and "English" in body
    assert body.count('data-testid="carousel-slide"') == 2
    for image in note.images.all():
        assert f'src="{image.display_url}"' in body
    assert 'data-testid="follow-button"' in body
    assert 'data-testid="note-edit"' not in body


def test_detail_links_tags_and_mentions(alice_client, user, other_user):
    (image,) = upload(user)
    note = services.note_create(
        author=user, media_ids=[image.pk], body="Hi @bob, see #上海citywalk[话题]# and #Tea"
    )
    body = alice_client.get(f"/notes/{note.pk}/").content.decode()
    assert '<a class="mention" href="/@bob/">@bob</a>' in body
    assert '<a class="hashtag" href="/tags/%E4%B8%8A%E6%B5%B7citywalk/">#上海citywalk</a>' in body
    assert '<a class="hashtag" href="/tags/tea/">#Tea</a>' in body


def test_detail_escapes_markup_in_text(client, other_user):
    note = NoteFactory(
        author=other_user,
        title='"><img src=x onerror=alert(1)>',
        body="<script>alert('x')</script> and \"><img src=x onerror=alert(2)>",
        location="<b>here</b>",
    )
    body = client.get(f"/notes/{note.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "<img src=x onerror" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in body
    assert "&lt;b&gt;here&lt;/b&gt;" in body


def test_detail_missing_is_404(client):
    assert client.get("/notes/999999/").status_code == 404


def test_detail_author_sees_menu_and_processing_banner(alice_client, user):
    note = NoteFactory(author=user, processing=True)
    body = alice_client.get(f"/notes/{note.pk}/").content.decode()
    assert 'data-testid="note-edit"' in body and 'data-testid="note-delete"' in body
    assert 'data-status="processing"' in body
    assert f'hx-get="/notes/{note.pk}/status/"' in body and 'hx-trigger="every 2s"' in body


def test_detail_author_sees_failure_reason(alice_client, user):
    note = NoteFactory(author=user, status=NoteStatus.FAILED, published_at=None)
    Note.objects.filter(pk=note.pk).update(failure_reason="Photo 1 could not be processed.")
    body = alice_client.get(f"/notes/{note.pk}/").content.decode()
    assert "Photo 1 could not be processed." in body
    assert "every 2s" not in body


def test_status_poll_keeps_polling_then_refreshes(alice_client, user):
    note = NoteFactory(author=user, processing=True)
    polling = alice_client.get(f"/notes/{note.pk}/status/", **HTMX)
    assert polling.status_code == 200 and "every 2s" in polling.content.decode()
    Note.objects.filter(pk=note.pk).update(status=NoteStatus.PUBLISHED)
    done = alice_client.get(f"/notes/{note.pk}/status/", **HTMX)
    assert done.status_code == 200 and done["HX-Refresh"] == "true"


def test_status_poll_of_someone_elses_note_is_404(bob_client, user):
    note = NoteFactory(author=user, processing=True)
    assert bob_client.get(f"/notes/{note.pk}/status/", **HTMX).status_code == 404


def test_detail_query_count_is_constant(client, other_user, django_assert_max_num_queries):
    small = NoteFactory(author=other_user, images=1)
    big = NoteFactory(author=other_user, images=18)
    with django_assert_max_num_queries(8) as few:
        client.get(f"/notes/{small.pk}/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/notes/{big.pk}/")


# --- Editing and deleting -----------------------------------------------------------------


def test_edit_updates_text_and_tags(alice_client, user):
    (image,) = upload(user)
    note = services.note_create(author=user, media_ids=[image.pk], title="Old", body="#old")
    page = alice_client.get(f"/notes/{note.pk}/edit/")
    assert page.status_code == 200 and 'value="Old"' in page.content.decode()
    response = alice_client.post(
        f"/notes/{note.pk}/edit/",
        {"title": "New", "body": "Now #new", "visibility": "private", "location": "Home"},
    )
    assert response.status_code == 302 and response["Location"] == f"/notes/{note.pk}/"
    note.refresh_from_db()
    assert (note.title, note.visibility, note.location) == ("New", "private", "Home")
    assert list(note.hashtags.values_list("name", flat=True)) == ["new"]


def test_edit_bad_input_is_400_and_changes_nothing(alice_client, user):
    note = NoteFactory(author=user, title="Keep")
    response = alice_client.post(
        f"/notes/{note.pk}/edit/", {"title": "t" * 101, "body": "", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    note.refresh_from_db()
    assert note.title == "Keep"


def test_edit_and_delete_of_someone_elses_note_are_404(bob_client, user):
    note = NoteFactory(author=user)
    assert bob_client.get(f"/notes/{note.pk}/edit/").status_code == 404
    assert bob_client.post(f"/notes/{note.pk}/edit/", {"title": "Mine"}).status_code == 404
    assert bob_client.get(f"/notes/{note.pk}/delete/").status_code == 404
    assert bob_client.post(f"/notes/{note.pk}/delete/").status_code == 404
    assert Note.objects.filter(pk=note.pk, title=note.title).exists()


def test_delete_asks_then_deletes(alice_client, user):
    note = NoteFactory(author=user)
    assert alice_client.get(f"/notes/{note.pk}/delete/").status_code == 200
    response = alice_client.post(f"/notes/{note.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/@alice/"
    assert not Note.objects.filter(pk=note.pk).exists()


def test_delete_enforces_csrf(user):
    note = NoteFactory(author=user)
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    assert c.post(f"/notes/{note.pk}/delete/").status_code == 403
    assert Note.objects.filter(pk=note.pk).exists()


# --- Likes --------------------------------------------------------------------------------


def test_like_with_htmx_returns_button_and_is_idempotent(alice_client, user):
    note = NoteFactory()
    first = alice_client.post(f"/notes/{note.pk}/like/", **HTMX)
    second = alice_client.post(f"/notes/{note.pk}/like/", **HTMX)
    assert first.status_code == second.status_code == 200
    assert NoteLike.objects.filter(user=user, note=note).count() == 1
    note.refresh_from_db()
    assert note.like_count == 1
    body = second.content.decode()
    assert 'aria-pressed="true"' in body and f'action="/notes/{note.pk}/unlike/"' in body
    assert '<span class="action-count" data-testid="like-count" title="1">1</span>' in body


def test_unlike_removes_the_like(alice_client, user):
    note = NoteFactory()
    services.note_like(user=user, note=note)
    response = alice_client.post(f"/notes/{note.pk}/unlike/", **HTMX)
    assert response.status_code == 200 and 'aria-pressed="false"' in response.content.decode()
    note.refresh_from_db()
    assert note.like_count == 0


def test_like_without_htmx_redirects_back(alice_client):
    note = NoteFactory()
    response = alice_client.post(f"/notes/{note.pk}/like/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    evil = alice_client.post(f"/notes/{note.pk}/like/", {"next": "https://evil.example/"})
    assert evil["Location"] == f"/notes/{note.pk}/"


def test_like_anonymous_is_sent_to_log_in(client):
    note = NoteFactory()
    htmx = client.post(f"/notes/{note.pk}/like/", **HTMX)
    assert htmx.status_code == 200
    assert htmx["HX-Redirect"] == f"/accounts/login/?next=%2Fnotes%2F{note.pk}%2F"
    plain = client.post(f"/notes/{note.pk}/like/")
    assert plain.status_code == 302 and plain["Location"].startswith("/accounts/login/")
    assert not NoteLike.objects.exists()


def test_like_of_invisible_note_is_404_even_anonymous(alice_client):
    note = NoteFactory(visibility="private")
    assert Client().post(f"/notes/{note.pk}/like/", **HTMX).status_code == 404
    assert alice_client.post(f"/notes/{note.pk}/like/", **HTMX).status_code == 404
    assert not NoteLike.objects.exists()


def test_like_enforces_csrf(user):
    note = NoteFactory()
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    assert c.post(f"/notes/{note.pk}/like/", **HTMX).status_code == 403
    assert not NoteLike.objects.exists()


def test_like_get_is_405(alice_client):
    note = NoteFactory()
    assert alice_client.get(f"/notes/{note.pk}/like/").status_code == 405


# --- Collecting ---------------------------------------------------------------------------


def test_collect_into_saved_then_board_then_uncollect(alice_client, user):
    note = NoteFactory()
    response = alice_client.post(f"/notes/{note.pk}/collect/", **HTMX)
    assert response.status_code == 200
    saved = Board.objects.get(owner=user, is_default=True)
    assert BoardNote.objects.filter(board=saved, note=note).exists()
    trips = BoardFactory(owner=user, name="Trips")
    response = alice_client.post(f"/notes/{note.pk}/collect/", {"board": trips.pk}, **HTMX)
    body = response.content.decode()
    assert "Trips" in body and body.count('aria-pressed="true"') == 2
    note.refresh_from_db()
    assert note.collect_count == 1  # one person, two boards
    alice_client.post(f"/notes/{note.pk}/uncollect/", {"board": saved.pk}, **HTMX)
    assert list(BoardNote.objects.filter(note=note).values_list("board", flat=True)) == [trips.pk]
    alice_client.post(f"/notes/{note.pk}/uncollect/", **HTMX)
    note.refresh_from_db()
    assert note.collect_count == 0 and not BoardNote.objects.filter(note=note).exists()


def test_collect_into_someone_elses_board_is_404(alice_client, other_user):
    note = NoteFactory()
    theirs = BoardFactory(owner=other_user)
    response = alice_client.post(f"/notes/{note.pk}/collect/", {"board": theirs.pk}, **HTMX)
    assert response.status_code == 404
    assert not BoardNote.objects.exists()
    bad = alice_client.post(f"/notes/{note.pk}/collect/", {"board": "x"}, **HTMX)
    assert bad.status_code == 404


def test_collect_picker_page_without_javascript(alice_client, user):
    note = NoteFactory()
    BoardFactory(owner=user, name="Food")
    response = alice_client.get(f"/notes/{note.pk}/collect/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved" in body and "Food" in body and 'data-testid="new-board-form"' in body


def test_new_board_from_picker_collects_the_note(alice_client, user):
    note = NoteFactory()
    response = alice_client.post(
        "/boards/new/", {"name": "Weekend", "note": note.pk, "is_private": "on"}, **HTMX
    )
    assert response.status_code == 200
    board = Board.objects.get(owner=user, name="Weekend")
    assert board.is_private
    assert BoardNote.objects.filter(board=board, note=note).exists()
    assert 'id="collect-' in response.content.decode()


def test_new_board_from_picker_with_taken_name_is_422_with_errors(alice_client, user):
    note = NoteFactory()
    BoardFactory(owner=user, name="Weekend")
    response = alice_client.post("/boards/new/", {"name": "weekend", "note": note.pk}, **HTMX)
    assert response.status_code == 422
    assert "You already have a board with this name." in response.content.decode()
    assert not BoardNote.objects.exists()


def test_collect_anonymous_is_sent_to_log_in(client):
    note = NoteFactory()
    assert client.post(f"/notes/{note.pk}/collect/", **HTMX)["HX-Redirect"].startswith(
        "/accounts/login/"
    )
    assert client.get(f"/notes/{note.pk}/collect/").status_code == 302
    assert not BoardNote.objects.exists()


# --- Boards -------------------------------------------------------------------------------


def test_board_page_lists_its_visible_notes(client, other_user):
    board = BoardFactory(owner=other_user, name="Cafés")
    shown = NoteFactory(title="Latte art")
    hidden = NoteFactory(title="Gone", is_hidden=True)
    for note in (shown, hidden):
        BoardNote.objects.create(board=board, note=note)
    body = client.get(f"/boards/{board.pk}/").content.decode()
    assert "Cafés" in body and "Latte art" in body and "Gone" not in body
    assert 'data-testid="board-remove"' not in body


def test_private_board_is_404_for_others(client, bob_client, user):
    board = BoardFactory(owner=user, is_private=True)
    assert client.get(f"/boards/{board.pk}/").status_code == 404
    assert bob_client.get(f"/boards/{board.pk}/").status_code == 404


def test_board_owner_creates_renames_and_deletes(alice_client, user):
    response = alice_client.post("/boards/new/", {"name": "Hikes", "description": "Trails"})
    board = Board.objects.get(owner=user, name="Hikes")
    assert response.status_code == 302 and response["Location"] == f"/boards/{board.pk}/"
    response = alice_client.post(
        f"/boards/{board.pk}/edit/", {"name": "Mountains", "description": "", "is_private": "on"}
    )
    board.refresh_from_db()
    assert response.status_code == 302 and board.name == "Mountains" and board.is_private
    response = alice_client.post(f"/boards/{board.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/@alice/boards/"
    assert not Board.objects.filter(pk=board.pk).exists()


def test_board_create_bad_name_is_400(alice_client, user):
    response = alice_client.post("/boards/new/", {"name": "n" * 51})
    assert response.status_code == 400
    assert "at most 50 characters" in response.content.decode()
    assert not Board.objects.exists()


def test_saved_board_cannot_be_deleted(alice_client, user):
    saved = services.board_get_or_create_saved(owner=user)
    response = alice_client.post(f"/boards/{saved.pk}/delete/")
    assert response.status_code == 302
    assert Board.objects.filter(pk=saved.pk).exists()


def test_someone_elses_board_cannot_be_edited_or_deleted(bob_client, user):
    board = BoardFactory(owner=user, name="Mine")
    assert bob_client.get(f"/boards/{board.pk}/edit/").status_code == 404
    assert bob_client.post(f"/boards/{board.pk}/edit/", {"name": "Theirs"}).status_code == 404
    assert bob_client.post(f"/boards/{board.pk}/delete/").status_code == 404
    board.refresh_from_db()
    assert board.name == "Mine"


def test_remove_note_from_board(alice_client, user):
    board = BoardFactory(owner=user)
    note = NoteFactory()
    services.note_collect(user=user, note=note, board=board)
    page = alice_client.get(f"/boards/{board.pk}/").content.decode()
    assert 'data-testid="board-remove"' in page
    response = alice_client.post(f"/boards/{board.pk}/notes/{note.pk}/remove/", **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert not BoardNote.objects.exists()
    note.refresh_from_db()
    assert note.collect_count == 0


def test_boards_list_of_a_person(alice_client, user):
    BoardFactory(owner=user, name="Public one")
    BoardFactory(owner=user, name="Secret one", is_private=True)
    theirs = Client().get("/@alice/boards/").content.decode()
    assert "Public one" in theirs and "Secret one" not in theirs
    mine = alice_client.get("/@alice/boards/").content.decode()
    assert "Public one" in mine and "Secret one" in mine


# --- Images -------------------------------------------------------------------------------


def test_image_is_served_as_webp_with_headers(client):
    note = NoteFactory()
    image = note.images.get()
    response = client.get(image.display_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"
    data = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(data)).format == "WEBP"
    again = client.get(image.display_url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_image_of_followers_note_is_cached_privately(client, user, other_user):
    note = NoteFactory(author=other_user, visibility="followers")
    FollowFactory(follower=user, followee=other_user)
    client.force_login(user)
    response = client.get(note.images.get().grid_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"


def test_image_unknown_kind_or_mismatched_note_is_404(client):
    note, other = NoteFactory(), NoteFactory()
    image = note.images.get()
    assert client.get(f"/notes/{note.pk}/images/{image.pk}/original.webp").status_code == 404
    assert client.get(f"/notes/{other.pk}/images/{image.pk}/display.webp").status_code == 404


def test_image_not_processed_yet_is_404_even_for_author(alice_client, user):
    note = NoteFactory(author=user, processing=True)
    image = note.images.get()
    assert alice_client.get(image.display_url).status_code == 404


# --- Grids: discover, following, tags, profiles -------------------------------------------


def test_discover_shows_recent_public_notes(client):
    NoteFactory(title="Dumplings")
    NoteFactory(title="Secret", visibility="private")
    NoteFactory(title="Pending", processing=True)
    body = client.get("/").content.decode()
    assert "Dumplings" in body and "Secret" not in body and "Pending" not in body


def test_discover_leaves_out_muted_and_blocked(alice_client, user):
    muted, blocker = UserFactory(), UserFactory()
    MuteFactory(muter=user, muted=muted)
    BlockFactory(blocker=blocker, blocked=user)
    NoteFactory(author=muted, title="Muted voice")
    NoteFactory(author=blocker, title="Blocker voice")
    NoteFactory(title="Friendly voice")
    body = alice_client.get("/").content.decode()
    assert "Friendly voice" in body and "Muted voice" not in body and "Blocker voice" not in body


def test_discover_load_more_pages_with_cursor(client):
    notes = [NoteFactory(title=f"Card {n:02d}") for n in range(30)]
    first = client.get("/")
    body = first.content.decode()
    assert body.count('data-testid="note-card"') == 24
    assert 'data-testid="load-more"' in body
    next_url = body.split('data-testid="load-more"')[0].rsplit('href="', 1)[1].split('"')[0]
    more = client.get(next_url.replace("&amp;", "&"), **HTMX)
    part = more.content.decode()
    assert "<html" not in part
    assert part.count('data-testid="note-card"') == 6
    assert 'hx-swap-oob="true"' in part and 'data-testid="load-more"' not in part
    titles = {n.title for n in notes}
    shown = {t for t in titles if f">{t}<" in body or f">{t}<" in part}
    assert shown == titles


def test_discover_bad_cursor_is_400(client):
    import base64

    def forged(raw: str) -> str:
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    assert client.get("/?cursor=not-a-cursor").status_code == 400
    assert client.get("/?cursor=" + "a" * 10).status_code == 400
    assert client.get("/?cursor=" + forged(f"1.{10**30}")).status_code == 400
    # A score no datetime can hold (before the year 1).
    assert client.get("/?cursor=" + cursor_encode(-(2**62), 1)).status_code == 400
    assert client.get("/?cursor=" + forged("2025-01-01T00:00:00|1")).status_code == 400


def test_discover_cursor_cannot_widen_visibility(client):
    from django.utils import timezone

    NoteFactory(title="Private", visibility="private")
    NoteFactory(title="Public")
    # Discover's cursor holds a position in each of its two streams (feeds.discover).
    position = cursor_encode(datetime_score(timezone.now()), 10**9)
    response = client.get(f"/?cursor={position}.{position}")
    body = response.content.decode()
    assert response.status_code == 200 and "Private" not in body and "Public" in body


@pytest.mark.parametrize("path", ["/", "/tags/travel/", "/@bob/", "board"])
def test_grid_query_count_does_not_grow(
    path, client, user, other_user, django_assert_max_num_queries
):
    client.force_login(user)
    board = BoardFactory(owner=other_user)
    url = f"/boards/{board.pk}/" if path == "board" else path

    def add(n):
        for _ in range(n):
            note = NoteFactory(author=other_user, images=2)
            services.note_like(user=user, note=note)
            BoardNote.objects.create(board=board, note=note)
            tag = note.hashtags.model.objects.get_or_create(name="travel", display_name="Travel")
            note.hashtags.add(tag[0])

    add(5)
    with django_assert_max_num_queries(12) as five:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="note-card"') == 24


def test_following_shows_followed_authors_only(client, user, other_user):
    assert client.get("/following/").status_code == 302
    client.force_login(user)
    FollowFactory(follower=user, followee=other_user)
    NoteFactory(author=other_user, title="From Bob", visibility="followers")
    NoteFactory(title="From a stranger")
    body = client.get("/following/").content.decode()
    assert "From Bob" in body and "From a stranger" not in body


def test_tag_page_normalises_name(client, user, django_capture_on_commit_callbacks):
    (image,) = upload(user)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_create(author=user, media_ids=[image.pk], body="Sunday #CityWalk")
    for path in ("/tags/citywalk/", "/tags/CityWalk/", "/tags/%EF%BC%A3ity%EF%BC%B7alk/"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert '<h1 class="tag-name">CityWalk</h1>' in body
        assert '<span data-testid="tag-count">1 note</span>' in body
        assert body.count('data-testid="note-card"') == 1


def test_tag_page_unknown_tag_is_404(client):
    assert client.get("/tags/nothing-here/").status_code == 404


def test_profile_grid_shows_notes_and_author_sees_processing(alice_client, user):
    NoteFactory(author=user, title="Out there")
    NoteFactory(author=user, title="Still cooking", processing=True)
    theirs = Client().get("/@alice/").content.decode()
    assert "Out there" in theirs and "Still cooking" not in theirs
    assert 'data-testid="profile-notes"' in theirs and "@alice" in theirs
    mine = alice_client.get("/@alice/").content.decode()
    assert "Out there" in mine and "Still cooking" in mine
    assert 'data-testid="card-status"' in mine


def test_profile_of_unknown_person_is_404(client):
    assert client.get("/@nobody_here/").status_code == 404


def test_image_with_s3_storage_redirects_to_the_signed_url(client, settings):
    settings.MEDIA_STORAGE = "s3"
    note = NoteFactory()
    image = note.images.get()
    response = client.get(image.display_url)
    assert response.status_code == 302
    assert response["Location"] == image.display.storage.url(image.display.name)
    assert response["Cache-Control"] == "private, no-store"
    hidden = NoteFactory(visibility="private")
    assert client.get(hidden.images.get().display_url).status_code == 404
