"""Profile tabs: Notes, Collected (boards) and Liked — who sees which, in what order, at what
cost — and the `likes_public` setting (settings page and `PATCH /api/v1/me/`)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notes import services
from notes.models import NoteLike
from tests.factories import BlockFactory, BoardFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def card_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


def like(user, note, *, minutes_ago: int):
    NoteLike.objects.create(
        user=user, note=note, created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


@pytest.fixture
def liked(user):
    """Three notes `user` (alice) liked: the oldest note most recently."""
    notes = [NoteFactory() for _ in range(3)]
    like(user, notes[0], minutes_ago=1)
    like(user, notes[2], minutes_ago=5)
    like(user, notes[1], minutes_ago=9)
    return [notes[0], notes[2], notes[1]]


def test_owner_sees_their_liked_tab_newest_like_first(client, user, liked):
    client.force_login(user)
    response = client.get("/@alice/liked/")
    assert response.status_code == 200
    assert card_ids(response) == [n.pk for n in liked]
    html = response.content.decode()
    assert 'data-testid="section-liked"' in html and "Only you see this tab." in html
    assert 'data-testid="section-liked"' in client.get("/@alice/").content.decode()


def test_others_get_a_404_and_no_tab_unless_likes_are_public(client, user, other_user, liked):
    assert client.get("/@alice/liked/").status_code == 404
    assert 'data-testid="section-liked"' not in client.get("/@alice/").content.decode()
    client.force_login(other_user)
    assert client.get("/@alice/liked/").status_code == 404
    assert APIClient().get("/api/v1/users/alice/liked/").status_code == 404

    user.likes_public = True
    user.save(update_fields=["likes_public"])
    response = client.get("/@alice/liked/")
    assert response.status_code == 200 and card_ids(response) == [n.pk for n in liked]
    html = response.content.decode()
    assert "Only you see this tab." not in html
    assert 'data-testid="section-liked"' in client.get("/@alice/boards/").content.decode()
    api = APIClient().get("/api/v1/users/alice/liked/")
    assert [n["id"] for n in api.json()["results"]] == [n.pk for n in liked]


def test_liked_tab_shows_only_what_the_reader_may_see(client, user, other_user):
    user.likes_public = True
    user.save(update_fields=["likes_public"])
    muted, blocked = UserFactory(), UserFactory()
    MuteFactory(muter=other_user, muted=muted)
    BlockFactory(blocker=other_user, blocked=blocked)
    shown = NoteFactory()
    for note in (
        shown,
        NoteFactory(author=muted),
        NoteFactory(author=blocked),
        NoteFactory(visibility="private"),
        NoteFactory(is_hidden=True),
        NoteFactory(visibility="followers"),
    ):
        like(user, note, minutes_ago=1)
    client.force_login(other_user)
    assert card_ids(client.get("/@alice/liked/")) == [shown.pk]


def test_liked_tab_and_api_page_by_cursor(user):
    notes = [NoteFactory() for _ in range(7)]
    for minutes, note in enumerate(notes):
        like(user, note, minutes_ago=minutes)
    api = APIClient()
    api.force_authenticate(user)
    seen, path = [], "/api/v1/users/alice/liked/?page_size=3"
    while path:
        body = api.get(path).json()
        seen += [n["id"] for n in body["results"]]
        path = body["next"]
    assert seen == [n.pk for n in notes]


def test_liked_tab_query_count_does_not_grow(client, user, django_assert_max_num_queries):
    client.force_login(user)
    for n in range(3):
        like(user, NoteFactory(images=2), minutes_ago=n)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/@alice/liked/").status_code == 200
    for n in range(25):
        like(user, NoteFactory(images=3), minutes_ago=100 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/@alice/liked/")
    assert len(card_ids(response)) == 24


def test_liked_api_query_count_does_not_grow(user, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(user)
    for n in range(2):
        like(user, NoteFactory(images=2), minutes_ago=n)
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/users/alice/liked/")
    for n in range(20):
        like(user, NoteFactory(images=3), minutes_ago=100 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/users/alice/liked/").json()
    assert len(body["results"]) == 20


def test_liked_of_an_unknown_person_is_404(client):
    assert client.get("/@nobody/liked/").status_code == 404
    assert APIClient().get("/api/v1/users/nobody/liked/").status_code == 404


def test_collected_tab_lists_public_boards_only_for_others(client, user, other_user):
    public = BoardFactory(owner=user, name="Trips")
    private = BoardFactory(owner=user, name="Gifts", is_private=True)
    client.force_login(other_user)
    html = client.get("/@alice/boards/").content.decode()
    assert "Trips" in html and "Gifts" not in html
    assert 'data-testid="section-boards">Collected</a>' in html
    client.force_login(user)
    html = client.get("/@alice/boards/").content.decode()
    assert "Trips" in html and "Gifts" in html
    assert public.pk != private.pk


def test_likes_public_setting_on_the_page_and_the_api(client, user):
    client.force_login(user)
    page = client.get("/settings/").content.decode()
    assert 'name="likes_public"' in page
    form = {
        "display_name": "Alice",
        "handle": "alice",
        "bio": "",
        "region": "",
        "ui_language": "",
        "likes_public": "on",
    }
    assert client.post("/settings/", form).status_code == 302
    user.refresh_from_db()
    assert user.likes_public
    form.pop("likes_public")
    client.post("/settings/", form)
    user.refresh_from_db()
    assert not user.likes_public

    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/me/").json()["likes_public"] is False
    response = api.patch("/api/v1/me/", {"likes_public": True}, format="json")
    assert response.status_code == 200 and response.json()["likes_public"] is True
    user.refresh_from_db()
    assert user.likes_public
    bad = api.patch("/api/v1/me/", {"likes_public": "perhaps"}, format="json")
    assert bad.status_code == 400 and "likes_public" in bad.json()["errors"]


def test_liking_through_the_service_shows_on_the_tab(client, user, other_user):
    note = NoteFactory(author=other_user)
    services.note_like(user=user, note=note)
    client.force_login(user)
    assert card_ids(client.get("/@alice/liked/")) == [note.pk]
    services.note_unlike(user=user, note=note)
    assert card_ids(client.get("/@alice/liked/")) == []
