"""Hashtag pages and tag follows: `/tags/<name>/` (Latest and Top), following a tag on the page
and through `/api/v1/tags/<name>/follow/`, and `GET /api/v1/tags/<name>/notes/`."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from feeds import tag_selectors, tags
from feeds.models import HashtagFollow
from notes import services as notes_services
from notes.cards import note_cards_forget_local
from notes.models import Hashtag, Note
from tests.factories import BlockFactory, FollowFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def tagged(tag: Hashtag, **kwargs) -> Note:
    note = NoteFactory(**kwargs)
    note.hashtags.add(tag)
    return note


def card_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


@pytest.fixture
def travel(db) -> Hashtag:
    return Hashtag.objects.create(name="travel", display_name="Travel")


# --- Services -----------------------------------------------------------------------------


def test_follow_is_idempotent_and_announced_after_commit(
    user, travel, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _follow, created = tags.hashtag_follow(user=user, hashtag=travel)
    assert created and captured_events.sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    expected = {"user_id": user.pk, "hashtag_id": travel.pk}
    assert captured_events.sent == [("hashtag_followed", expected)]

    with django_capture_on_commit_callbacks(execute=True):
        _follow, created = tags.hashtag_follow(user=user, hashtag=travel)
    assert not created
    assert HashtagFollow.objects.filter(user=user, hashtag=travel).count() == 1
    assert captured_events.names() == ["hashtag_followed"]  # the second follow said nothing

    with django_capture_on_commit_callbacks(execute=True):
        assert tags.hashtag_unfollow(user=user, hashtag=travel)
        assert not tags.hashtag_unfollow(user=user, hashtag=travel)
    assert captured_events.names() == ["hashtag_followed", "hashtag_unfollowed"]
    assert captured_events.of("hashtag_unfollowed") == [expected]


def test_follow_limit_refuses_the_next_tag_by_field(user, travel, monkeypatch):
    monkeypatch.setattr(tags, "HASHTAG_FOLLOW_LIMIT", 2)
    for name in ("a", "b"):
        tag = Hashtag.objects.create(name=name, display_name=name)
        tags.hashtag_follow(user=user, hashtag=tag)
    with pytest.raises(ValidationError) as refused:
        tags.hashtag_follow(user=user, hashtag=travel)
    assert "2 tags" in refused.value.message_dict["hashtag"][0]
    assert not HashtagFollow.objects.filter(user=user, hashtag=travel).exists()
    # A tag already followed is still fine at the limit.
    _follow, created = tags.hashtag_follow(user=user, hashtag=Hashtag.objects.get(name="a"))
    assert not created


# --- The page -----------------------------------------------------------------------------


def test_tag_page_latest_and_top_orders(client, travel):
    old_popular = tagged(travel, like_count=9, collect_count=3)
    middle = tagged(travel, like_count=2, collect_count=2)
    newest = tagged(travel)
    tied = tagged(travel, like_count=4)  # ties with `middle` on engagement; newer id first
    assert card_ids(client.get("/tags/travel/")) == [tied.pk, newest.pk, middle.pk, old_popular.pk]
    top = client.get("/tags/travel/?tab=top")
    assert card_ids(top) == [old_popular.pk, tied.pk, middle.pk, newest.pk]
    html = top.content.decode()
    assert 'class="is-active" aria-current="page" data-testid="tag-tab-top"' in html
    assert 'aria-current="page" data-testid="tag-tab-latest"' not in html
    # An unknown tab is the default one.
    assert card_ids(client.get("/tags/travel/?tab=nonsense"))[0] == tied.pk


def test_tag_page_top_pages_by_keyset(client, travel, settings):
    notes = [tagged(travel, like_count=n % 3) for n in range(30)]
    first = client.get("/tags/travel/?tab=top")
    ids = card_ids(first)
    assert len(ids) == 24
    cursor = re.search(r'cursor=([^"&]+)', first.content.decode()).group(1)
    rest = client.get(f"/tags/travel/?tab=top&cursor={cursor}", **HTMX)
    ids += card_ids(rest)
    expected = sorted(notes, key=lambda n: (n.like_count, n.pk), reverse=True)
    assert ids == [n.pk for n in expected]


@pytest.mark.parametrize("who", ["visitor", "reader", "author"])
def test_tag_notes_read_through_links_agree_with_the_rule_on_notes(
    who, user, other_user, travel, django_capture_on_commit_callbacks
):
    """The tag page filters the links' copies of each note's state; what it shows is what
    `Note.objects.visible_to(...).published().without_muted_by(...)` says, in the same order,
    page after page, after edits, hiding and publication went through the services."""
    from django.contrib.auth.models import AnonymousUser

    from rednote.pagination import cursor_page

    viewer = {"visitor": AnonymousUser(), "reader": user, "author": other_user}[who]
    FollowFactory(follower=user, followee=other_user)
    MuteFactory(muter=user, muted=(muted := UserFactory()))
    BlockFactory(blocker=(blocker := UserFactory()), blocked=user)
    same_time = NoteFactory().published_at
    notes = [
        tagged(travel, author=author, visibility=visibility, published_at=same_time, body="#travel")
        for author in (other_user, muted, blocker, UserFactory())
        for visibility in ("public", "followers", "private")
    ]
    notes.append(tagged(travel, author=other_user, processing=True))
    notes_services.note_hide(target=notes[0])
    notes_services.note_update(note=notes[3], visibility="private")
    notes_services.note_update(note=notes[5], visibility="public")
    assert all(note.hashtags.filter(pk=travel.pk).exists() for note in notes)
    rule = (
        Note.objects.visible_to(viewer)
        .published()
        .without_muted_by(viewer)
        .filter(hashtags=travel)
        .order_by("-published_at", "-id")
    )
    expected = list(rule.values_list("pk", flat=True))
    assert expected  # the case is not empty
    key = tag_selectors.TAG_TABS[tag_selectors.LATEST]
    shown, cursor = [], None
    while True:
        page = cursor_page(
            tag_selectors.tag_notes(hashtag=travel, viewer=viewer), cursor=cursor, key=key, size=2
        )
        shown += [note.pk for note in page.items]
        if not (cursor := page.next_cursor):
            break
    assert shown == expected


def test_tag_page_counts_only_what_the_reader_may_see(client, user, other_user, travel):
    client.force_login(user)
    muted, blocked, blocker = UserFactory(), UserFactory(), UserFactory()
    MuteFactory(muter=user, muted=muted)
    BlockFactory(blocker=user, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=user)
    shown = [tagged(travel), tagged(travel, author=other_user)]
    FollowFactory(follower=user, followee=other_user)
    shown.append(tagged(travel, author=other_user, visibility="followers"))
    hidden = [
        tagged(travel, is_hidden=True),
        tagged(travel, visibility="private"),
        tagged(travel, visibility="followers"),  # a stranger's
        tagged(travel, processing=True),
        tagged(travel, author=muted),
        tagged(travel, author=blocked),
        tagged(travel, author=blocker),
        tagged(travel, author=UserFactory(is_active=False)),
    ]
    response = client.get("/tags/travel/")
    assert sorted(card_ids(response)) == sorted(n.pk for n in shown)
    assert '<span data-testid="tag-count">3 notes</span>' in response.content.decode()
    top = client.get("/tags/travel/?tab=top")
    assert set(card_ids(top)).isdisjoint(n.pk for n in hidden)


def test_top_ranks_public_notes_from_a_cached_list_read_fresh(client, user, other_user, travel):
    client.force_login(user)
    liked = tagged(travel, like_count=9)
    second = tagged(travel, like_count=5)
    tagged(travel, author=other_user, visibility="followers", like_count=50)  # Latest only
    assert card_ids(client.get("/tags/travel/?tab=top")) == [liked.pk, second.pk]
    # Counts are read fresh: the order follows them at once...
    Note.objects.filter(pk=second.pk).update(like_count=20)
    assert card_ids(client.get("/tags/travel/?tab=top")) == [second.pk, liked.pk]
    # ... and a hidden note leaves at once, though the ranked list is cached.
    notes_services.note_hide(target=second)
    assert card_ids(client.get("/tags/travel/?tab=top")) == [liked.pk]
    # A new note joins the ranking when it is next computed.
    late = tagged(travel, like_count=30)
    assert late.pk not in card_ids(client.get("/tags/travel/?tab=top"))
    tag_selectors.tag_top_forget(hashtag=travel)
    assert card_ids(client.get("/tags/travel/?tab=top")) == [late.pk, liked.pk]


def test_tag_page_note_count_stops_at_the_cap(client, travel, monkeypatch):
    monkeypatch.setattr(tag_selectors, "NOTE_COUNT_CAP", 2)
    tagged(travel)
    assert (
        '<span data-testid="tag-count">1 note</span>'
        in client.get("/tags/travel/").content.decode()
    )
    cache.clear()
    tagged(travel), tagged(travel)
    html = client.get("/tags/travel/").content.decode()
    assert '<span data-testid="tag-count">2+ notes</span>' in html


def _cards_forget() -> None:
    """Forget the rendered cards (`notes.cards`): a page whose cards are all cached reads no
    photos, one query fewer than a page that renders them."""
    cache.clear()
    note_cards_forget_local()


def test_tag_page_query_count_does_not_grow(client, user, travel, django_assert_max_num_queries):
    client.force_login(user)
    for n in range(3):
        tagged(travel, images=2, like_count=n)
    for tab in ("latest", "top"):
        _cards_forget()  # both counts with every card rendered (photos read)
        with django_assert_max_num_queries(12) as few:
            assert client.get(f"/tags/travel/?tab={tab}").status_code == 200
        for n in range(25):
            tagged(travel, images=3, like_count=n)
        tag_selectors.tag_top_forget(hashtag=travel)  # as when Top is next ranked
        _cards_forget()
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(f"/tags/travel/?tab={tab}")
        assert len(card_ids(response)) == 24


def test_tag_page_unknown_tag_is_404_and_names_are_normalised(client, travel):
    assert client.get("/tags/nowhere/").status_code == 404
    assert client.get("/tags/%EF%BC%B4RAVEL/").status_code == 200  # ＴRAVEL
    assert travel.get_absolute_url() == reverse("feeds:tag", kwargs={"name": "travel"})


# --- Following on the page ----------------------------------------------------------------


def test_visitor_is_sent_to_log_in_and_back(client, travel):
    html = client.get("/tags/travel/").content.decode()
    assert 'href="/accounts/login/?next=/tags/travel/"' in html
    response = client.post("/tags/travel/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Ftags%2Ftravel%2F"
    assert not HashtagFollow.objects.exists()


def test_follow_and_unfollow_without_javascript(client, user, travel):
    client.force_login(user)
    page = client.get("/tags/travel/").content.decode()
    assert 'action="/tags/travel/follow/"' in page and "csrfmiddlewaretoken" in page
    response = client.post("/tags/travel/follow/", {"next": "/tags/travel/?tab=top"})
    assert response.status_code == 302 and response["Location"] == "/tags/travel/?tab=top"
    assert HashtagFollow.objects.filter(user=user, hashtag=travel).exists()
    page = client.get("/tags/travel/").content.decode()
    assert 'action="/tags/travel/unfollow/"' in page
    assert "You now follow #Travel." in page  # the message
    assert "1 follower" in page
    client.post("/tags/travel/follow/")  # again: still one follow
    assert HashtagFollow.objects.count() == 1
    client.post("/tags/travel/unfollow/")
    assert not HashtagFollow.objects.exists()
    # An unsafe `next` is not followed.
    response = client.post("/tags/travel/follow/", {"next": "https://evil.example/"})
    assert response["Location"] == "/tags/travel/"


def test_follow_with_htmx_swaps_the_button_and_the_count(client, user, travel):
    client.force_login(user)
    response = client.post("/tags/travel/follow/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-post="/tags/travel/unfollow/"' in html
    assert f'id="tag-followers-{travel.pk}" hx-swap-oob="true"' in html and "1 follower" in html
    response = client.post("/tags/travel/unfollow/", **HTMX)
    assert 'hx-post="/tags/travel/follow/"' in response.content.decode()


def test_follow_limit_on_the_page_is_a_message(client, user, travel, monkeypatch):
    monkeypatch.setattr(tags, "HASHTAG_FOLLOW_LIMIT", 0)
    client.force_login(user)
    response = client.post("/tags/travel/follow/", follow=True)
    assert "the most one can follow" in response.content.decode()
    response = client.post("/tags/travel/follow/", **HTMX)
    assert response.status_code == 400 and "the most one can follow" in response.content.decode()
    assert not HashtagFollow.objects.exists()


def test_follow_page_actions_want_post_and_a_known_tag(client, user):
    client.force_login(user)
    assert client.get("/tags/travel/follow/").status_code == 405
    assert client.post("/tags/nowhere/follow/").status_code == 404


# --- API: following -----------------------------------------------------------------------


def test_api_follow_unfollow(auth_api_client, user, travel):
    response = auth_api_client.post("/api/v1/tags/Travel/follow/")
    assert response.status_code == 201
    assert response.json() == {
        "name": "travel",
        "display_name": "Travel",
        "url": "http://testserver/tags/travel/",
        "follower_count": 1,
        "following": True,
    }
    again = auth_api_client.post("/api/v1/tags/travel/follow/")
    assert again.status_code == 200 and again.json()["follower_count"] == 1
    assert auth_api_client.delete("/api/v1/tags/travel/follow/").status_code == 204
    assert auth_api_client.delete("/api/v1/tags/travel/follow/").status_code == 204
    assert not HashtagFollow.objects.exists()


def test_api_follow_errors(auth_api_client, travel, monkeypatch):
    from rest_framework.test import APIClient

    assert APIClient().post("/api/v1/tags/travel/follow/").status_code == 401
    unknown = auth_api_client.post("/api/v1/tags/nowhere/follow/")
    assert unknown.status_code == 404 and "detail" in unknown.json()
    assert auth_api_client.delete("/api/v1/tags/nowhere/follow/").status_code == 404
    monkeypatch.setattr(tags, "HASHTAG_FOLLOW_LIMIT", 0)
    refused = auth_api_client.post("/api/v1/tags/travel/follow/")
    assert refused.status_code == 400 and "hashtag" in refused.json()["errors"]


@pytest.fixture
def social_graph_two_a_minute(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "social_graph": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_api_follow_is_throttled_like_the_social_graph(
    auth_api_client, travel, social_graph_two_a_minute
):
    codes = [auth_api_client.post("/api/v1/tags/travel/follow/").status_code for _ in range(3)]
    assert codes == [201, 200, 429]


def test_page_follow_shares_the_social_graph_budget(
    client, user, travel, social_graph_two_a_minute
):
    client.force_login(user)
    assert client.post("/tags/travel/follow/", **HTMX).status_code == 200
    assert client.post("/tags/travel/unfollow/", **HTMX).status_code == 200
    refused = client.post("/tags/travel/follow/", **HTMX)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many follows" in refused.content.decode()
    page = client.post("/tags/travel/follow/", follow=True)
    assert "Too many follows" in page.content.decode()
    assert not HashtagFollow.objects.exists()


# --- API: a tag's notes -------------------------------------------------------------------


def test_api_tag_notes_latest_and_top(api_client, travel):
    popular = tagged(travel, like_count=5, collect_count=5)
    recent = tagged(travel)
    tagged(travel, visibility="private")
    latest = api_client.get("/api/v1/tags/TRAVEL/notes/")
    assert latest.status_code == 200
    assert [n["id"] for n in latest.json()["results"]] == [recent.pk, popular.pk]
    top = api_client.get("/api/v1/tags/travel/notes/", {"tab": "top"})
    assert [n["id"] for n in top.json()["results"]] == [popular.pk, recent.pk]
    assert top.json()["results"][0]["like_count"] == 5


def test_api_tag_notes_pages_by_cursor_in_both_tabs(api_client, travel):
    notes = [tagged(travel, like_count=n % 4) for n in range(7)]
    for tab, key in (("latest", lambda n: n.pk), ("top", lambda n: (n.like_count, n.pk))):
        seen, path = [], f"/api/v1/tags/travel/notes/?tab={tab}&page_size=3"
        while path:
            body = api_client.get(path).json()
            seen += [n["id"] for n in body["results"]]
            path = body["next"]
        assert seen == [n.pk for n in sorted(notes, key=key, reverse=True)], tab


def test_api_tag_notes_errors(api_client, travel):
    bad_tab = api_client.get("/api/v1/tags/travel/notes/", {"tab": "best"})
    assert bad_tab.status_code == 400 and "tab" in bad_tab.json()["errors"]
    assert api_client.get("/api/v1/tags/nowhere/notes/").status_code == 404
    bad_cursor = api_client.get("/api/v1/tags/travel/notes/", {"tab": "top", "cursor": "x"})
    assert bad_cursor.status_code == 400 and "cursor" in bad_cursor.json()["errors"]


def test_api_tag_notes_query_count_does_not_grow(
    auth_api_client, travel, django_assert_max_num_queries
):
    for tab in ("latest", "top"):
        Note.objects.all().delete()
        for n in range(2):
            tagged(travel, images=2, like_count=n)
        with django_assert_max_num_queries(10) as few:
            auth_api_client.get("/api/v1/tags/travel/notes/", {"tab": tab})
        for n in range(20):
            tagged(travel, images=3, like_count=n)
        tag_selectors.tag_top_forget(hashtag=travel)  # as when Top is next ranked
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = auth_api_client.get("/api/v1/tags/travel/notes/", {"tab": tab}).json()
        assert len(body["results"]) == 20


def test_api_follow_query_count(auth_api_client, travel, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert auth_api_client.post("/api/v1/tags/travel/follow/").status_code == 201
    with django_assert_max_num_queries(6):
        assert auth_api_client.delete("/api/v1/tags/travel/follow/").status_code == 204
