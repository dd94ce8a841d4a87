"""Hashtag groups: tags moderators link across languages (#美食 ↔ #food). The services that link
and unlink them, the tag page and the API showing the group's notes once each with counts per
language, following one tag following the group (fan-out on Redis and the database fallback),
the visitor page cache, trending and the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from feeds import tag_selectors, tags, trending
from feeds.home import home_feed_page
from feeds.models import HashtagFollow
from notes import services
from notes.cards import note_cards_forget_local
from notes.models import Hashtag, HashtagGroup, Note, NoteHashtag
from notes.services import hashtag_groups
from notes.services.tagging import tags_and_mentions_set
from rednote.pagination import cursor_page
from tests.factories import BlockFactory, FollowFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def tagged(*hashtags: Hashtag, **kwargs) -> Note:
    note = NoteFactory(**kwargs)
    note.hashtags.add(*hashtags)
    return note


def card_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


def make_tag(name: str) -> Hashtag:
    return Hashtag.objects.create(name=name, display_name=name)


@pytest.fixture
def meishi(db) -> Hashtag:
    return make_tag("美食")


@pytest.fixture
def food(db) -> Hashtag:
    return make_tag("food")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service with its after-commit callbacks (events, tasks)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def linked(meishi, food, run) -> HashtagGroup:
    group = run(services.hashtags_link, hashtags=[meishi, food])
    meishi.refresh_from_db()
    food.refresh_from_db()
    return group


def _link_groups(*tags: Hashtag) -> set:
    return set(NoteHashtag.objects.filter(hashtag__in=tags).values_list("group_id", flat=True))


# --- Services -------------------------------------------------------------------------------


def test_link_makes_a_group_and_copies_it_onto_the_links(meishi, food, user, captured_events, run):
    before = tagged(meishi)
    group = run(services.hashtags_link, hashtags=[meishi, food], by=user, name="Food")
    assert group.created_by == user and group.name == "Food"
    assert set(group.hashtags.all()) == {meishi, food}
    assert _link_groups(meishi) == {group.pk}  # links made before
    after = tagged(food)  # and links made after (`NoteHashtagQuerySet.bulk_create`)
    assert NoteHashtag.objects.get(note=after).group_id == group.pk
    assert NoteHashtag.objects.get(note=before).group_id == group.pk
    assert captured_events.of("hashtag_groups_changed") == [
        {"hashtag_ids": sorted([meishi.pk, food.pk]), "group_ids": [group.pk]}
    ]


def test_link_is_transitive_and_merges_groups(run):
    a, b, c, d = (make_tag(name) for name in ("猫咪", "cats", "cattax", "猫"))
    first = run(services.hashtags_link, hashtags=[a, b])
    second = run(services.hashtags_link, hashtags=[c, d])
    note = tagged(d)
    merged = run(services.hashtags_link, hashtags=[b, c])
    assert merged == first and not HashtagGroup.objects.filter(pk=second.pk).exists()
    assert set(first.hashtags.all()) == {a, b, c, d}
    assert NoteHashtag.objects.get(note=note).group_id == first.pk
    # Linking tags linked already changes nothing.
    assert run(services.hashtags_link, hashtags=[a, d]) == first


def test_link_refuses_too_few_and_too_many(meishi, monkeypatch):
    with pytest.raises(ValidationError) as one:
        services.hashtags_link(hashtags=[meishi, meishi])
    assert "at least two" in one.value.message_dict["hashtags"][0]
    monkeypatch.setattr(hashtag_groups, "MAX_GROUP_SIZE", 2)
    with pytest.raises(ValidationError) as many:
        services.hashtags_link(hashtags=[meishi, make_tag("a"), make_tag("b")])
    assert "at most 2" in many.value.message_dict["hashtags"][0]
    assert not HashtagGroup.objects.exists()


def test_unlink_dissolves_a_group_left_with_one_tag(meishi, food, run):
    extra = make_tag("foodie")
    group = run(services.hashtags_link, hashtags=[meishi, food, extra])
    note = tagged(extra, meishi)
    assert run(services.hashtags_unlink, hashtags=[extra]) == 1
    assert set(group.hashtags.all()) == {meishi, food}
    assert NoteHashtag.objects.get(note=note, hashtag=extra).group_id is None
    assert NoteHashtag.objects.get(note=note, hashtag=meishi).group_id == group.pk
    run(services.hashtags_unlink, hashtags=[food])
    assert not HashtagGroup.objects.exists()
    assert set(Hashtag.objects.values_list("group", flat=True)) == {None}
    assert _link_groups(meishi, food, extra) == {None}


def test_group_save_sets_exactly_its_tags_and_never_takes_another_groups(linked, meishi, food, run):
    extra, other_a, other_b = make_tag("foodie"), make_tag("a"), make_tag("b")
    run(services.hashtag_group_save, group=linked, hashtags=[meishi, extra])
    assert set(linked.hashtags.all()) == {meishi, extra}
    food.refresh_from_db()
    assert food.group is None
    other = run(services.hashtags_link, hashtags=[other_a, other_b])
    with pytest.raises(ValidationError) as taken:
        services.hashtag_group_save(group=linked, hashtags=[meishi, Hashtag.objects.get(name="a")])
    assert "#a is linked in another group" in taken.value.message_dict["hashtags"][0]
    assert set(other.hashtags.all()) == {other_a, other_b}


def test_group_delete_unlinks_every_tag(linked, meishi, food, run):
    note = tagged(meishi)
    run(services.hashtag_group_delete, group=linked)
    assert not HashtagGroup.objects.exists()
    assert NoteHashtag.objects.get(note=note).group_id is None
    assert set(Hashtag.objects.values_list("group", flat=True)) == {None}


def test_links_sync_catches_a_link_made_with_the_old_group(linked, meishi):
    """A note posted while moderators linked the tag may copy the old group; the task run
    after the commit writes it again."""
    note = tagged(meishi)
    NoteHashtag.objects.filter(note=note).update(group=None)  # as if made concurrently
    assert services.hashtag_links_group_sync(hashtag_ids=[meishi.pk]) == 1
    assert NoteHashtag.objects.get(note=note).group_id == linked.pk


# --- The page and the API -------------------------------------------------------------------


def test_group_page_shows_every_tags_notes_once_newest_first(client, linked, meishi, food):
    start = timezone.now() - timedelta(hours=1)
    zh = tagged(meishi, language="zh-Hans", published_at=start)
    both = tagged(meishi, food, language="zh-Hans", published_at=start + timedelta(minutes=1))
    en = tagged(food, language="en", published_at=start + timedelta(minutes=2))
    outside = tagged(make_tag("travel"))
    for name in ("美食", "food", "FOOD"):
        assert card_ids(client.get(f"/tags/{name}/")) == [en.pk, both.pk, zh.pk]
    assert outside.pk not in card_ids(client.get("/tags/food/"))
    html = client.get("/tags/food/").content.decode()
    assert '<span data-testid="tag-count">3 notes</span>' in html
    languages = re.search(r'data-testid="tag-languages"[^>]*>(.*?)</p>', html).group(1)
    assert re.sub(r"<[^>]+>", "", languages) == "2 Simplified Chinese · 1 English"
    assert 'href="/tags/%E7%BE%8E%E9%A3%9F/"' in html and ">#美食</a>" in html
    assert ">#food</a>" not in html  # the page's own tag is not linked to itself
    top = card_ids(client.get("/tags/美食/?tab=top"))
    assert sorted(top) == sorted([en.pk, both.pk, zh.pk])


def test_group_page_counts_languages_once_and_other_languages_last(client, linked, meishi, food):
    tagged(meishi, food, language="ja")
    tagged(food, language="mixed")
    tagged(food, language="")
    tagged(food, language="ja", visibility="followers")  # not public: not counted
    counts = tag_selectors.tag_language_counts(hashtag=food)
    assert [(c.language, c.count) for c in counts] == [("ja", 1), ("other", 2)]
    assert [c.name for c in counts] == ["Japanese", "Other languages"]


@pytest.mark.parametrize("who", ["visitor", "reader", "author"])
def test_group_notes_agree_with_the_rule_on_notes_page_after_page(
    who, user, other_user, linked, meishi, food
):
    """The group's page filters the links' copies; what it shows is what
    `Note.objects.visible_to(...).published().without_muted_by(...)` says of the notes
    carrying a tag of the group, each once, in the same order, page after page."""
    viewer = {"visitor": AnonymousUser(), "reader": user, "author": other_user}[who]
    FollowFactory(follower=user, followee=other_user)
    MuteFactory(muter=user, muted=(muted := UserFactory()))
    BlockFactory(blocker=(blocker := UserFactory()), blocked=user)
    same_time = timezone.now() - timedelta(minutes=5)
    for author in (other_user, muted, blocker, UserFactory()):
        for visibility in ("public", "followers", "private"):
            for carried in ([meishi], [food], [meishi, food]):
                tagged(*carried, author=author, visibility=visibility, published_at=same_time)
    tagged(food, author=other_user, processing=True)
    expected = list(
        Note.objects.visible_to(viewer)
        .published()
        .without_muted_by(viewer)
        .filter(hashtags__in=[meishi, food])
        .distinct()
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
    )
    shown, cursor = [], None
    notes = tag_selectors.tag_notes(hashtag=meishi, viewer=viewer)
    while True:
        page = cursor_page(notes, cursor=cursor, key="tagged_at", size=4)
        shown += [note.pk for note in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert shown == expected and len(set(shown)) == len(shown)
    assert len(expected) == {"visitor": 12, "reader": 9, "author": 18}[who]


def test_api_lists_the_groups_notes_as_the_page_does(
    api_client, auth_api_client, client, user, linked, meishi, food
):
    notes = [
        tagged(meishi),
        tagged(meishi, food),
        tagged(food),
        tagged(food, visibility="followers"),
    ]
    page = card_ids(client.get("/tags/food/"))
    for name in ("food", "美食"):
        # Plain JSON takes the prepared pages; indented JSON the serializer.
        for accept in ("application/json", "application/json; indent=2"):
            body = api_client.get(f"/api/v1/tags/{name}/notes/", HTTP_ACCEPT=accept).json()
            assert [n["id"] for n in body["results"]] == page
    assert page == [n.pk for n in reversed(notes[:3])]
    paged = api_client.get("/api/v1/tags/美食/notes/", {"page_size": 2}).json()
    rest = api_client.get(paged["next"]).json()
    assert [n["id"] for n in paged["results"] + rest["results"]] == page
    # Someone following the author of the followers-only note sees it there too.
    FollowFactory(follower=user, followee=notes[3].author)
    mine = auth_api_client.get("/api/v1/tags/美食/notes/").json()["results"]
    assert [n["id"] for n in mine][0] == notes[3].pk


def test_api_tag_detail_names_the_group_and_counts_languages(api_client, linked, meishi, food):
    tagged(meishi, food, language="zh-Hans")
    tagged(food, language="en")
    tagged(food, language="en")
    body = api_client.get("/api/v1/tags/FOOD/").json()
    assert body["name"] == "food" and body["note_count"] == 3
    assert body["note_count_capped"] is False and body["following"] is False
    assert [t["name"] for t in body["group"]] == ["美食"]
    assert body["group"][0]["url"].endswith("/tags/%E7%BE%8E%E9%A3%9F/")
    assert body["languages"] == [
        {"language": "en", "name": "English", "notes": 2},
        {"language": "zh-Hans", "name": "Simplified Chinese", "notes": 1},
    ]
    single = api_client.get(f"/api/v1/tags/{make_tag('travel').name}/").json()
    assert single["group"] == [] and single["languages"] == []
    assert api_client.get("/api/v1/tags/nowhere/").status_code == 404


def _cards_forget() -> None:
    cache.clear()
    note_cards_forget_local()


def test_group_page_and_api_query_counts_do_not_grow(
    client, auth_api_client, user, linked, meishi, food, django_assert_max_num_queries
):
    client.force_login(user)
    for tab in ("latest", "top"):
        for n in range(2):
            tagged(meishi, food, images=2, like_count=n)
        _cards_forget()
        with django_assert_max_num_queries(14) as page:
            assert client.get(f"/tags/food/?tab={tab}").status_code == 200
        _cards_forget()
        with django_assert_max_num_queries(10) as api:
            auth_api_client.get("/api/v1/tags/food/notes/", {"tab": tab})
        for n in range(25):
            tagged(*([meishi, food] if n % 2 else [food]), images=3, like_count=n)
        _cards_forget()
        with django_assert_max_num_queries(len(page.captured_queries)):
            assert len(card_ids(client.get(f"/tags/food/?tab={tab}"))) == 24
        _cards_forget()
        with django_assert_max_num_queries(len(api.captured_queries)):
            body = auth_api_client.get("/api/v1/tags/food/notes/", {"tab": tab}).json()
        assert len(body["results"]) == 20
        Note.objects.all().delete()


def test_linking_forgets_the_topics_cached_top_and_counts(client, meishi, food, run):
    only_meishi = tagged(meishi, like_count=5)
    only_food = tagged(food, like_count=3)
    assert card_ids(client.get("/tags/food/?tab=top")) == [only_food.pk]
    assert "English" not in client.get("/api/v1/tags/food/").content.decode()
    run(services.hashtags_link, hashtags=[meishi, food])
    assert card_ids(client.get("/tags/food/?tab=top")) == [only_meishi.pk, only_food.pk]
    run(services.hashtags_unlink, hashtags=[food])
    assert card_ids(client.get("/tags/美食/?tab=top")) == [only_meishi.pk]


# --- Following one tag follows the group ----------------------------------------------------


def active_user(**kwargs):
    return UserFactory(last_active_at=timezone.now(), **kwargs)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a note with `body` the way the site does (its events, then the feed tasks)."""

    def publish(author, body, *, visibility="public"):
        note = NoteFactory(author=author, visibility="private", body=body)
        with django_capture_on_commit_callbacks(execute=True):
            services.note_update(note=note, visibility=visibility, body=body)
        note.refresh_from_db()
        return note

    return publish


