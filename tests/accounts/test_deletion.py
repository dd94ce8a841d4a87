"""Account deletion: after re-authentication the account closes at once (no sign-in, every
session and token dead, profile 404) and its content goes from every page, feed and storage;
without the password nothing happens."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import DataExport, Follow, User
from accounts.services import auth_token_obtain
from feeds.home import home_feed_page
from notes import services as notes_services
from notes.models import Comment, Note, NoteImage
from tests.factories import PASSWORD, FollowFactory, NoteFactory, NoteImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _log_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.handle, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]


def _reauthenticate(client, password=PASSWORD):
    return client.post(reverse("account_reauthenticate"), {"password": password})


@pytest.fixture
def world(user, redis_feeds, django_capture_on_commit_callbacks):
    """Alice's public note (tagged, two photos) in her follower Bob's Redis timeline, her
    comment on Bob's note with Bob's reply under it, her like and collect of Bob's note, an
    upload she never posted and an export archive."""
    bob = UserFactory(handle="bob", last_active_at=timezone.now())
    FollowFactory(follower=bob, followee=user)
    home_feed_page(viewer=bob, cursor=None, size=20)  # Bob's timeline exists in Redis
    with django_capture_on_commit_callbacks(execute=True):
        note = NoteFactory(author=user, visibility="private", images=2)
        notes_services.note_update(
            note=note, visibility="public", body="Sunset by the river #riverwalk"
        )
        bobs = NoteFactory(author=bob, title="Bob's")
        comment = notes_services.comment_create(author=user, note=bobs, body="Lovely light")
        notes_services.comment_create(author=bob, note=bobs, body="Thanks!", parent=comment)
        notes_services.note_like(user=user, note=bobs)
        notes_services.note_collect(user=user, note=bobs)
    assert redis_feeds.timeline_members(bob.pk) == [note.pk]
    upload = NoteImageFactory(owner=user, pending=True)
    export = DataExport.objects.create(user=user, status="ready")
    export.archive.save("old.zip", ContentFile(b"PK"), save=True)
    files = [
        (storage, name)
        for image in [*note.images.all(), upload]
        for storage, name in (
            (image.original.storage, image.original.name),
            (image.display.storage, image.display.name),
            (image.grid.storage, image.grid.name),
        )
        if name
    ] + [(export.archive.storage, export.archive.name)]
    assert all(storage.exists(name) for storage, name in files)
    bobs.refresh_from_db()
    assert (bobs.like_count, bobs.collect_count, bobs.comment_count) == (1, 1, 2)
    return {"bob": bob, "note": note, "bobs": bobs, "files": files}


def test_deletion_leaves_nothing_reachable(
    client, user, world, redis_feeds, django_capture_on_commit_callbacks, captured_events
):
    bob, note, bobs = world["bob"], world["note"], world["bobs"]
    elsewhere = type(client)()
    _log_in(elsewhere, user)
    _log_in(client, user)
    key = auth_token_obtain(user=user).key
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_client.get("/api/v1/me/").status_code == 200

    # The page asks for the password first (allauth's reauthentication), then to confirm.
    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 302 and reverse("account_reauthenticate") in page["Location"]
    back = client.post(page["Location"], {"password": PASSWORD})
    assert back.status_code == 302 and back["Location"] == reverse("accounts:delete")
    assert client.get(reverse("accounts:delete")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302

    assert captured_events.of("user_deleted") == [{"user_id": user.pk}]
    assert not User.objects.filter(pk=user.pk).exists()
    # Signed out here and everywhere; the password and the token no longer work.
    assert client.get(reverse("accounts:settings")).status_code == 302
    assert elsewhere.get(reverse("accounts:settings")).status_code == 302
    assert token_client.get("/api/v1/me/").status_code == 401
    login = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    assert (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
        .status_code
        == 400
    )
    # Profile, note and API: gone.
    assert client.get("/@alice/").status_code == 404
    assert client.get(note.get_absolute_url()).status_code == 404
    api = APIClient()
    assert api.get("/api/v1/users/alice/").status_code == 404
    assert api.get(f"/api/v1/notes/{note.pk}/").status_code == 404
    # Out of every feed: discover, the tag, search and Bob's home timeline in Redis.
    discover = api.get("/api/v1/feeds/discover/").json()["results"]
    assert note.pk not in [n["id"] for n in discover]
    tag = api.get("/api/v1/tags/riverwalk/notes/")
    assert tag.status_code == 404 or tag.json()["results"] == []
    assert api.get("/api/v1/search/", {"q": "Sunset"}).json()["results"] == []
    assert note.pk not in redis_feeds.timeline_members(bob.pk)
    assert [n.pk for n in home_feed_page(viewer=bob, cursor=None, size=20).items] == []
    # Her comment (and Bob's reply under it), her like and collect: gone, counters right.
    assert not Note.objects.filter(author_id=user.pk).exists()
    assert not Comment.objects.filter(note=bobs).exists()
    bobs.refresh_from_db()
    assert (bobs.like_count, bobs.collect_count, bobs.comment_count) == (0, 0, 0)
    assert client.get(bobs.get_absolute_url()).status_code == 200
    # Photos (originals and renditions), the unposted upload and the archive: off storage.
    assert not NoteImage.objects.filter(owner_id=user.pk).exists()
    assert not any(storage.exists(name) for storage, name in world["files"])
    assert not Follow.objects.filter(followee_id=user.pk).exists()


def test_deletion_account_is_closed_at_once_before_the_erasing_task(client, user, world):
    """Without the task (no after-commit callbacks run), the account is already closed."""
    client.force_login(user)
    assert _reauthenticate(client).status_code == 302
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert client.get("/@alice/").status_code == 404
    assert client.get(world["note"].get_absolute_url()).status_code == 404
    discover = APIClient().get("/api/v1/feeds/discover/").json()["results"]
    assert world["note"].pk not in [n["id"] for n in discover]


def test_deletion_page_without_reauthentication_does_nothing(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    user.refresh_from_db()
    assert user.is_active


def test_deletion_page_wrong_password_does_nothing(client, user):
    client.force_login(user)
    client.get(reverse("accounts:delete"))
    response = _reauthenticate(client, password="not-my-password")
    assert response.status_code == 200  # the form again, with its error
    assert client.get(reverse("accounts:delete")).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_deletion_page_needs_the_confirmation(client, user):
    client.force_login(user)
    _reauthenticate(client)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active


def test_deletion_page_needs_sign_in(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": "wrong-password"}])
def test_deletion_api_bad_or_missing_password_does_nothing(user, body):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_obtain(user=user).key}")
    response = api.delete("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    user.refresh_from_db()
    assert user.is_active
    assert api.get("/api/v1/me/").status_code == 200


def test_deletion_api_with_password(user, django_capture_on_commit_callbacks):
    note = NoteFactory(author=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_obtain(user=user).key}")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete("/api/v1/me/", {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    assert not User.objects.filter(pk=user.pk).exists()
    assert APIClient().get(f"/api/v1/notes/{note.pk}/").status_code == 404


def test_deletion_api_password_guesses_are_limited(user, settings):
    api = APIClient()
    api.force_authenticate(user=user)
    codes = [
        api.delete("/api/v1/me/", {"password": f"guess-{n}"}, format="json").status_code
        for n in range(12)
    ]
    assert codes[0] == 400 and codes[-1] == 429
    user.refresh_from_db()
    assert user.is_active


def test_deletion_erase_task_is_idempotent(user, django_capture_on_commit_callbacks):
    from accounts.services.deletion import account_delete
    from accounts.tasks import account_erase_task

    note = NoteFactory(author=user, images=1)
    image = note.images.get()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)  # the erasing task runs after commit
        account_erase_task(user_id=user.pk)  # again (a redelivery): nothing left to do
    assert not User.objects.filter(pk=user.pk).exists()
    assert not image.original.storage.exists(image.original.name)


def test_deletion_visitors_cached_pages_go_at_once(client, user, settings):
    """A visitor's profile and note pages are served from the page cache; a closed account's
    are 404 on the next read, not after the cache's time."""
    settings.VISITOR_PAGE_CACHE_SECONDS = 300
    note = NoteFactory(author=user)
    visitor = type(client)()
    for url in ("/@alice/", note.get_absolute_url()):
        assert visitor.get(url).status_code == 200
        assert visitor.get(url).status_code == 200  # from the cache now

    from accounts.services.deletion import account_delete

    account_delete(user=user)

    assert visitor.get("/@alice/").status_code == 404
    assert visitor.get(note.get_absolute_url()).status_code == 404
