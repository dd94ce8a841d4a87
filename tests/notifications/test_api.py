"""`GET /api/v1/notifications/` and `POST /api/v1/notifications/read/`: the same entries and
rules as the page, cursor pages, errors in the API's shape, and the schema."""

import pytest
import yaml
from django.db import reset_queries

from accounts import services as accounts_services
from notes import services as notes_services
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"


@pytest.fixture
def mei(db):
    return UserFactory(handle="mei", display_name="Mei")


@pytest.fixture
def api(api_client, mei):
    api_client.force_authenticate(user=mei)
    return api_client


def test_list_needs_signing_in(api_client):
    assert api_client.get(LIST).status_code == 401
    response = api_client.post(READ, {}, format="json")
    assert response.status_code == 401 and set(response.json()) == {"detail", "errors"}


def test_list_groups_likes_and_counts_unread(api, run_events, mei):
    note = NoteFactory(author=mei, title="Dumplings")
    fans = [UserFactory() for _ in range(13)]
    for fan in fans:
        run_events(notes_services.note_like, user=fan, note=note)
    run_events(accounts_services.follow_create, follower=fans[0], followee=mei)

    body = api.get(LIST).json()
    assert body["unread"] == {"total": 2, "likes": 1, "follows": 1, "comments": 0, "notices": 0}
    follow, like = body["results"]
    assert (like["kind"], like["tab"], like["actor_count"], like["is_read"]) == (
        "like",
        "likes",
        13,
        False,
    )
    assert [a["handle"] for a in like["actors"]] == [f.handle for f in fans[-1:-4:-1]]
    assert like["note"]["id"] == note.pk and like["note"]["title"] == "Dumplings"
    assert like["note"]["cover_url"].startswith("http://testserver/")
    assert follow["kind"] == "follow" and follow["note"] is None and follow["comment"] is None

    only = api.get(LIST, {"tab": "follows"}).json()["results"]
    assert [e["kind"] for e in only] == ["follow"]


def test_list_errors(api):
    response = api.get(LIST, {"tab": "nope"})
    assert response.status_code == 400 and "tab" in response.json()["errors"]
    response = api.get(LIST, {"cursor": "nope"})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_list_pages_by_cursor_with_constant_queries(
    api, run_events, mei, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            run_events(notes_services.note_like, user=UserFactory(), note=NoteFactory(author=mei))

    fill(3)
    api.get(LIST)
    reset_queries()
    with django_assert_max_num_queries(10) as small:
        api.get(LIST, {"page_size": 3})
    budget = len(small)
    fill(30)
    api.get(LIST)
    reset_queries()
    with django_assert_max_num_queries(budget):
        first = api.get(LIST, {"page_size": 30}).json()
    assert len(first["results"]) == 30 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 3 and second["next"] is None
    ids = [e["id"] for e in first["results"] + second["results"]]
    assert len(set(ids)) == 33


def test_read_all_a_tab_or_ids(api, run_events, mei):
    ann = UserFactory()
    run_events(notes_services.note_like, user=ann, note=NoteFactory(author=mei))
    run_events(notes_services.note_collect, user=ann, note=NoteFactory(author=mei))
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    like_id = next(e["id"] for e in api.get(LIST).json()["results"] if e["kind"] == "like")

    response = api.post(READ, {"ids": [like_id]}, format="json")
    assert response.json() == {
        "marked": 1,
        "unread": {"total": 2, "likes": 1, "follows": 1, "comments": 0, "notices": 0},
    }
    assert api.post(READ, {"tab": "follows"}, format="json").json()["marked"] == 1
    assert api.post(READ, {}, format="json").json() == {
        "marked": 1,
        "unread": {"total": 0, "likes": 0, "follows": 0, "comments": 0, "notices": 0},
    }
    assert all(e["is_read"] for e in api.get(LIST).json()["results"])


def test_read_refuses_bad_input_and_ignores_others_ids(api, run_events, mei):
    ann = UserFactory()
    run_events(notes_services.note_like, user=mei, note=NoteFactory(author=ann))
    for body, field in (
        ({"tab": "nope"}, "tab"),
        ({"ids": "x"}, "ids"),
        ({"ids": []}, "ids"),
        ({"tab": "likes", "ids": [1]}, "ids"),
    ):
        response = api.post(READ, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"], body
    from notifications.models import Notification

    theirs = Notification.objects.get(recipient=ann)
    assert api.post(READ, {"ids": [theirs.pk]}, format="json").json()["marked"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_with_a_session_needs_csrf(mei):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(mei)
    assert client.post(READ, {}, format="json").status_code == 403


def test_schema_documents_both_operations(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    listing = schema["paths"]["/api/v1/notifications/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"tab", "cursor", "page_size"}
    assert {"200", "400", "401"} <= set(listing["responses"])
    read = schema["paths"]["/api/v1/notifications/read/"]["post"]
    assert {"200", "400", "401"} <= set(read["responses"])


def test_page_and_api_list_the_same_entries(api, run_events, mei):
    import re

    from django.test import Client

    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        run_events(notes_services.note_like, user=fan, note=NoteFactory(author=mei))
        run_events(accounts_services.follow_create, follower=fan, followee=mei)
    accounts_services.mute_create(muter=mei, muted=fans[0])  # filtered on read, task or not
    page = Client()
    page.force_login(mei)
    for tab in ("likes", "follows", "comments"):
        html = page.get("/notifications/", {"tab": tab}).content.decode()
        shown = [int(i) for i in re.findall(r'data-entry="(\d+)"', html)]
        listed = [e["id"] for e in api.get(LIST, {"tab": tab}).json()["results"]]
        assert shown == listed, tab
        assert len(listed) == (0 if tab == "comments" else 2)