def feed_ids(viewer) -> list[int]:
    return [note.pk for note in home_feed_page(viewer=viewer, cursor=None, size=50).items]


def _follow(run, user, tag):
    run(tags.hashtag_follow, user=user, hashtag=tag)


@pytest.fixture(params=["redis", "database"])
def delivery(request):
    """The home feed on one Redis (fan-out), then read from the database (no store)."""
    return request.getfixturevalue("redis_feeds" if request.param == "redis" else "no_feed_store")


def test_following_one_tag_brings_the_groups_notes(delivery, publish, run, meishi, food):
    reader, author = active_user(), active_user()
    _follow(run, reader, meishi)
    assert feed_ids(reader) == []
    before = publish(author, "Dumplings #food")
    assert feed_ids(reader) == []  # not linked yet
    run(services.hashtags_link, hashtags=[meishi, food])
    assert HashtagFollow.objects.filter(user=reader).count() == 1  # no follow written
    after = publish(author, "Noodles #food")
    both = publish(author, "Hotpot #美食 #food")
    hidden = publish(author, "Only friends #food", visibility="followers")
    shown = feed_ids(reader)
    assert after.pk in shown and both.pk in shown and shown.count(both.pk) == 1
    assert hidden.pk not in shown
    if delivery is not None:  # pushed when published, not rebuilt
        assert set(delivery.timeline_members(reader.pk)) >= {after.pk, both.pk}
    # Linked after it was published, the earlier note is not pushed; the database has it.
    assert (before.pk in shown) is (delivery is None)
    run(services.hashtags_unlink, hashtags=[food])
    later = publish(author, "Bao #food")
    assert later.pk not in feed_ids(reader)


