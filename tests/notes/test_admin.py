"""The notes admin: lists with covers, filters and search; moderation through the registry."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from notes import services
from notes.models import Board, Hashtag, Note, NoteImage, NoteStatus
from tests.factories import BoardFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notes_note_changelist"


@pytest.fixture
def admin_client(client, db):
    staff = User.objects.create_superuser("root_admin", "root@example.com", "admin-pass-123")
    client.force_login(staff)
    return client


def _withdrawn(captured_events) -> list[int]:
    """Ids of the notes `note_withdrawn` was sent for (the shared capture)."""
    return [e["note_id"] for e in captured_events.of("note_withdrawn")]


def staff_client(*codenames: str):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="notes", codename__in=codenames)
    )
    client = APIClient()
    client.force_login(staff)
    return client


def results(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# --- Note changelist -------------------------------------------------------------------------


def test_note_changelist_shows_cover_thumbnails_and_counters(admin_client):
    note = NoteFactory(title="Suzhou gardens", images=2, like_count=7)
    response = admin_client.get(reverse(CHANGELIST))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Suzhou gardens" in body
    cover_url = reverse(
        "admin:notes_note_image",
        kwargs={"note_id": note.pk, "image_id": note.cover.pk, "kind": "grid"},
    )
    assert f'src="{cover_url}"' in body
    assert f"@{note.author.handle}" in body


def test_note_changelist_escapes_user_text(admin_client):
    note = NoteFactory(title='<script>alert("t")</script>')
    NoteImage.objects.filter(note=note).update(alt_text='" onerror="alert(1)')
    body = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "<script>alert" not in body
    assert 'onerror="alert(1)' not in body
    assert "&lt;script&gt;" in body


def test_note_changelist_processing_note_has_no_thumbnail(admin_client):
    NoteFactory(processing=True)
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "/images/" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("gardens", "garden"), ("园林", "garden"), ("MEI_LIN", "garden"), ("noodles", "noodle")],
)
def test_note_changelist_search_title_body_author(admin_client, query, expected):
    notes = {
        "garden": NoteFactory(
            title="Suzhou gardens", body="去了#苏州园林", author=UserFactory(handle="mei_lin")
        ),
        "noodle": NoteFactory(title="Lunch", body="hand-pulled noodles"),
    }
    response = admin_client.get(reverse(CHANGELIST), {"q": query})
    assert results(response) == [notes[expected]]


def test_note_changelist_filters(admin_client):
    public = NoteFactory(language="en")
    private = NoteFactory(visibility="private", language="zh-Hans")
    processing = NoteFactory(processing=True)
    hidden = NoteFactory(is_hidden=True)
    url = reverse(CHANGELIST)
    assert results(admin_client.get(url, {"visibility__exact": "private"})) == [private]
    assert results(admin_client.get(url, {"status__exact": "processing"})) == [processing]
    assert results(admin_client.get(url, {"is_hidden__exact": "1"})) == [hidden]
    assert results(admin_client.get(url, {"language": "zh-Hans"})) == [private]
    assert results(admin_client.get(url, {"published_at__isnull": "True"})) == [processing]
    assert public in results(admin_client.get(url, {"published_at__isnull": "False"}))


def test_note_change_page_is_read_only_with_photo_previews(admin_client):
    note = NoteFactory(images=2)
    services.note_update(note=note, body="#Tea with @mei", title=note.title)
    response = admin_client.get(reverse("admin:notes_note_change", args=[note.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="title"' not in body  # no editable fields
    assert "#Tea" in body
    for image in note.images.all():
        assert f"/images/{image.pk}/grid.webp" in body
        assert f"/images/{image.pk}/display.webp" in body
    assert "JPEG · 96×128" in body


def test_note_admin_cannot_add_or_edit(admin_client):
    note = NoteFactory(title="As written")
    assert admin_client.get(reverse("admin:notes_note_add")).status_code == 403
    admin_client.post(reverse("admin:notes_note_change", args=[note.pk]), {"title": "Edited"})
    note.refresh_from_db()
    assert note.title == "As written"


# --- Moderation actions ----------------------------------------------------------------------


def test_note_hide_action_goes_through_services(
    admin_client, captured_events, django_capture_on_commit_callbacks
):
    note, other = NoteFactory(), NoteFactory()
    api = APIClient()
    assert api.get(reverse("api:note-detail", kwargs={"note_id": note.pk})).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "hide_notes", "_selected_action": [note.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "1 note hidden." in response.content.decode()
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.is_hidden and not other.is_hidden
    assert _withdrawn(captured_events) == [note.pk]  # the event feeds listen to
    assert api.get(reverse("api:note-detail", kwargs={"note_id": note.pk})).status_code == 404
    listed = api.get(reverse("api:notes")).json()["results"]
    assert [n["id"] for n in listed] == [other.pk]
    assert LogEntry.objects.filter(object_id=str(note.pk), action_flag=CHANGE).exists()


def test_note_hide_action_skips_already_hidden(admin_client, captured_events):
    note = NoteFactory(is_hidden=True)
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "hide_notes", "_selected_action": [note.pk]}, follow=True
    )
    assert "0 notes hidden." in response.content.decode()
    assert _withdrawn(captured_events) == []


def test_note_unhide_action_brings_it_back(
    admin_client, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(is_hidden=True)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse(CHANGELIST), {"action": "unhide_notes", "_selected_action": [note.pk]}
        )
    note.refresh_from_db()
    assert not note.is_hidden
    assert [e["note_id"] for e in captured_events.of("note_published")] == [note.pk]
    response = APIClient().get(reverse("api:note-detail", kwargs={"note_id": note.pk}))
    assert response.status_code == 200


def test_note_moderation_actions_need_change_permission():
    NoteFactory()

    def actions(client) -> set[str]:
        form = client.get(reverse(CHANGELIST)).context["action_form"]
        return {name for name, _label in form.fields["action"].choices} if form else set()

    assert not {"hide_notes", "unhide_notes"} & actions(staff_client("view_note"))
    assert {"hide_notes", "unhide_notes"} <= actions(staff_client("view_note", "change_note"))


def test_note_delete_in_admin_runs_the_service(
    admin_client, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(images=2)
    note_id = note.pk
    files = [(i.display.storage, i.display.name) for i in note.images.all()]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "delete_selected", "_selected_action": [note_id], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Note.objects.exists()
    assert not any(storage.exists(name) for storage, name in files)
    assert _withdrawn(captured_events) == [note_id]


# --- Staff photo view ---------------------------------------------------------------------


def _image_url(note: Note, kind: str = "grid") -> str:
    return reverse(
        "admin:notes_note_image",
        kwargs={"note_id": note.pk, "image_id": note.cover.pk, "kind": kind},
    )


@pytest.mark.parametrize("state", [{"visibility": "private"}, {"is_hidden": True}])
def test_note_admin_image_view_serves_any_note_to_staff(admin_client, state):
    note = NoteFactory(**state)
    for kind in ("grid", "display"):
        response = admin_client.get(_image_url(note, kind))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
        assert b"".join(response.streaming_content).startswith(b"RIFF")
    # The public rendition view still refuses it.
    assert APIClient().get(note.cover.grid_url).status_code == 404


def test_note_admin_image_view_never_serves_originals(admin_client):
    note = NoteFactory()
    assert admin_client.get(_image_url(note, "original")).status_code == 404
    unprocessed = NoteFactory(processing=True)
    assert admin_client.get(_image_url(unprocessed)).status_code == 404


def test_note_admin_image_view_is_for_staff_only(client, user):
    note = NoteFactory(visibility="private")
    assert client.get(_image_url(note)).status_code == 302  # to the admin login
    client.force_login(user)
    assert client.get(_image_url(note)).status_code == 302
    assert staff_client().get(_image_url(note)).status_code == 403
    assert staff_client("view_note").get(_image_url(note)).status_code == 200


# --- Hashtags and boards ------------------------------------------------------------------


def test_hashtag_admin_search(admin_client):
    NoteFactory()
    Hashtag.objects.create(name="tiktokrefugee", display_name="TikTokRefugee")
    Hashtag.objects.create(name="小红书", display_name="小红书")
    url = reverse("admin:notes_hashtag_changelist")
    assert [t.name for t in results(admin_client.get(url, {"q": "TikTok"}))] == ["tiktokrefugee"]
    assert [t.name for t in results(admin_client.get(url, {"q": "红书"}))] == ["小红书"]


def test_board_admin_lists_and_searches(admin_client):
    trips = BoardFactory(name="Trips", owner=UserFactory(handle="mei"))
    BoardFactory(name="Food")
    services.note_collect(user=trips.owner, note=NoteFactory(), board=trips)
    url = reverse("admin:notes_board_changelist")
    assert results(admin_client.get(url, {"q": "mei"})) == [trips]
    assert results(admin_client.get(url, {"q": "trip"}))[0].note_total == 1
    change = admin_client.get(reverse("admin:notes_board_change", args=[trips.pk]))
    assert change.status_code == 200


def test_board_delete_in_admin_keeps_collect_counts_right(admin_client):
    owner = UserFactory()
    board = services.board_create(owner=owner, name="Trips")
    note = NoteFactory()
    services.note_collect(user=owner, note=note, board=board)
    saved = Board.objects.get(owner=owner, is_default=True)
    changelist = reverse("admin:notes_board_changelist")

    # "Saved" cannot be deleted, alone or with others.
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [board.pk, saved.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:notes_board_delete", args=[saved.pk])).status_code == 403
    assert Board.objects.filter(owner=owner).count() == 2

    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [board.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert list(Board.objects.filter(owner=owner)) == [saved]
    note.refresh_from_db()
    assert note.collect_count == 0


def test_note_status_filter_choices_are_complete(admin_client):
    response = admin_client.get(reverse(CHANGELIST))
    body = response.content.decode()
    for status in NoteStatus.values:
        assert f"status__exact={status}" in body
