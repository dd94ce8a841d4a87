"""One rule in one place: each list gives the same notes in the page and the API, and pages
continue across equal scores with the one cursor codec (`rednote.cursors`)."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from notes import services
from rednote.cursors import InvalidCursor, cursor_decode, cursor_encode, datetime_score
from tests.factories import (
    BlockFactory,
    BoardFactory,
    FollowFactory,
    MuteFactory,
    NoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _page_ids(client, path: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


def _api_ids(client, path: str, page_size: int = 100) -> list[int]:
    response = client.get(path, {"page_size": page_size})
    assert response.status_code == 200, response.content
    return [n["id"] for n in response.json()["results"]]


@pytest.fixture
def world(user, other_user):
    """A viewer (`user`) and notes of every kind a list must sort out."""
    muted, blocker, blocked, stranger = (UserFactory() for _ in range(4))
    MuteFactory(muter=user, muted=muted)
    BlockFactory(blocker=blocker, blocked=user)
    BlockFactory(blocker=user, blocked=blocked)
    FollowFactory(follower=user, followee=other_user)
    notes = [
        NoteFactory(author=other_user),
        NoteFactory(author=other_user, visibility="followers"),
        NoteFactory(author=stranger, visibility="followers"),
        NoteFactory(author=other_user, visibility="private"),
        NoteFactory(author=other_user, is_hidden=True),
        NoteFactory(author=other_user, processing=True),
        NoteFactory(author=muted),
        NoteFactory(author=blocker),
        NoteFactory(author=blocked),
        NoteFactory(author=stranger),
        NoteFactory(author=user),
        NoteFactory(author=stranger, language="zh-Hans"),  # the other side, for a reader of en
    ]
    board = BoardFactory(owner=stranger)
    for note in notes:
        services.note_collect(user=stranger, note=note, board=board)
    return {"board": board, "notes": notes}


def _clients(user):
    web, api = Client(), APIClient()
    web.force_login(user)
    api.force_authenticate(user)
    return web, api


def test_discover_page_and_discover_api_agree(world, user):
    web, api = _clients(user)
    # The same page size gives the same notes in the same order (ranked, a share of each page
    # from the other side); the notes API lists the same notes, most recent first.
    page = _page_ids(web, "/")
    assert page == _api_ids(api, "/api/v1/feeds/discover/", page_size=24)
    listed = _api_ids(api, "/api/v1/notes/")
    assert sorted(page) == sorted(listed)
    assert world["notes"][11].pk in page
    notes = world["notes"]
    assert notes[6].pk not in listed  # muted
    assert {notes[7].pk, notes[8].pk}.isdisjoint(listed)  # blocked either way
    assert notes[0].pk in listed and notes[1].pk in listed and notes[2].pk not in listed


def test_profile_and_user_notes_api_agree(world, user, other_user):
    web, api = _clients(user)
    handle = other_user.handle
    assert _page_ids(web, f"/@{handle}/") == _api_ids(api, f"/api/v1/users/{handle}/notes/")


def test_board_page_and_board_notes_api_agree(world, user):
    web, api = _clients(user)
    board = world["board"]
    page = _page_ids(web, f"/boards/{board.pk}/")
    assert page == _api_ids(api, f"/api/v1/boards/{board.pk}/notes/")
    assert world["notes"][7].pk not in page and world["notes"][3].pk not in page


def test_following_page_and_home_feed_api_agree(world, user, other_user):
    web, api = _clients(user)
    shown = _page_ids(web, "/following/")
    assert shown == _api_ids(api, "/api/v1/feeds/home/")
    assert set(shown) == {world["notes"][0].pk, world["notes"][1].pk}


def test_cursor_round_trip_and_tampering():
    token = cursor_encode(datetime_score(timezone.now()), 42)
    position = cursor_decode(token)
    assert cursor_encode(position.score, position.id) == token
    assert cursor_decode(cursor_encode(-5, 1, backwards=True)).backwards
    for bad in ["", "x", token + "A", token[:-1] + "!", "MS4w", "MS4tMQ"]:
        with pytest.raises(InvalidCursor):
            cursor_decode(bad)


def test_api_tampered_cursor_is_400_json(user):
    _web, api = _clients(user)
    response = api.get("/api/v1/notes/", {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_pages_continue_across_equal_scores(user):
    moment = timezone.now()
    notes = [NoteFactory() for _ in range(7)]
    type(notes[0]).objects.filter(pk__in=[n.pk for n in notes]).update(published_at=moment)
    web, api = _clients(user)
    seen, path = [], "/api/v1/notes/?page_size=3"
    while path:
        body = api.get(path).json()
        seen += [n["id"] for n in body["results"]]
        path = body["next"]
    assert seen == sorted((n.pk for n in notes), reverse=True)
    # The page's "load more" walks the same order with the same cursors.
    from notes.selectors import notes_recent_public
    from rednote.pagination import cursor_page

    first = cursor_page(notes_recent_public(viewer=user), cursor=None, key="published_at", size=4)
    rest = cursor_page(
        notes_recent_public(viewer=user), cursor=first.next_cursor, key="published_at", size=4
    )
    assert [n.pk for n in first.items + rest.items] == seen and rest.next_cursor is None


def test_tag_page_and_tag_notes_api_agree(world, user):
    from notes.models import Hashtag

    tag = Hashtag.objects.create(name="agree", display_name="Agree")
    for n, note in enumerate(world["notes"]):
        note.hashtags.add(tag)
        type(note).objects.filter(pk=note.pk).update(like_count=n % 3, collect_count=n % 2)
    web, api = _clients(user)
    pages = {}
    for tab in ("latest", "top"):
        pages[tab] = _page_ids(web, f"/tags/agree/?tab={tab}")
        response = api.get("/api/v1/tags/agree/notes/", {"tab": tab, "page_size": 100})
        assert pages[tab] == [n["id"] for n in response.json()["results"]], tab
    # The same notes as every list of recent notes: visibility, blocks and mutes applied once;
    # Top ranks the public ones.
    assert sorted(pages["latest"]) == sorted(_api_ids(api, "/api/v1/notes/"))
    public = {n.pk for n in world["notes"] if n.visibility == "public"}
    assert set(pages["top"]) == set(pages["latest"]) & public


def test_liked_tab_and_liked_api_agree(world, user, other_user):
    from notes.models import NoteLike

    for note in world["notes"]:
        NoteLike.objects.create(user=other_user, note=note)
    other_user.likes_public = True
    other_user.save(update_fields=["likes_public"])
    web, api = _clients(user)
    handle = other_user.handle
    page = _page_ids(web, f"/@{handle}/liked/")
    assert page == _api_ids(api, f"/api/v1/users/{handle}/liked/")
    assert sorted(page) == sorted(_api_ids(api, "/api/v1/notes/"))