def test_group_delivery_respects_blocks_and_mutes(delivery, publish, run, linked, food):
    reader, blocked_author, muted_author = active_user(), active_user(), active_user()
    _follow(run, reader, Hashtag.objects.get(name="美食"))
    BlockFactory(blocker=reader, blocked=blocked_author)
    MuteFactory(muter=reader, muted=muted_author)
    feed_ids(reader)
    publish(blocked_author, "Soup #food")
    publish(muted_author, "Rice #food")
    assert feed_ids(reader) == []


def test_unfollowing_from_another_tag_of_the_group_takes_its_notes_out(
    redis_feeds, publish, run, linked, meishi, food
):
    reader, author = active_user(), active_user()
    _follow(run, reader, food)
    feed_ids(reader)
    note = publish(author, "Tofu #美食")
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]
    # Unfollowing on #美食's page unfollows the topic: the follow of #food goes.
    assert run(tags.hashtag_unfollow, user=reader, hashtag=meishi)
    assert not HashtagFollow.objects.filter(user=reader).exists()
    assert redis_feeds.timeline_members(reader.pk) == []
    # Following one tag again brings the group's notes back (`reader_tag_sync`).
    _follow(run, reader, food)
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]


def test_a_deleted_notes_group_followers_lose_it(redis_feeds, publish, run, linked, meishi):
    reader, author = active_user(), active_user()
    _follow(run, reader, meishi)
    feed_ids(reader)
    note = publish(author, "Congee #food")
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]
    run(services.note_delete, note=note)
    assert redis_feeds.timeline_members(reader.pk) == []


