"""The inbox built from real events: the notes and accounts services send them after commit,
the receivers enqueue the `notifications` tasks (eager), the services apply the rules."""

import pytest

from accounts import services as accounts_services
from notes import services as notes_services
from notes.models import NoteLike
from notifications import selectors, services
from notifications.models import Notification, NotificationActor, NotificationKind
from tests.factories import BoardFactory, FollowFactory, NoteFactory, UserFactory

from .conftest import entries_of

pytestmark = pytest.mark.django_db


def shown(user, tab=None) -> list[Notification]:
    return list(selectors.notifications_of(recipient=user, tab=tab).order_by("-updated_at"))


def test_likes_of_one_note_group_into_one_entry(run_events):
    author = UserFactory(handle="mei")
    note = NoteFactory(author=author)
    fans = [UserFactory(handle=f"fan{i}") for i in range(13)]
    for fan in fans:
        run_events(notes_services.note_like, user=fan, note=note)

    [entry] = shown(author)
    assert entry.kind == NotificationKind.LIKE
    assert entry.actor_count == 13 and entry.others_count == 12
    assert entry.actor == fans[-1]  # the latest is named first
    assert [link.actor for link in entry.shown_actors] == fans[-1:-4:-1]
    assert selectors.unread_counts(recipient=author).likes == 1


def test_unlike_takes_the_person_out_and_the_entry_goes_when_empty(run_events):
    author, ann, bo = UserFactory(), UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=ann, note=note)
    run_events(notes_services.note_like, user=bo, note=note)

    run_events(notes_services.note_unlike, user=bo, note=note)
    [entry] = entries_of(author)
    assert (entry.actor_count, entry.actor) == (1, ann)

    run_events(notes_services.note_unlike, user=ann, note=note)
    assert entries_of(author) == []
    assert NotificationActor.objects.count() == 0


def test_a_like_after_reading_opens_a_new_entry(run_events):
    author, ann, bo = UserFactory(), UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=ann, note=note)
    assert services.notifications_read(recipient=author) == 1

    run_events(notes_services.note_like, user=bo, note=note)
    newest, older = entries_of(author)
    assert (newest.actor, newest.is_read, older.actor, older.is_read) == (bo, False, ann, True)
    # An unlike now leaves the read entry as it was read.
    run_events(notes_services.note_unlike, user=ann, note=note)
    assert [e.actor_count for e in entries_of(author)] == [1, 1]


def test_a_task_delivered_twice_or_late_changes_nothing_more(run_events):
    author, ann = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=ann, note=note)
    services.notifications_read(recipient=author)

    services.note_like_notify(note_id=note.pk, user_id=ann.pk)  # redelivered
    assert len(entries_of(author)) == 1

    # A like's task that runs after the unlike: the like no longer stands, nobody is added.
    notes_services.note_unlike(user=ann, note=note)
    assert services.note_like_notify(note_id=note.pk, user_id=ann.pk) is None


def test_no_notification_to_yourself(run_events):
    author = UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=author, note=note)
    run_events(notes_services.note_collect, user=author, note=note)
    assert entries_of(author) == []


@pytest.mark.parametrize("relation", ["author_blocks", "fan_blocks", "author_mutes"])
def test_none_from_people_in_a_block_or_muted(run_events, relation):
    author, fan = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    if relation == "author_blocks":
        accounts_services.block_create(blocker=author, blocked=fan)
    elif relation == "fan_blocks":
        accounts_services.block_create(blocker=fan, blocked=author)
    else:
        accounts_services.mute_create(muter=author, muted=fan)
    # The like's row stands (made before the block, or a mute): the rule refuses at write.
    NoteLike.objects.get_or_create(user=fan, note=note)
    assert services.note_like_notify(note_id=note.pk, user_id=fan.pk) is None
    assert entries_of(author) == []


def test_a_block_or_mute_later_takes_the_person_out_and_reads_hide_them_at_once(run_events):
    author, fan, other = UserFactory(), UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=fan, note=note)
    run_events(notes_services.note_like, user=other, note=note)
    run_events(accounts_services.follow_create, follower=fan, followee=author)
    assert selectors.unread_counts(recipient=author).total == 2

    # Before the task runs, reads already leave the person out.
    accounts_services.mute_create(muter=author, muted=fan)
    assert [e.kind for e in shown(author)] == [NotificationKind.LIKE]
    [entry] = shown(author)
    assert [link.actor for link in entry.shown_actors] == [other]

    run_events(accounts_services.mute_delete, muter=author, muted=fan)  # no task for this
    run_events(accounts_services.block_create, blocker=fan, blocked=author)
    [entry] = entries_of(author)
    assert (entry.kind, entry.actor_count, entry.actor) == (NotificationKind.LIKE, 1, other)
    assert selectors.unread_counts(recipient=author).total == 1


