"""The hot API reads answer pre-rendered note JSON (`notes.rendered`): byte for byte what the
serializer path renders, for every endpoint and kind of viewer, cold and warm; what changes
(counters, edits, withdrawal, blocks and mutes) shows at once; a page's queries do not grow
with its size.

The serializer path is reached through the same view with `Accept: application/json;
indent=0`: DRF renders that compactly (indent 0 is none), but only plain `application/json`
takes the pre-rendered path."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as accounts_services
from feeds import ranking
from feeds.store import get_store
from notes import services
from notes.models import Note, NoteStatus
from notes.rendered import note_text_cache_key
from tests.factories import BoardFactory, FollowFactory, NoteFactory, UserFactory, sample_photo

pytestmark = pytest.mark.django_db

SERIALIZER = {"HTTP_ACCEPT": "application/json; indent=0"}


@pytest.fixture(autouse=True)
def _empty_timelines():
    # Timelines are keyed by user id, which test databases reuse.
    store = get_store()
    if store is not None:
        store.flush()
    yield
    if store is not None:
        store.flush()


@pytest.fixture
def world():
    """An author (with an avatar) of rich notes — photos, tags, mentions, text JSON must
    escape — public and followers-only, one processing and one failed; a follower who liked
    and collected one; a stranger."""
    now = timezone.now()
    author = UserFactory(handle="writer", display_name='Ann "作者"')
    author.avatar.save("a.webp", ContentFile(sample_photo("grid")), save=True)
    mentioned = UserFactory(handle="friend", display_name="Friend\u2028Line")
    reader, stranger = UserFactory(handle="reader"), UserFactory(handle="stranger")
    FollowFactory(follower=reader, followee=author)
    notes = []
    for i, visibility in enumerate(["public", "followers", "public", "public", "public"]):
        note = NoteFactory(
            author=author,
            images=2 if i % 2 == 0 else 0,
            title=f"标题 {i} \\ </script>",
            location="苏州" if i == 0 else "",
            language="zh-Hans" if i % 2 else "en",
            published_at=now - timedelta(minutes=i),
        )
        services.note_update(
            note=note,
            body=f"去了#苏州园林[话题]# with @{mentioned.handle} #Walk{i}\n\t\u2029",
            visibility=visibility,
        )
        notes.append(note)
    processing = NoteFactory(author=author, processing=True, images=1)
    failed = NoteFactory(author=author, processing=True, images=1)
    Note.objects.filter(pk=failed.pk).update(status=NoteStatus.FAILED, failure_reason="Bad “photo”")
    services.note_like(user=reader, note=notes[0])
    services.note_like(user=stranger, note=notes[0])
    services.note_collect(user=reader, note=notes[2], board=BoardFactory(owner=reader))
    ranking.discover_ranks_recompute(since=None)
    board = BoardFactory(owner=author)
    services.note_collect(user=author, note=notes[3], board=board)
    author.likes_public = True
    author.save()
    services.note_like(user=author, note=notes[4])
    return {
        "author": author,
        "reader": reader,
        "stranger": stranger,
        "notes": notes,
        "processing": processing,
        "failed": failed,
        "board": board,
    }


def _client(viewer) -> APIClient:
    client = APIClient()
    if viewer is not None:
        client.force_authenticate(viewer)
    return client


def _paths(world) -> dict[str, str]:
    note = world["notes"][0]
    return {
        "home": reverse("api:feeds-home"),
        "discover": reverse("api:feeds-discover"),
        "notes": reverse("api:notes"),
        "note": reverse("api:note-detail", kwargs={"note_id": note.pk}),
        "tag": reverse("api:tag-notes", kwargs={"name": "苏州园林"}),
        "user-notes": reverse("api:user-notes", kwargs={"handle": "writer"}),
        "user-liked": reverse("api:user-liked", kwargs={"handle": "writer"}),
        "board-notes": reverse("api:board-notes", kwargs={"board_id": world["board"].pk}),
    }


def _both(client, path: str) -> tuple[bytes, bytes]:
    fast = client.get(path)
    slow = client.get(path, **SERIALIZER)
    assert fast.status_code == slow.status_code == 200, (path, fast.content)
    assert fast["Content-Type"] == "application/json"
    return fast.content, slow.content


ENDPOINTS = ["home", "discover", "notes", "note", "tag", "user-notes", "user-liked", "board-notes"]


@pytest.mark.parametrize(
    ("endpoint", "viewer_kind"),
    [
        (endpoint, kind)
        for endpoint in ENDPOINTS
        for kind in ("visitor", "reader", "author")
        if (endpoint, kind) != ("home", "visitor")  # the home feed is for signed-in readers
    ],
)
def test_hot_reads_answer_the_serializer_bytes(world, endpoint, viewer_kind):
    viewer = {"visitor": None, "reader": world["reader"], "author": world["author"]}[viewer_kind]
    client = _client(viewer)
    path = _paths(world)[endpoint]
    cache.clear()
    for round_ in ("cold", "warm"):
        fast, slow = _both(client, path)
        assert fast == slow, round_
        # The pre-rendered path answered (it keeps the texts of published notes).
        body = client.get(path).json()
        first = (body["results"] or [None])[0] if "results" in body else body
        if first is not None and first["status"] == "published":
            assert cache.get(note_text_cache_key(first["id"])) is not None
    # Every page of a small page size: cursors, next links and each note.
    separator = "&" if "?" in path else "?"
    page, pages = f"{path}{separator}page_size=2", 0
    while page and pages < 10:
        fast, slow = _both(client, page)
        assert fast == slow
        body = client.get(page).json()
        if body.get("previous"):  # backwards pages too, where a list has them
            fast, slow = _both(client, body["previous"])
            assert fast == slow
        page = body.get("next")
        pages += 1
        if endpoint not in ("note",):
            assert body["results"] or pages == 1
    if endpoint not in ("note", "user-liked", "board-notes") and (endpoint, viewer_kind) != (
        "home",
        "author",  # their own notes are not in their home feed
    ):
        assert pages >= 2, endpoint


def test_the_text_serves_every_language(world):
    client = _client(world["reader"])
    path = _paths(world)["notes"]
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content
    chinese = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert english == chinese
    world["reader"].ui_language = "zh-hans"
    world["reader"].save()
    assert _client(world["reader"]).get(path).content == english


def test_the_browsable_api_still_renders(world):
    response = _client(None).get(_paths(world)["notes"], HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def _note_in(client, path: str, note_id: int) -> dict | None:
    body = client.get(path).json()
    results = body["results"] if "results" in body else [body]
    return next((item for item in results if item["id"] == note_id), None)


LISTS = ["home", "discover", "notes", "tag"]


def test_counters_flags_and_edits_show_at_once(world):
    reader, note = world["reader"], world["notes"][0]
    client = _client(reader)
    paths = _paths(world)
    for name in [*LISTS, "note"]:
        assert _note_in(client, paths[name], note.pk)["like_count"] == 2  # now cached
    services.note_unlike(user=reader, note=note)
    services.note_update(note=Note.objects.get(pk=note.pk), title="A new title")
    for name in [*LISTS, "note"]:
        item = _note_in(client, paths[name], note.pk)
        assert (item["like_count"], item["liked"], item["title"]) == (1, False, "A new title")
    fast, slow = _both(client, paths["home"])
    assert fast == slow


def test_a_withdrawn_note_leaves_every_read_at_once(world, django_capture_on_commit_callbacks):
    note = world["notes"][0]
    client = _client(world["reader"])
    paths = _paths(world)
    for name in [*LISTS, "note"]:
        assert _note_in(client, paths[name], note.pk) is not None
    # Hidden by moderators: an UPDATE that moves no stamp; the fresh rows check visibility.
    with django_capture_on_commit_callbacks(execute=True):
        services.note_hide(target=note)
    for name in LISTS:
        assert _note_in(client, paths[name], note.pk) is None, name
    assert client.get(paths["note"]).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.note_unhide(target=Note.objects.get(pk=note.pk))
    assert _note_in(client, paths["notes"], note.pk) is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=Note.objects.get(pk=note.pk), visibility="private")
    for name in LISTS:
        assert _note_in(client, paths[name], note.pk) is None, name
    assert client.get(paths["note"]).status_code == 404


@pytest.mark.parametrize("relation", ["block", "mute"])
def test_blocks_and_mutes_apply_at_once(world, relation):
    reader, author = world["reader"], world["author"]
    client = _client(reader)
    paths = _paths(world)
    ids = {note.pk for note in world["notes"]}
    for name in LISTS:
        assert {item["id"] for item in client.get(paths[name]).json()["results"]} & ids
    if relation == "block":
        accounts_services.block_create(blocker=reader, blocked=author)
    else:
        accounts_services.mute_create(muter=reader, muted=author)
    for name in LISTS:
        assert not {item["id"] for item in client.get(paths[name]).json()["results"]} & ids, name


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize("endpoint", ["home", "discover", "notes", "tag"])
def test_warm_pages_cost_the_same_queries_whatever_their_size(world, endpoint):
    for i in range(12):
        NoteFactory(author=world["author"], body=f"#苏州园林 more {i}")
    ranking.discover_ranks_recompute(since=None)
    client = _client(world["reader"])
    path = _paths(world)[endpoint]
    separator = "&" if "?" in path else "?"
    small, large = f"{path}{separator}page_size=2", f"{path}{separator}page_size=14"
    client.get(small), client.get(large)  # warm the texts (and the timeline)
    assert _queries(client, small) == _queries(client, large) <= 3