# --- The visitor page cache -----------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.VISITOR_PAGE_CACHE_SECONDS = 30


def _visible(path: str, text: str) -> bool:
    response = Client().get(path)
    return response.status_code == 200 and text in response.content.decode()


def _posted(title: str, body: str) -> Note:
    note = NoteFactory(title=title, body=body)
    tags_and_mentions_set(note)
    return note


def test_linking_and_unlinking_bump_every_group_tags_page(page_cache, run):
    _posted("Dumplings at dawn", "#美食")
    _posted("Noodles at noon", "#food")
    meishi, food = Hashtag.objects.get(name="美食"), Hashtag.objects.get(name="food")
    extra = make_tag("foodie")
    assert not _visible("/tags/food/", "Dumplings at dawn")  # cached without it
    assert not _visible("/tags/foodie/", "Noodles")
    run(services.hashtags_link, hashtags=[meishi, food, extra])
    for path in ("/tags/food/", "/tags/foodie/", "/tags/美食/"):
        assert _visible(path, "Dumplings at dawn") and _visible(path, "Noodles at noon"), path
    run(services.hashtags_unlink, hashtags=[food])
    assert not _visible("/tags/food/", "Dumplings at dawn")
    assert not _visible("/tags/美食/", "Noodles at noon")  # a tag that stayed: bumped too
    assert not _visible("/tags/foodie/", "Noodles at noon")


