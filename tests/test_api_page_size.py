"""`?page_size=` follows one rule on every list of the API (`rednote.page_size`, DRF's): 1 to
the maximum is taken, more gives the maximum, and zero, a negative number or anything not a
whole number gives the default — never a 400. The rule and its OpenAPI help are written once;
here the default and maximum are made small (2 and 3) so four rows show every case on every
list."""

from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from feeds import ranking
from notes.models import BoardNote, Hashtag, NoteLike
from rednote import page_size
from rednote.page_size import PAGE_SIZE_DESCRIPTION, PageSizeField, api_page_size
from rednote.pagination import CursorPagination
from tests.factories import BoardFactory, FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = 4
DEFAULT, MAXIMUM = 2, 3


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CursorPagination, "page_size", DEFAULT)
    monkeypatch.setattr(CursorPagination, "max_page_size", MAXIMUM)
    monkeypatch.setattr(page_size, "API_PAGE_SIZE", DEFAULT)  # search's PageSizeField
    monkeypatch.setattr(page_size, "API_MAX_PAGE_SIZE", MAXIMUM)


@pytest.fixture
def lists(user, other_user):
    """Every paged list of the API with ROWS rows for `user` (alice): {name: path}."""
    tag = Hashtag.objects.create(name="tea", display_name="tea")
    board = BoardFactory(owner=user)
    notes = [NoteFactory(author=other_user) for _ in range(ROWS)]
    FollowFactory(follower=user, followee=other_user)
    for note in notes:
        note.hashtags.add(tag)
        NoteLike.objects.create(user=user, note=note)
        BoardNote.objects.create(board=board, note=note)
        NoteFactory(author=user)
    for _ in range(ROWS - 1):  # with `board`, ROWS boards
        BoardFactory(owner=user)
    for n in range(ROWS - 1):  # with `other_user`, ROWS people each way
        person = UserFactory(handle=f"bench{n}")
        FollowFactory(follower=person, followee=user)
        FollowFactory(follower=user, followee=person)
    FollowFactory(follower=other_user, followee=user)
    UserFactory(handle="bench9")  # with the three above, ROWS people found by "bench"
    ranking.discover_ranks_recompute(since=None)
    return {
        "notes": reverse("api:notes"),
        "user-notes": reverse("api:user-notes", args=["alice"]),
        "user-liked": reverse("api:user-liked", args=["alice"]),
        "user-boards": reverse("api:user-boards", args=["alice"]),
        "boards": reverse("api:boards"),
        "board-notes": reverse("api:board-notes", args=[board.pk]),
        "user-followers": reverse("api:user-followers", args=["alice"]),
        "user-following": reverse("api:user-following", args=["alice"]),
        "tag-notes": reverse("api:tag-notes", args=["tea"]),
        "feeds-home": reverse("api:feeds-home"),
        "feeds-discover": reverse("api:feeds-discover"),
        "search": reverse("api:search") + "?type=users&q=bench",
    }


@pytest.mark.parametrize(
    "asked, expected",
    [(None, DEFAULT), ("1", 1), ("3", 3), ("1000", MAXIMUM), ("0", DEFAULT), ("-3", DEFAULT),
     ("many", DEFAULT), ("2.5", DEFAULT), ("", DEFAULT)],
)  # fmt: skip
def test_every_list_reads_page_size_by_one_rule(
    small_pages, lists, auth_api_client, asked, expected
):
    for name, url in lists.items():
        path, _, query = url.partition("?")
        params = dict(parse_qsl(query)) | ({} if asked is None else {"page_size": asked})
        response = auth_api_client.get(path, params)
        assert response.status_code == 200, (name, response.content)
        assert len(response.json()["results"]) == expected, name


def test_the_rule_alone():
    assert api_page_size(None) == 20 and api_page_size("7") == 7
    assert api_page_size("100") == 100 and api_page_size("101") == 100
    assert api_page_size("0") == api_page_size("x") == api_page_size("-1") == 20
    assert api_page_size("5", default=3, maximum=4) == 4


@pytest.mark.parametrize("asked, expected", [(None, 20), ("7", 7), ("1000", 100), ("x", 20)])
def test_page_size_field_reads_by_the_rule(asked, expected):
    from rest_framework import serializers

    class Query(serializers.Serializer):
        page_size = PageSizeField()

    query = Query(data={} if asked is None else {"page_size": asked})
    assert query.is_valid(), query.errors
    assert query.validated_data["page_size"] == expected


def test_every_list_documents_the_rule(auth_api_client):
    """Every list names the rule in its OpenAPI `page_size` help."""
    schema = auth_api_client.get(reverse("api-schema"), {"format": "json"}).json()
    described = {
        path: parameter["description"]
        for path, operations in schema["paths"].items()
        for parameter in operations.get("get", {}).get("parameters", [])
        if parameter["name"] == "page_size"
    }
    assert {"/api/v1/notes/", "/api/v1/feeds/home/", "/api/v1/search/"} <= set(described)
    assert set(described.values()) == {str(PAGE_SIZE_DESCRIPTION)}
