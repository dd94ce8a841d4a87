"""`/following/` and `GET /api/v1/feeds/home/`: one selector, the same notes, a constant number
of queries per page, suggestions when empty, and the reader's activity kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from feeds.models import HashtagFollow
from notes.models import Hashtag
from tests.factories import BlockFactory, FollowFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


def _clients(user):
    web, api = Client(), APIClient()
    web.force_login(user)
    api.force_authenticate(user)
    return web, api


def _world(notes_per_author: int):
    reader = UserFactory(last_active_at=timezone.now())
    authors = [UserFactory() for _ in range(3)]
    for author in authors:
        FollowFactory(follower=reader, followee=author)
    tag, _created = Hashtag.objects.get_or_create(name="tea", display_name="tea")
    HashtagFollow.objects.create(user=reader, hashtag=tag)
    for author in authors:
        for _ in range(notes_per_author):
            NoteFactory(author=author, images=2).hashtags.add(tag)
    NoteFactory(images=1).hashtags.add(tag)  # a stranger's public note with the tag
    return reader


@pytest.mark.parametrize("store", ["redis", "database"])
def test_following_page_and_api_agree(request, store):
    request.getfixturevalue("redis_feeds" if store == "redis" else "no_feed_store")
    reader = _world(notes_per_author=3)
    web, api = _clients(reader)
    page = _page_ids(web.get("/following/"))
    body = api.get("/api/v1/feeds/home/", {"page_size": 24}).json()
    assert page == [n["id"] for n in body["results"]]
    assert len(page) == 10 and body["next"] is None and body["previous"] is None


def _count_queries(client, path, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, data or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("store", ["redis", "database"])
def test_home_feed_query_count_does_not_grow_with_the_page(request, store):
    request.getfixturevalue("redis_feeds" if store == "redis" else "no_feed_store")
    counts = {}
    for size in (2, 8):
        reader = _world(notes_per_author=size)
        web, api = _clients(reader)
        _count_queries(web, "/following/")  # first read: activity written, timeline built
        counts[size] = (
            _count_queries(web, "/following/"),
            _count_queries(api, "/api/v1/feeds/home/", {"page_size": 3 * size}),
        )
    assert counts[2] == counts[8]
    page_queries, api_queries = counts[8]
    assert page_queries <= 8 and api_queries <= 6, counts


def test_home_feed_api_pages_with_next_links(redis_feeds):
    reader = _world(notes_per_author=3)
    _web, api = _clients(reader)
    seen, url = [], "/api/v1/feeds/home/?page_size=4"
    while url:
        body = api.get(url).json()
        seen += [n["id"] for n in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 10


def test_home_feed_api_refuses_visitors_and_bad_cursors(redis_feeds, user):
    assert APIClient().get("/api/v1/feeds/home/").status_code in (401, 403)
    _web, api = _clients(user)
    response = api.get("/api/v1/feeds/home/", {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]
    web, _api = _clients(user)
    assert web.get("/following/", {"cursor": "nope"}).status_code == 400


def test_empty_following_suggests_people_and_hashtags(no_feed_store, user):
    en_author = UserFactory(handle="riverwalker", languages=["en"])
    zh_author = UserFactory(handle="shanghai_eats", languages=["zh-Hans"])
    blocked = UserFactory(handle="blocked_poster")
    BlockFactory(blocker=user, blocked=blocked)
    tag = Hashtag.objects.create(name="citywalk", display_name="citywalk")
    for author in (en_author, zh_author, blocked, user):
        NoteFactory(author=author).hashtags.add(tag)
    web, _api = _clients(user)
    response = web.get("/following/")
    html = response.content.decode()
    assert 'data-testid="feed-suggestions"' in html
    assert "@riverwalker" in html and "@shanghai_eats" in html
    assert "@blocked_poster" not in html and f"@{user.handle}</span>" not in html
    assert html.count('data-testid="follow-button"') == 2
    assert "#citywalk" in html
    # Following someone: they are no longer suggested, and their notes fill the feed.
    FollowFactory(follower=user, followee=en_author)
    html = web.get("/following/").content.decode()
    assert 'data-testid="feed-suggestions"' not in html


def test_empty_following_never_suggests_people_in_a_block_or_muted(no_feed_store, user):
    """Whoever search leaves out (a block either way, a mute) is not suggested either."""
    kept = UserFactory(handle="kept_poster")
    blocks_reader = UserFactory(handle="blocks_reader")
    muted = UserFactory(handle="muted_poster")
    BlockFactory(blocker=blocks_reader, blocked=user)
    MuteFactory(muter=user, muted=muted)
    for author in (kept, blocks_reader, muted):
        NoteFactory(author=author)
    web, _api = _clients(user)
    html = web.get("/following/").content.decode()
    assert "@kept_poster" in html
    assert "@blocks_reader" not in html and "@muted_poster" not in html


def test_reader_activity_is_written_at_most_once_an_hour(redis_feeds, user, password):
    User.objects.filter(pk=user.pk).update(last_active_at=None)  # never seen yet
    user.refresh_from_db()
    web, api = Client(), APIClient()
    web.force_login(user)
    web.get("/following/")
    user.refresh_from_db()
    first = user.last_active_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        web.get("/following/")
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "last_active" in q["sql"]]
    user.refresh_from_db()
    assert user.last_active_at == first
    # An hour later the next request writes again; token requests count too.
    User.objects.filter(pk=user.pk).update(last_active_at=timezone.now() - timedelta(hours=2))
    token = api.post("/api/v1/auth/token/", {"username": user.handle, "password": password})
    assert token.status_code == 200, token.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.get("/api/v1/feeds/home/").status_code == 200
    user.refresh_from_db()
    assert user.last_active_at > first