def test_a_withdrawn_note_leaves_the_pages_of_its_tags_group(page_cache, run, linked):
    note = _posted("Dumplings at dawn", "#美食")
    assert _visible("/tags/food/", "Dumplings at dawn")
    run(services.note_hide, target=note)
    assert not _visible("/tags/food/", "Dumplings at dawn")


def test_a_tag_taken_off_a_note_leaves_its_groups_pages(page_cache, run, linked):
    note = _posted("Dumplings at dawn", "#美食")
    assert _visible("/tags/food/", "Dumplings at dawn")
    run(services.note_update, note=note, body="No tag now")
    assert not _visible("/tags/food/", "Dumplings at dawn")


# --- Trending -------------------------------------------------------------------------------


def test_trending_counts_a_group_once_under_its_most_used_tag(run, meishi, food):
    travel = make_tag("travel")
    for _ in range(3):
        tagged(meishi, food)
    tagged(food)
    for _ in range(3):
        tagged(travel)
    run(services.hashtags_link, hashtags=[meishi, food])
    found = {t.name: t.recent for t in trending.trending_tags(viewer=None)}
    assert found == {"food": 4, "travel": 3}  # 4 notes, not 3 + 4 links
    # A group is kept out of trending when any of its tags is.
    run(tags.trending_exclude, hashtag=meishi)
    assert [t.name for t in trending.trending_tags(viewer=None)] == ["travel"]


