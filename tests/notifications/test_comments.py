"""Comment kinds from notes' comment services (their events after commit, the tasks eager):
a comment on your note, a reply to your comment, a mention in a comment, likes of your comment
grouped; deleted and hidden comments; the snippet on the page, escaped."""

import pytest
from django.test import Client

from accounts import services as accounts_services
from notes.services import comments as comment_services
from notifications import selectors
from notifications.models import NotificationKind
from tests.factories import NoteFactory, UserFactory

from .conftest import entries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        name: UserFactory(handle=name, display_name=name.title())
        for name in ("mei", "ann", "bo", "cy")
    }


def comment(run_events, author, note, body, parent=None):
    return run_events(
        comment_services.comment_create, author=author, note=note, body=body, parent=parent
    )


def kinds(user):
    return [(e.kind, e.actor.handle) for e in entries_of(user)]


def test_comment_reply_and_mentions_reach_the_right_people_once(run_events, people):
    mei, ann, bo, cy = people["mei"], people["ann"], people["bo"], people["cy"]
    note = NoteFactory(author=mei)
    top = comment(run_events, ann, note, "Looks great @cy")
    assert kinds(mei) == [(NotificationKind.COMMENT, "ann")]
    assert kinds(cy) == [(NotificationKind.COMMENT_MENTION, "ann")]

    # A reply tells the person answered; mentioning them too tells them once.
    reply = comment(run_events, bo, note, "@ann agreed, and @mei", parent=top)
    assert kinds(ann) == [(NotificationKind.REPLY, "bo")]
    assert kinds(mei)[0] == (NotificationKind.COMMENT_MENTION, "bo")
    [entry] = [e for e in entries_of(ann)]
    assert entry.comment_id == reply.pk and entry.note_id == note.pk
    assert selectors.unread_counts(recipient=ann).comments == 1

    # Your own comment on your own note tells nobody.
    comment(run_events, mei, note, "Thanks!")
    assert len(entries_of(mei)) == 2


def test_comment_likes_group_and_unlike_shrinks(run_events, people):
    mei, ann, bo, cy = people["mei"], people["ann"], people["bo"], people["cy"]
    note = NoteFactory(author=mei)
    mine = comment(run_events, ann, note, "First")
    for fan in (bo, cy, mei):
        run_events(comment_services.comment_like, user=fan, comment=mine)
    [entry] = entries_of(ann, kind=NotificationKind.COMMENT_LIKE)
    assert (entry.actor_count, entry.actor, entry.tab) == (3, mei, "likes")

    run_events(comment_services.comment_unlike, user=mei, comment=mine)
    [entry] = entries_of(ann, kind=NotificationKind.COMMENT_LIKE)
    assert (entry.actor_count, entry.actor) == (2, cy)


def test_deleting_a_thread_drops_the_entries_of_its_replies(run_events, people):
    mei, ann, bo = people["mei"], people["ann"], people["bo"]
    note = NoteFactory(author=mei)
    top = comment(run_events, ann, note, "Top")
    comment(run_events, bo, note, "Reply", parent=top)
    assert kinds(ann) == [(NotificationKind.REPLY, "bo")]

    run_events(comment_services.comment_delete, actor=ann, comment=top)
    assert entries_of(ann) == [] and entries_of(mei) == []
    assert selectors.unread_counts(recipient=mei).total == 0


def test_hidden_comment_and_blocked_commenter_are_not_shown(run_events, people):
    mei, ann, bo = people["mei"], people["ann"], people["bo"]
    note = NoteFactory(author=mei)
    hidden = comment(run_events, ann, note, "Spam")
    comment(run_events, bo, note, "Nice")
    run_events(comment_services.comment_hide, target=hidden)
    assert [e.actor for e in selectors.notifications_of(recipient=mei)] == [bo]

    run_events(accounts_services.block_create, blocker=mei, blocked=bo)
    assert list(selectors.notifications_of(recipient=mei)) == []


def test_comments_tab_shows_the_snippet_escaped(run_events, people):
    mei, ann = people["mei"], people["ann"]
    note = NoteFactory(author=mei)
    comment(run_events, ann, note, '<b onmouseover="x">hi</b> 太好了')
    client = Client()
    client.force_login(mei)
    html = client.get("/notifications/", {"tab": "comments"}).content.decode()
    assert "commented on your note" in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;hi&lt;/b&gt; 太好了" in html
    assert "<b onmouseover" not in html

    api = client.get("/api/v1/notifications/", {"tab": "comments"}).json()
    [entry] = api["results"]
    assert entry["comment"]["body"] == '<b onmouseover="x">hi</b> 太好了'


def test_comments_tab_queries_do_not_grow_with_the_page(
    run_events, people, django_assert_max_num_queries
):
    from django.db import reset_queries

    mei = people["mei"]
    client = Client()
    client.force_login(mei)

    def fill(count):
        for _ in range(count):
            note = NoteFactory(author=mei, images=2)
            top = comment(run_events, UserFactory(), note, "Nice @mei")
            mine = comment(run_events, mei, note, "Thanks", parent=top)
            comment(run_events, UserFactory(), note, "Me too", parent=mine)

    fill(1)
    client.get("/notifications/", {"tab": "comments"})
    reset_queries()
    with django_assert_max_num_queries(12) as small:
        client.get("/notifications/", {"tab": "comments"})
    budget = len(small)
    fill(8)
    client.get("/notifications/", {"tab": "comments"})
    reset_queries()
    with django_assert_max_num_queries(budget):
        html = client.get("/notifications/", {"tab": "comments"}).content.decode()
    assert html.count('data-testid="notification"') == 18  # a comment and a reply to mei each


def test_hiding_a_comment_redoes_the_counts(run_events, people):
    mei, ann = people["mei"], people["ann"]
    note = NoteFactory(author=mei)
    spam = comment(run_events, ann, note, "Spam")
    assert selectors.unread_counts(recipient=mei).comments == 1
    run_events(comment_services.comment_hide, target=spam)
    assert selectors.unread_counts(recipient=mei).comments == 0