def test_none_about_a_note_the_recipient_may_not_see(run_events):
    author, bob = UserFactory(), UserFactory(handle="bob")
    note = NoteFactory(author=author, visibility="private", body="Hi @bob")
    # Followers-only, and bob does not follow: mentioning him tells him nothing.
    run_events(notes_services.note_update, note=note, visibility="followers", body="Hi @bob")
    assert entries_of(bob) == []

    FollowFactory(follower=bob, followee=author)
    other = NoteFactory(author=author, visibility="private", body="")
    run_events(notes_services.note_update, note=other, visibility="followers", body="Hey @bob")
    [entry] = entries_of(bob)
    assert (entry.kind, entry.note, entry.actor) == (NotificationKind.NOTE_MENTION, other, author)
    assert selectors.unread_counts(recipient=bob).comments == 1

    # Made private again: the entry stays stored but is not shown, nor counted.
    run_events(notes_services.note_update, note=other, visibility="private")
    assert shown(bob) == []
    assert selectors.unread_counts(recipient=bob).total == 0


def test_a_deleted_note_drops_its_notifications(run_events):
    author, fan = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=fan, note=note)
    assert selectors.unread_counts(recipient=author).likes == 1

    run_events(notes_services.note_delete, note=note)
    assert entries_of(author) == []
    assert selectors.unread_counts(recipient=author).total == 0


def test_a_hidden_note_is_filtered_and_comes_back_when_unhidden(run_events):
    author, fan = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=fan, note=note)
    run_events(notes_services.note_hide, target=note)
    assert shown(author) == [] and selectors.unread_counts(recipient=author).total == 0
    run_events(notes_services.note_unhide, target=note)
    assert len(shown(author)) == 1


def test_collects_group_per_person_and_uncollect_counts_boards(run_events):
    author, fan = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    board = BoardFactory(owner=fan)
    run_events(notes_services.note_collect, user=fan, note=note)
    run_events(notes_services.note_collect, user=fan, note=note, board=board)
    [entry] = entries_of(author)
    assert (entry.kind, entry.actor_count) == (NotificationKind.COLLECT, 1)

    run_events(notes_services.note_uncollect, user=fan, note=note, board=board)
    assert entries_of(author)[0].actor_count == 1  # still in "Saved"
    run_events(notes_services.note_uncollect, user=fan, note=note)
    assert entries_of(author) == []


def test_follows_are_one_entry_each_and_an_unfollow_takes_it_back(run_events):
    mei, ann, bo = UserFactory(), UserFactory(), UserFactory()
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    run_events(accounts_services.follow_create, follower=bo, followee=mei)
    assert [e.actor for e in entries_of(mei, kind="follow")] == [bo, ann]
    assert selectors.unread_counts(recipient=mei).follows == 2

    run_events(accounts_services.follow_delete, follower=bo, followee=mei)
    assert [e.actor for e in entries_of(mei)] == [ann]
    assert selectors.unread_counts(recipient=mei).follows == 1


def test_read_marks_all_a_tab_or_some_ids_of_your_own_only(run_events):
    mei, ann = UserFactory(), UserFactory()
    note = NoteFactory(author=mei)
    run_events(notes_services.note_like, user=ann, note=note)
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    ann_note = NoteFactory(author=ann)
    run_events(notes_services.note_like, user=mei, note=ann_note)
    theirs = entries_of(ann)[0]

    read = services.notifications_read
    assert run_events(read, recipient=mei, ids=[theirs.pk]) == 0
    assert run_events(read, recipient=mei, tab="follows") == 1
    counts = selectors.unread_counts(recipient=mei)
    assert (counts.likes, counts.follows, counts.total) == (1, 0, 1)
    assert run_events(read, recipient=mei) == 1
    assert selectors.unread_counts(recipient=mei).total == 0
    assert selectors.unread_counts(recipient=ann).total == 1


def test_unread_counts_are_cached_and_dropped_on_change(run_events, django_assert_num_queries):
    author, fan = UserFactory(), UserFactory()
    note = NoteFactory(author=author)
    run_events(notes_services.note_like, user=fan, note=note)
    selectors.unread_counts(recipient=author)
    with django_assert_num_queries(0):
        assert selectors.unread_counts(recipient=author).total == 1
    run_events(notes_services.note_unlike, user=fan, note=note)
    assert selectors.unread_counts(recipient=author).total == 0


def test_a_suspended_person_drops_out_of_the_counts_and_comes_back(run_events):
    from accounts.services.users import user_suspend, user_unsuspend

    author, fan = UserFactory(), UserFactory()
    run_events(notes_services.note_like, user=fan, note=NoteFactory(author=author))
    assert selectors.unread_counts(recipient=author).total == 1
    run_events(user_suspend, user=fan)
    assert shown(author) == [] and selectors.unread_counts(recipient=author).total == 0
    run_events(user_unsuspend, user=fan)
    assert selectors.unread_counts(recipient=author).total == 1


def test_an_unfollow_redoes_the_followers_counts(run_events):
    author, reader = UserFactory(), UserFactory(handle="reader")
    run_events(accounts_services.follow_create, follower=reader, followee=author)
    note = NoteFactory(author=author, visibility="private", body="")
    run_events(notes_services.note_update, note=note, visibility="followers", body="@reader hi")
    assert selectors.unread_counts(recipient=reader).comments == 1
    run_events(accounts_services.follow_delete, follower=reader, followee=author)
    assert selectors.unread_counts(recipient=reader).total == 0