def test_trending_takes_a_readers_unwanted_people_out_of_a_group(run, user, meishi, food):
    unwanted = UserFactory()
    MuteFactory(muter=user, muted=unwanted)
    for _ in range(3):
        tagged(meishi, food)
    tagged(food, author=unwanted)
    tagged(meishi, food, author=unwanted)
    run(services.hashtags_link, hashtags=[meishi, food])
    assert {t.name: t.recent for t in trending.trending_tags(viewer=None)} == {"food": 5}
    assert {t.name: t.recent for t in trending.trending_tags(viewer=user)} == {"food": 3}


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    from accounts.models import User

    staff = User.objects.create_superuser("root_admin", "root@example.com", "admin-pass-123")
    client.force_login(staff)
    return client


def _action(client, action: str, *tags: Hashtag, **extra):
    return client.post(
        "/admin/notes/hashtag/",
        {"action": action, "_selected_action": [t.pk for t in tags]},
        follow=True,
        **extra,
    )


def test_admin_link_action_links_and_records_it(admin_client, meishi, food):
    note = tagged(food)
    response = _action(admin_client, "link_hashtags", meishi, food)
    assert "Linked as one topic: #food, #美食." in response.content.decode()
    group = HashtagGroup.objects.get()
    assert set(group.hashtags.all()) == {meishi, food}
    assert NoteHashtag.objects.get(note=note).group_id == group.pk
    logged = LogEntry.objects.filter(object_id__in=[str(meishi.pk), str(food.pk)])
    assert logged.count() == 2 and "Linked in" in logged.first().get_change_message()
    # One tag alone is refused with a message, nothing stored.
    solo = make_tag("solo")
    refused = _action(admin_client, "link_hashtags", solo)
    assert "Choose at least two tags to link." in refused.content.decode()
    _action(admin_client, "unlink_hashtags", food)
    assert not HashtagGroup.objects.exists()
    assert LogEntry.objects.filter(change_message__contains="Unlinked from").count() == 1


def test_admin_actions_are_for_group_moderators_and_want_csrf(meishi, food):
    from tests.notes.test_admin import staff_client

    viewer = staff_client("view_hashtag", "change_hashtag")
    changelist = viewer.get("/admin/notes/hashtag/")
    assert "link_hashtags" not in changelist.content.decode()
    viewer.post(
        "/admin/notes/hashtag/",
        {"action": "link_hashtags", "_selected_action": [meishi.pk, food.pk]},
    )
    assert not HashtagGroup.objects.exists()

    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="notes",
            codename__in=[
                "view_hashtag",
                "change_hashtag",
                "add_hashtaggroup",
                "change_hashtaggroup",
            ],
        )
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    forged = strict.post(
        "/admin/notes/hashtag/",
        {"action": "link_hashtags", "_selected_action": [meishi.pk, food.pk]},
    )
    assert forged.status_code == 403 and not HashtagGroup.objects.exists()
    allowed = Client()
    allowed.force_login(moderator)
    assert "link_hashtags" in allowed.get("/admin/notes/hashtag/").content.decode()
    _action(allowed, "link_hashtags", meishi, food)
    assert HashtagGroup.objects.get().hashtags.count() == 2


