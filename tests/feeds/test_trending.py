"""Trending hashtags: the formula, what counts, exclusions, the cache, the API and Discover."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from feeds import tags, trending
from feeds.models import TrendingExclusion
from notes.models import Hashtag, Note
from tests.factories import BlockFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def tag(name: str) -> Hashtag:
    return Hashtag.objects.get_or_create(name=name.casefold(), display_name=name)[0]


def post(hashtag: Hashtag, n: int, *, hours_ago: float = 1, **kwargs) -> list[Note]:
    """`n` notes carrying `hashtag`, published `hours_ago`."""
    when = timezone.now() - timedelta(hours=hours_ago)
    notes = [NoteFactory(images=0, published_at=when, **kwargs) for _ in range(n)]
    for note in notes:
        note.hashtags.add(hashtag)
    return notes


def names(found) -> list[str]:
    return [t.name for t in found]


def test_score_rewards_real_growth_over_a_handful_of_posts():
    zero_to_two = trending.trending_score(recent=2, baseline=0)
    fifty_to_120 = trending.trending_score(recent=120, baseline=50)
    assert round(zero_to_two, 2) == 0.89 and round(fifty_to_120, 2) == 9.44
    assert fifty_to_120 > zero_to_two
    # Growth matters, not size alone: a big steady tag scores nothing.
    assert trending.trending_score(recent=500, baseline=500) == 0


def test_trending_ranks_growth_against_the_7_day_baseline():
    steady, rising, newcomer, tiny = tag("Steady"), tag("Rising"), tag("Newcomer"), tag("Tiny")
    post(steady, 14, hours_ago=24 * 4)  # 2 a day before …
    post(steady, 2)  # … and 2 today: no growth
    post(rising, 14, hours_ago=24 * 3)  # 2 a day before, 12 today
    post(rising, 12)
    post(newcomer, 3)  # 0 → 3
    post(tiny, 2)  # 0 → 2: below MIN_RECENT
    post(tag("Old"), 9, hours_ago=24 * 9)  # outside both windows
    found = trending.trending_tags(viewer=None)
    assert names(found) == ["rising", "newcomer"]
    rising_entry = found[0]
    assert (rising_entry.recent, rising_entry.baseline) == (12, 2.0)
    assert rising_entry.score == round((12 - 2) / (2 + trending.SMOOTHING) ** 0.5, 3)
    assert rising_entry.url == "/tags/rising/"


def test_only_public_visible_notes_count():
    travel = tag("Travel")
    post(travel, 2)
    for kwargs in (
        {"visibility": "private"},
        {"visibility": "followers"},
        {"is_hidden": True},
        {"processing": True},
        {"author": UserFactory(is_active=False)},
    ):
        post(travel, 3, **kwargs)
    assert trending.trending_tags(viewer=None) == []  # 2 public notes: below the minimum
    post(travel, 1)
    computed = trending.trending_compute(now=timezone.now())
    assert [(row["name"], row["recent"], row["previous"]) for row in computed] == [("travel", 3, 0)]
    trending.trending_forget()
    assert [(t.name, t.recent) for t in trending.trending_tags(viewer=None)] == [("travel", 3)]


def test_blocked_and_muted_people_do_not_make_a_tag_trend_for_the_reader(user):
    spam, fine = tag("Spam"), tag("Fine")
    muted, blocker, blocked = UserFactory(), UserFactory(), UserFactory()
    MuteFactory(muter=user, muted=muted)
    BlockFactory(blocker=blocker, blocked=user)
    BlockFactory(blocker=user, blocked=blocked)
    post(spam, 5, author=muted)
    post(spam, 5, author=blocker)
    post(spam, 5, author=blocked)
    post(spam, 1)
    post(fine, 4)
    everyone = trending.trending_tags(viewer=None)
    assert names(everyone) == ["spam", "fine"] and everyone[0].recent == 16
    assert names(trending.trending_tags(viewer=user)) == ["fine"]
    other = UserFactory()
    assert names(trending.trending_tags(viewer=other)) == ["spam", "fine"]
    # A mute made later counts from the next computation on.
    MuteFactory(muter=other, muted=blocker)
    MuteFactory(muter=other, muted=blocked)
    MuteFactory(muter=other, muted=muted)
    assert names(trending.trending_tags(viewer=other)) == ["spam", "fine"]
    trending.trending_forget()
    assert names(trending.trending_tags(viewer=other)) == ["fine"]


def test_exclusion_takes_a_tag_out_at_once_and_back(admin_user, django_capture_on_commit_callbacks):
    hot = tag("Hot")
    post(hot, 5)
    assert names(trending.trending_tags(viewer=None)) == ["hot"]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        tags.trending_exclude(hashtag=hot, by=admin_user, reason="spam wave")
    assert trending.trending_tags(viewer=None) == []
    exclusion = TrendingExclusion.objects.get()
    assert (exclusion.created_by, exclusion.reason) == (admin_user, "spam wave")
    # The page and its notes stay.
    assert NoteFactory._meta.model.objects.filter(hashtags=hot).count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert tags.trending_include(hashtag=hot)
    assert names(trending.trending_tags(viewer=None)) == ["hot"]


def test_trending_is_cached(django_assert_num_queries, user):
    post(tag("Cached"), 3)
    trending.trending_tags(viewer=None)
    with django_assert_num_queries(0):
        assert names(trending.trending_tags(viewer=None)) == ["cached"]
    with django_assert_num_queries(1):  # a reader's blocks and mutes: one query...
        assert names(trending.trending_tags(viewer=user)) == ["cached"]
    with django_assert_num_queries(0):  # ... once per computation
        assert names(trending.trending_tags(viewer=user)) == ["cached"]
    post(tag("Later"), 5)
    assert names(trending.trending_tags(viewer=None)) == ["cached"]  # until it expires
    trending.trending_forget()
    assert names(trending.trending_tags(viewer=None)) == ["later", "cached"]


def test_one_request_recomputes_while_the_others_answer_with_the_previous_list(
    django_assert_num_queries,
):
    post(tag("First"), 3)
    assert names(trending.trending_tags(viewer=None)) == ["first"]
    post(tag("Second"), 5)
    cache.delete(trending.TRENDING_CACHE_KEY)  # the list expires...
    lock = f"{trending.TRENDING_CACHE_KEY}:computing"
    cache.add(lock, 1)  # ... while another request is computing it
    with django_assert_num_queries(0):
        assert names(trending.trending_tags(viewer=None)) == ["first"]
    cache.delete(lock)  # that request is done or gone
    assert names(trending.trending_tags(viewer=None)) == ["second", "first"]


# --- API ----------------------------------------------------------------------------------


def test_api_trending(api_client):
    post(tag("Citywalk"), 4)
    post(tag("Tea"), 3)
    response = api_client.get("/api/v1/tags/trending/")
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {
        "name": "citywalk",
        "display_name": "Citywalk",
        "url": "http://testserver/tags/citywalk/",
        "notes_24h": 4,
        "daily_average": 0.0,
        "score": round(4 / trending.SMOOTHING**0.5, 3),
    }
    limited = api_client.get("/api/v1/tags/trending/", {"limit": 1}).json()["results"]
    assert [t["name"] for t in limited] == ["citywalk"]
    bad = api_client.get("/api/v1/tags/trending/", {"limit": 0})
    assert bad.status_code == 400 and "limit" in bad.json()["errors"]


def test_api_trending_query_budget(auth_api_client, django_assert_max_num_queries):
    for n in range(8):
        post(tag(f"t{n}"), 3 + n)
    with django_assert_max_num_queries(4):  # computing: two; the reader's blocks: one
        body = auth_api_client.get("/api/v1/tags/trending/", {"limit": 50}).json()
    assert len(body["results"]) == 8


# --- Discover and admin -------------------------------------------------------------------


def test_discover_shows_trending_tags_linking_to_their_pages(client):
    post(tag("Citywalk"), 3)
    html = client.get("/").content.decode()
    assert 'data-testid="trending"' in html
    assert 'href="/tags/citywalk/" data-testid="trending-tag"' in html
    assert client.get("/tags/citywalk/").status_code == 200


def test_discover_without_trending_tags_shows_no_block(client):
    assert 'data-testid="trending"' not in client.get("/").content.decode()


def test_admin_keeps_a_tag_out_of_trending(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    hot = tag("Hot")
    post(hot, 3)
    assert names(trending.trending_tags(viewer=None)) == ["hot"]  # now cached
    changelist = reverse("admin:notes_hashtag_changelist")
    assert admin_client.get(changelist).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist,
            {"action": "keep_out_of_trending", "_selected_action": [hot.pk]},
            follow=True,
        )
    assert "1 tag is kept out of trending." in response.content.decode()
    assert TrendingExclusion.objects.get().created_by == admin_user
    assert trending.trending_tags(viewer=None) == []
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(changelist, {"action": "allow_in_trending", "_selected_action": [hot.pk]})
    assert not TrendingExclusion.objects.exists()
    assert names(trending.trending_tags(viewer=None)) == ["hot"]


def test_admin_exclusion_form_and_lists(admin_client, admin_user):
    hot = tag("Hot")
    add = reverse("admin:feeds_trendingexclusion_add")
    assert admin_client.get(add).status_code == 200
    response = admin_client.post(add, {"hashtag": hot.pk, "reason": "brigading"})
    assert response.status_code == 302
    exclusion = TrendingExclusion.objects.get()
    assert (exclusion.hashtag, exclusion.reason, exclusion.created_by) == (
        hot,
        "brigading",
        admin_user,
    )
    changelist = reverse("admin:feeds_trendingexclusion_changelist")
    assert "brigading" in admin_client.get(changelist).content.decode()
    admin_client.post(changelist, {"action": "allow_in_trending", "_selected_action": [hot.pk]})
    assert not TrendingExclusion.objects.exists()
    assert admin_client.get(reverse("admin:feeds_hashtagfollow_changelist")).status_code == 200
    autocomplete = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "feeds",
            "model_name": "trendingexclusion",
            "field_name": "hashtag",
            "term": "ho",
        },
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["#Hot"]
