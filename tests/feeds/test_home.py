"""The home feed end to end: real events, eager `feeds` tasks, Redis and the database.

Notes enter circulation through the notes services (a private note widened is published; the
events go out after commit, `django_capture_on_commit_callbacks(execute=True)`), so every test
runs the receivers, the tasks and the fan-out as a worker would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as accounts_services
from feeds import fanout, receivers
from feeds.home import home_feed_page
from feeds.models import HashtagFollow
from feeds.tasks import note_fan_out_task
from notes import services as notes_services
from notes.models import Hashtag
from tests.factories import FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def active_user(**kwargs):
    return UserFactory(last_active_at=timezone.now(), **kwargs)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a note by `author` the way the site does (its events, then the feed tasks)."""

    def publish(author, *, visibility="public", body="A walk by the river."):
        note = NoteFactory(author=author, visibility="private", body=body)
        with django_capture_on_commit_callbacks(execute=True):
            notes_services.note_update(note=note, visibility=visibility, body=body)
        note.refresh_from_db()
        return note

    return publish


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """Run a service with its after-commit events and the tasks they enqueue."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def feed_ids(viewer, size=50):
    return [note.pk for note in home_feed_page(viewer=viewer, cursor=None, size=size).items]


def test_home_follower_gets_the_note_pushed_and_sees_it(feed_store, publish):
    author, follower, stranger = active_user(), active_user(), active_user()
    FollowFactory(follower=follower, followee=author)
    assert feed_ids(follower) == []  # builds the (empty) timeline
    note = publish(author)
    assert feed_store.timeline_members(follower.pk) == [note.pk]  # pushed, not rebuilt
    assert feed_ids(follower) == [note.pk]
    assert feed_ids(stranger) == [] and feed_store.timeline_members(stranger.pk) == []
    assert feed_ids(author) == []  # one's own notes are not in one's home feed


def test_home_followers_only_and_private_reach_only_who_may_see(redis_feeds, publish):
    author, follower, tag_reader = active_user(), active_user(), active_user()
    FollowFactory(follower=follower, followee=author)
    travel = Hashtag.objects.create(name="travel", display_name="travel")
    HashtagFollow.objects.create(user=tag_reader, hashtag=travel)
    for reader in (follower, tag_reader):
        feed_ids(reader)
    only_followers = publish(author, visibility="followers", body="Only you #travel")
    public = publish(author, body="Everyone #travel")
    private = NoteFactory(author=author, visibility="private")
    assert feed_ids(follower) == [public.pk, only_followers.pk]
    # The hashtag brings public notes only; followers-only ones stay with followers.
    assert feed_ids(tag_reader) == [public.pk]
    assert redis_feeds.timeline_members(tag_reader.pk) == [public.pk]
    assert private.pk not in feed_ids(follower)


def test_home_blocked_and_muted_authors_never_appear(redis_feeds, publish, run_events):
    author, muter, blocker = active_user(), active_user(), active_user()
    for reader in (muter, blocker):
        FollowFactory(follower=reader, followee=author)
        feed_ids(reader)
    first = publish(author)
    assert first.pk in redis_feeds.timeline_members(muter.pk)
    run_events(accounts_services.mute_create, muter=muter, muted=author)
    run_events(accounts_services.block_create, blocker=blocker, blocked=author)
    for reader in (muter, blocker):
        assert redis_feeds.timeline_members(reader.pk) == []
        assert feed_ids(reader) == []
    publish(author)  # the muter still follows, but is not pushed to
    assert redis_feeds.timeline_members(muter.pk) == []
    run_events(accounts_services.mute_delete, muter=muter, muted=author)
    assert set(feed_ids(muter)) == {first.pk, author.notes.latest("pk").pk}


def test_home_muted_author_hidden_even_if_the_timeline_still_holds_it(redis_feeds, publish):
    """A fan-out racing a mute may leave an entry behind: reads never show it, and drop it."""
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    note = publish(author)
    accounts_services.mute_create(muter=reader, muted=author)  # its event never runs here
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]
    assert feed_ids(reader) == []
    assert redis_feeds.timeline_members(reader.pk) == []


@pytest.mark.parametrize("change", ["delete", "hide", "narrow_to_followers", "make_private"])
def test_home_withdrawn_notes_leave_every_timeline(redis_feeds, publish, run_events, change):
    author, follower = active_user(), active_user()
    tag_reader = active_user()
    FollowFactory(follower=follower, followee=author)
    tag = Hashtag.objects.create(name="river", display_name="river")
    HashtagFollow.objects.create(user=tag_reader, hashtag=tag)
    feed_ids(follower), feed_ids(tag_reader)
    note = publish(author, body="By the #river")
    assert redis_feeds.timeline_members(tag_reader.pk) == [note.pk]
    if change == "delete":
        run_events(notes_services.note_delete, note=note)
    elif change == "hide":
        run_events(notes_services.note_hide, target=note)
    elif change == "narrow_to_followers":
        run_events(notes_services.note_update, note=note, visibility="followers")
    else:
        run_events(notes_services.note_update, note=note, visibility="private")
    # Before any read: a deleted note's tags come with its event, so the tag's readers lose it
    # too (not only on their next read).
    assert redis_feeds.timeline_members(tag_reader.pk) == []
    assert feed_ids(tag_reader) == []
    if change == "narrow_to_followers":  # followers may still read it
        assert feed_ids(follower) == [note.pk]
    else:
        assert redis_feeds.timeline_members(follower.pk) == []
        assert feed_ids(follower) == []


def test_home_unfollow_removes_and_follow_backfills(redis_feeds, publish, run_events):
    author, reader = active_user(), active_user()
    feed_ids(reader)
    older = publish(author)
    run_events(accounts_services.follow_create, follower=reader, followee=author)
    assert redis_feeds.timeline_members(reader.pk) == [older.pk]  # backfilled
    newer = publish(author)
    assert feed_ids(reader) == [newer.pk, older.pk]
    run_events(accounts_services.follow_delete, follower=reader, followee=author)
    assert redis_feeds.timeline_members(reader.pk) == []
    assert feed_ids(reader) == []


def test_home_flushed_store_rebuilds_the_same_feed(feed_store, publish):
    authors = [active_user() for _ in range(3)]
    reader = active_user()
    for author in authors:
        FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    for author in authors * 2:
        publish(author)
    before = feed_ids(reader)
    assert len(before) == 6
    feed_store.flush()  # FLUSHALL (every node on a cluster)
    assert feed_ids(reader) == before
    assert feed_store.timeline_exists(reader.pk)


def test_home_fan_out_task_twice_leaves_one_entry(feed_store, publish):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    note = publish(author)
    for _ in range(2):  # redelivered after a lost worker
        note_fan_out_task.apply(kwargs={"note_id": note.pk, "author_id": author.pk})
    assert feed_store.timeline_members(reader.pk) == [note.pk]
    assert feed_ids(reader) == [note.pk]


def test_home_pages_stay_stable_while_notes_arrive(feed_store, publish):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    notes = [publish(author) for _ in range(5)]
    first = home_feed_page(viewer=reader, cursor=None, size=2)
    publish(author)
    publish(author)
    second = home_feed_page(viewer=reader, cursor=first.next_cursor, size=2)
    third = home_feed_page(viewer=reader, cursor=second.next_cursor, size=2)
    seen = [n.pk for n in first.items + second.items + third.items]
    assert seen == [n.pk for n in reversed(notes)]
    assert third.next_cursor is None


def test_home_inactive_follower_not_pushed_but_rebuilt_on_return(redis_feeds, publish):
    author = active_user()
    away = UserFactory(last_active_at=timezone.now() - timedelta(days=8))
    FollowFactory(follower=away, followee=author)
    note = publish(author)
    assert not redis_feeds.client.exists(redis_feeds.timeline_key(away.pk))
    assert feed_ids(away) == [note.pk]  # missing timeline: rebuilt from PostgreSQL


def test_home_authors_above_the_threshold_are_merged_at_read(feed_store, publish, settings):
    settings.FEED_PULL_THRESHOLD = 1
    star, friend, reader = active_user(), active_user(), active_user()
    FollowFactory(follower=reader, followee=star)
    FollowFactory(follower=active_user(), followee=star)
    FollowFactory(follower=reader, followee=friend)
    feed_ids(reader)
    from_star = publish(star)
    from_friend = publish(friend)
    assert feed_store.timeline_members(reader.pk) == [from_friend.pk]  # the star is pulled
    assert feed_store.pull_authors() == {star.pk}
    assert feed_ids(reader) == [from_friend.pk, from_star.pk]
    page = home_feed_page(viewer=reader, cursor=None, size=1)
    assert [n.pk for n in page.items] == [from_friend.pk]
    rest = home_feed_page(viewer=reader, cursor=page.next_cursor, size=1)
    assert [n.pk for n in rest.items] == [from_star.pk] and rest.next_cursor is None


def test_home_suspended_author_leaves_timelines(redis_feeds, publish, run_events):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    publish(author)
    run_events(accounts_services.user_suspend, user=author)
    assert redis_feeds.timeline_members(reader.pk) == []
    assert feed_ids(reader) == []


def test_home_unsuspended_author_comes_back_through_a_rebuild(redis_feeds, publish, run_events):
    author, reader, other_reader = active_user(), active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    FollowFactory(follower=other_reader, followee=author)
    feed_ids(reader), feed_ids(other_reader)
    note = publish(author)
    run_events(accounts_services.user_suspend, user=author)
    assert feed_ids(reader) == []
    author.refresh_from_db()

    run_events(accounts_services.user_unsuspend, user=author)

    assert not redis_feeds.timeline_exists(reader.pk)  # dropped, to be rebuilt
    assert feed_ids(reader) == [note.pk] and feed_ids(other_reader) == [note.pk]
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]


def test_home_restore_leaves_timelines_alone_if_suspended_again(redis_feeds, publish, run_events):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    publish(author)
    run_events(accounts_services.user_suspend, user=author)
    feed_ids(reader)
    fanout.author_restore_chunk(author_id=author.pk, reader_ids=[reader.pk])  # late, still out
    assert redis_feeds.timeline_exists(reader.pk)
    assert feed_ids(reader) == []


def test_home_restore_of_a_pulled_author_drops_nothing(redis_feeds, publish, settings):
    settings.FEED_PULL_THRESHOLD = 0  # every author with a follower is merged at read time
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    assert fanout.author_restore(author_id=author.pk) == 0
    assert redis_feeds.timeline_exists(reader.pk)


def test_home_at_most_one_task_per_thousand_followers(feed_store, publish):
    from celery.signals import task_prerun

    from accounts.models import Follow, User

    author = active_user()
    now = timezone.now()
    readers = User.objects.bulk_create(
        User(handle=f"reader{i}", email=f"reader{i}@example.com", last_active_at=now)
        for i in range(2_500)
    )
    Follow.objects.bulk_create(Follow(follower=r, followee=author) for r in readers)
    ran: list[str] = []

    def count(sender=None, **_kwargs):
        ran.append(sender.name)

    task_prerun.connect(count, weak=False, dispatch_uid="count-feed-tasks")
    try:
        note = publish(author)
    finally:
        task_prerun.disconnect(dispatch_uid="count-feed-tasks")
    feed_tasks = [name for name in ran if name.startswith("feeds.note_")]
    assert feed_tasks.count("feeds.note_fan_out") == 1
    assert feed_tasks.count("feeds.note_sync_chunk") == 3
    for reader in (readers[0], readers[1_234], readers[-1]):
        assert feed_store.timeline_members(reader.pk) == [note.pk]


def test_home_database_path_gives_the_redis_path_notes(settings, publish, redis_feeds):
    authors = [active_user() for _ in range(3)]
    reader = active_user()
    tag = Hashtag.objects.create(name="food", display_name="food")
    HashtagFollow.objects.create(user=reader, hashtag=tag)
    for author in authors[:2]:
        FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    for author in authors * 3:
        publish(author, body="Dumplings #food")
    publish(authors[2], visibility="followers", body="Not for you #food")
    from_redis = []
    cursor = None
    while True:
        page = home_feed_page(viewer=reader, cursor=cursor, size=4)
        from_redis += [n.pk for n in page.items]
        if not (cursor := page.next_cursor):
            break
    settings.FEEDS_REDIS_URL = ""
    from_database, cursor = [], None
    while True:
        page = home_feed_page(viewer=reader, cursor=cursor, size=4)
        from_database += [n.pk for n in page.items]
        if not (cursor := page.next_cursor):
            break
    assert len(from_redis) == 9 and from_database == from_redis


def test_home_rebuild_command_rebuilds_active_readers(redis_feeds, publish):
    from django.core.management import call_command

    author, reader = active_user(), active_user()
    away = UserFactory(last_active_at=timezone.now() - timedelta(days=30))
    FollowFactory(follower=reader, followee=author)
    FollowFactory(follower=away, followee=author)
    note = publish(author)
    redis_feeds.flush()
    call_command("rebuild_feeds", verbosity=0)
    assert redis_feeds.timeline_members(reader.pk) == [note.pk]
    assert not redis_feeds.timeline_exists(away.pk)


def test_home_pull_authors_recomputed_after_a_flush(redis_feeds, settings):
    settings.FEED_PULL_THRESHOLD = 1
    star = active_user()
    FollowFactory(followee=star)
    FollowFactory(followee=star)
    assert fanout.pull_authors(redis_feeds) == {star.pk}
    redis_feeds.flush()
    assert redis_feeds.pull_authors() is None
    assert fanout.pull_authors(redis_feeds) == {star.pk}


def test_home_following_a_hashtag_brings_its_public_notes_and_unfollowing_takes_them(
    redis_feeds, publish, run_events
):
    from feeds import tags

    author, reader = active_user(), active_user()
    feed_ids(reader)
    public = publish(author, body="Spring rolls #snacks")
    publish(author, visibility="followers", body="For followers #snacks")
    snacks = Hashtag.objects.get(name="snacks")
    run_events(tags.hashtag_follow, user=reader, hashtag=snacks)
    assert redis_feeds.timeline_members(reader.pk) == [public.pk]
    assert feed_ids(reader) == [public.pk]
    # Following the author too keeps the note when the tag goes.
    run_events(accounts_services.follow_create, follower=reader, followee=author)
    run_events(tags.hashtag_unfollow, user=reader, hashtag=snacks)
    assert public.pk in redis_feeds.timeline_members(reader.pk)
    run_events(accounts_services.follow_delete, follower=reader, followee=author)
    assert redis_feeds.timeline_members(reader.pk) == []
    assert feed_ids(reader) == []


def test_home_unfollowing_keeps_what_a_followed_hashtag_brings(redis_feeds, publish, run_events):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    feed_ids(reader)
    tagged = publish(author, body="Hotpot #chongqing")
    untagged = publish(author, body="Just a walk")
    HashtagFollow.objects.create(user=reader, hashtag=Hashtag.objects.get(name="chongqing"))
    run_events(accounts_services.follow_delete, follower=reader, followee=author)
    assert redis_feeds.timeline_members(reader.pk) == [tagged.pk]
    assert untagged.pk not in feed_ids(reader)


def test_home_feed_read_from_the_database_while_its_redis_is_down(settings, publish, redis_feeds):
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    notes = [publish(author) for _ in range(3)]
    settings.FEEDS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    page = home_feed_page(viewer=reader, cursor=None, size=2)
    rest = home_feed_page(viewer=reader, cursor=page.next_cursor, size=2)
    assert [n.pk for n in page.items + rest.items] == [n.pk for n in reversed(notes)]


def test_home_hashtag_added_by_an_edit_reaches_its_followers(redis_feeds, publish, run_events):
    author, tag_reader = active_user(), active_user()
    river = Hashtag.objects.create(name="river", display_name="river")
    HashtagFollow.objects.create(user=tag_reader, hashtag=river)
    assert feed_ids(tag_reader) == []  # builds the (empty) timeline
    note = publish(author, body="A walk.")
    only_followers = publish(author, visibility="followers", body="Ours.")
    run_events(notes_services.note_update, note=note, body="A walk. #river")
    run_events(notes_services.note_update, note=only_followers, body="Ours. #river")
    assert redis_feeds.timeline_members(tag_reader.pk) == [note.pk]
    assert feed_ids(tag_reader) == [note.pk]


def test_home_feed_and_follows_work_while_its_redis_cluster_is_unreachable(
    settings, publish, redis_feeds, monkeypatch
):
    """A cluster client connects when it is made: an unreachable cluster must not turn the
    page (or a follow's event, which only enqueues) into an error."""
    author, reader = active_user(), active_user()
    FollowFactory(follower=reader, followee=author)
    note = publish(author)
    settings.FEEDS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.FEEDS_REDIS_CLUSTER = True
    assert [n.pk for n in home_feed_page(viewer=reader, cursor=None, size=5).items] == [note.pk]
    sent = []
    monkeypatch.setattr(receivers, "enqueue_on_commit", lambda task, **kwargs: sent.append(task))
    receivers.on_follow_changed(follower_id=reader.pk, followee_id=author.pk)
    assert sent == ["feeds.reader_author_sync"]  # the task retries until the cluster is back