def test_admin_group_form_adds_tags_by_name_with_autocomplete(admin_client, meishi, food):
    add = admin_client.get("/admin/notes/hashtaggroup/add/").content.decode()
    assert "admin-autocomplete" in add and 'data-field-name="hashtag"' in add
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "notes", "model_name": "notehashtag", "field_name": "hashtag", "term": "foo"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["#food"]
    response = admin_client.post(
        "/admin/notes/hashtaggroup/add/", {"name": "Food", "hashtags": [meishi.pk, food.pk]}
    )
    assert response.status_code == 302
    group = HashtagGroup.objects.get()
    assert group.name == "Food" and set(group.hashtags.all()) == {meishi, food}
    assert LogEntry.objects.filter(object_id=str(group.pk)).exists()
    # Errors by field, nothing stored: one tag, or a tag of another group.
    alone = admin_client.post("/admin/notes/hashtaggroup/add/", {"hashtags": [make_tag("x").pk]})
    assert "Choose at least two tags to link." in alone.content.decode()
    taken = admin_client.post(
        "/admin/notes/hashtaggroup/add/", {"hashtags": [food.pk, make_tag("y").pk]}
    )
    assert "#food is linked in another group already" in taken.content.decode()
    assert HashtagGroup.objects.count() == 1
    # Editing drops a tag; deleting unlinks the rest.
    extra = make_tag("foodie")
    change = f"/admin/notes/hashtaggroup/{group.pk}/change/"
    admin_client.post(change, {"name": "Food", "hashtags": [meishi.pk, extra.pk]})
    assert set(group.hashtags.all()) == {meishi, extra}
    admin_client.post(f"/admin/notes/hashtaggroup/{group.pk}/delete/", {"post": "yes"})
    assert not HashtagGroup.objects.exists()
    assert set(Hashtag.objects.values_list("group", flat=True)) == {None}


def test_admin_group_pages_are_for_staff_only(client, user, linked):
    client.force_login(user)
    response = client.get("/admin/notes/hashtaggroup/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The demo -------------------------------------------------------------------------------


def test_seed_demo_links_the_hashtag_groups_once(tmp_path, django_capture_on_commit_callbacks):
    import json
    from io import StringIO

    from django.core.management import call_command

    from rednote.demo import SEED_FILE

    groups = json.loads(SEED_FILE.read_text(encoding="utf-8"))["hashtag_groups"]
    assert ["美食", "food"] in groups and ["猫咪", "cattax", "cats"] in groups
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": [], "follows": [], "hashtag_groups": groups}))
    note = tagged(make_tag("cats"))  # a tag in use already keeps its notes
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--file", str(path), stdout=out)
    assert f"{len(groups)} hashtag_groups ({len(groups)} new)" in out.getvalue()
    for names in groups:
        linked = Hashtag.objects.filter(name__in=[n.casefold() for n in names])
        assert linked.count() == len(names)
        assert len({tag.group_id for tag in linked}) == 1 and linked[0].group_id is not None
    cats = Hashtag.objects.get(name="cats")
    assert NoteHashtag.objects.get(note=note).group_id == cats.group_id
    assert Client().get("/tags/cattax/").content.decode().count(f'data-note-id="{note.pk}"') == 1

    again = StringIO()
    call_command("seed_demo", "--file", str(path), stdout=again)
    assert f"{len(groups)} hashtag_groups (0 new)" in again.getvalue()
    assert HashtagGroup.objects.count() == len(groups)


def test_a_linked_tags_page_follows_the_topic(client, user, other_user, linked, meishi, food, run):
    """Following #food shows as following on #美食's page (its followers are the topic's), and
    unfollowing there stops every follow of the group."""
    _follow(run, user, food)
    _follow(run, other_user, food)
    _follow(run, other_user, meishi)
    client.force_login(user)
    html = client.get("/tags/美食/").content.decode()
    assert 'action="/tags/%E7%BE%8E%E9%A3%9F/unfollow/"' in html
    assert "2 followers" in html  # two people, three follows
    body = client.get("/api/v1/tags/美食/").json()
    assert body["following"] is True and body["follower_count"] == 2
    client.post("/tags/美食/unfollow/")
    assert not HashtagFollow.objects.filter(user=user).exists()
    assert HashtagFollow.objects.filter(user=other_user).count() == 2
    single = make_tag("travel")
    _follow(run, user, single)
    assert client.get("/api/v1/tags/travel/").json()["follower_count"] == 1
