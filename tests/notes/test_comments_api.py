"""Comments API: the thread, posting and replying, replies pages, deleting, liking; errors by
field, 404s for what the viewer may not see, the rate limit and query budgets."""

import pytest
from django.urls import reverse

from notes import services
from notes.models import Comment, Note, Visibility
from tests.factories import BlockFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(other_user):
    return NoteFactory(author=other_user, title="Xi'an noodles")


def _comments_url(note_id):
    return reverse("api:note-comments", kwargs={"note_id": note_id})


def _url(name, comment):
    return reverse(f"api:{name}", kwargs={"comment_id": comment.pk})


def test_post_comment_and_reply(auth_api_client, note, user, other_user):
    response = auth_api_client.post(_comments_url(note.pk), {"body": "Looks <b>great</b>"})
    assert response.status_code == 201
    top = response.json()
    assert top["body"] == "Looks <b>great</b>"
    assert top["author"]["handle"] == "alice"
    assert top["parent_id"] is None and top["reply_to"] is None
    assert top["note_id"] == note.pk
    assert top["can_delete"] is True and top["liked"] is False and top["collapsed"] is False
    assert set(top) >= {"id", "language", "created_at", "like_count", "reply_count"}
    reply = services.comment_create(author=other_user, note=note, body="thanks", parent=None)
    response = auth_api_client.post(
        _comments_url(note.pk), {"body": "welcome", "parent_id": reply.pk}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["parent_id"] == reply.pk
    assert data["reply_to"] == {"handle": "bob", "display_name": "Bob"}


def test_reply_to_a_reply_is_filed_under_the_top_level_comment(auth_api_client, note, other_user):
    top = services.comment_create(author=other_user, note=note, body="top")
    carol = UserFactory(handle="carol")
    reply = services.comment_create(author=carol, note=note, body="r", parent=top)
    response = auth_api_client.post(
        _comments_url(note.pk), {"body": "@carol hi", "parent_id": reply.pk}, format="json"
    )
    assert response.json()["parent_id"] == top.pk
    assert response.json()["reply_to"]["handle"] == "carol"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 501}, "body"),
        ({"body": "nul\x00"}, "body"),
        ({}, "body"),
        ({"body": "hi", "parent_id": 999999}, "parent_id"),
        ({"body": "hi", "parent_id": "x"}, "parent_id"),
        ({"body": "hi", "language": "xx"}, "language"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(auth_api_client, note, payload, field):
    response = auth_api_client.post(_comments_url(note.pk), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Comment.objects.exists()
    assert Note.objects.get(pk=note.pk).comment_count == 0


def test_invisible_note_is_404_for_reading_and_posting(auth_api_client, other_user):
    note = NoteFactory(author=other_user, visibility=Visibility.PRIVATE)
    assert auth_api_client.get(_comments_url(note.pk)).status_code == 404
    assert auth_api_client.post(_comments_url(note.pk), {"body": "x"}).status_code == 404
    assert auth_api_client.get(_comments_url(987654)).status_code == 404


def test_blocked_note_author_is_404(auth_api_client, note, user, other_user):
    BlockFactory(blocker=other_user, blocked=user)
    assert auth_api_client.post(_comments_url(note.pk), {"body": "x"}).status_code == 404


def test_reply_across_a_block_is_a_400(auth_api_client, note, user):
    carol = UserFactory(handle="carol")
    comment = services.comment_create(author=carol, note=note, body="x")
    BlockFactory(blocker=user, blocked=carol)
    response = auth_api_client.post(
        _comments_url(note.pk), {"body": "y", "parent_id": comment.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent_id" in response.json()["errors"]


def test_signed_out_may_read_but_not_post(api_client, note, other_user):
    services.comment_create(author=other_user, note=note, body="hello")
    response = api_client.get(_comments_url(note.pk))
    assert response.status_code == 200
    assert [c["body"] for c in response.json()["results"]] == ["hello"]
    assert response.json()["results"][0]["can_delete"] is False
    assert api_client.post(_comments_url(note.pk), {"body": "x"}).status_code == 401


def test_thread_pages_previews_and_replies_url(auth_api_client, note, other_user):
    for n in range(3):
        top = services.comment_create(author=other_user, note=note, body=f"c{n}")
    for n in range(4):
        services.comment_create(author=other_user, note=note, body=f"r{n}", parent=top)
    first = auth_api_client.get(_comments_url(note.pk), {"page_size": 2}).json()
    assert [c["body"] for c in first["results"]] == ["c2", "c1"]
    newest = first["results"][0]
    assert [r["body"] for r in newest["replies"]] == ["r0", "r1"]
    assert newest["more_replies"] == 2
    rest = auth_api_client.get(newest["replies_url"]).json()
    assert [r["body"] for r in rest["results"]] == ["r2", "r3"]
    assert rest["next"] is None
    second = auth_api_client.get(first["next"]).json()
    assert [c["body"] for c in second["results"]] == ["c0"]
    assert second["results"][0]["replies_url"] is None


def test_bad_cursor_is_a_400(auth_api_client, note):
    response = auth_api_client.get(_comments_url(note.pk), {"cursor": "nope"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_blocked_and_muted_people_in_the_api(auth_api_client, note, user):
    carol, dave = UserFactory(handle="carol"), UserFactory(handle="dave")
    services.comment_create(author=carol, note=note, body="carol")
    services.comment_create(author=dave, note=note, body="dave")
    BlockFactory(blocker=carol, blocked=user)
    MuteFactory(muter=user, muted=dave)
    results = auth_api_client.get(_comments_url(note.pk)).json()["results"]
    assert [(c["body"], c["collapsed"]) for c in results] == [("dave", True)]


def test_delete_rights(auth_api_client, api_client, note, user, other_user):
    carol = UserFactory(handle="carol")
    theirs = services.comment_create(author=carol, note=note, body="carol's")
    assert auth_api_client.delete(_url("comment-detail", theirs)).status_code == 403
    mine = services.comment_create(author=user, note=note, body="mine")
    assert auth_api_client.delete(_url("comment-detail", mine)).status_code == 204
    assert auth_api_client.delete(_url("comment-detail", mine)).status_code == 404
    api_client.force_authenticate(other_user)  # the note's author
    assert api_client.delete(_url("comment-detail", theirs)).status_code == 204
    assert Note.objects.get(pk=note.pk).comment_count == 0


def test_like_and_unlike(auth_api_client, note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="x")
    response = auth_api_client.post(_url("comment-like", comment))
    assert response.status_code == 200
    assert (response.json()["liked"], response.json()["like_count"]) == (True, 1)
    response = auth_api_client.post(_url("comment-like", comment))
    assert response.json()["like_count"] == 1
    response = auth_api_client.delete(_url("comment-like", comment))
    assert (response.json()["liked"], response.json()["like_count"]) == (False, 0)


def test_like_of_an_invisible_comment_is_404(auth_api_client, note, user):
    carol = UserFactory(handle="carol")
    comment = services.comment_create(author=carol, note=note, body="x")
    BlockFactory(blocker=user, blocked=carol)
    assert auth_api_client.post(_url("comment-like", comment)).status_code == 404
    assert auth_api_client.get(_url("comment-replies", comment)).status_code == 404


def test_posting_is_rate_limited(auth_api_client, note, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # Patched where the throttles read it, and undone after (not left on a subclass).
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "comments": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    codes = [
        auth_api_client.post(_comments_url(note.pk), {"body": f"c{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    assert auth_api_client.get(_comments_url(note.pk)).status_code == 200
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("size", [2, 10])
def test_thread_query_budget_is_constant(
    auth_api_client, note, django_assert_max_num_queries, size
):
    people = [UserFactory() for _ in range(3)]
    for n in range(size):
        top = services.comment_create(author=people[n % 3], note=note, body=f"c{n}")
        for m in range(3):
            services.comment_create(author=people[m], note=note, body="r", parent=top)
    with django_assert_max_num_queries(4):
        response = auth_api_client.get(_comments_url(note.pk), {"page_size": size})
    assert len(response.json()["results"]) == size


def test_openapi_schema_documents_the_comment_routes(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/notes/{note_id}/comments/"])
    assert {"delete"} <= set(paths["/api/v1/comments/{comment_id}/"])
    assert {"post", "delete"} <= set(paths["/api/v1/comments/{comment_id}/like/"])
    assert "get" in paths["/api/v1/comments/{comment_id}/replies/"]
    listing = paths["/api/v1/notes/{note_id}/comments/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"note_id", "cursor", "page_size"}
    comment = schema["components"]["schemas"]["Comment"]["properties"]
    assert {"id", "note_id", "author", "body", "language", "parent_id", "reply_to"} <= set(comment)
    assert {"created_at", "like_count", "reply_count", "liked", "can_delete", "collapsed"} <= set(
        comment
    )
