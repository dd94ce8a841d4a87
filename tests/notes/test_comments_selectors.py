"""Comment selectors: what a viewer sees of a thread (blocks either way, mutes collapsed,
hidden comments, invisible notes), previews and expansion, liked flags, query budgets."""

import pytest
from django.http import Http404

from notes import comments_selectors as selectors
from notes import services
from notes.models import Visibility
from tests.factories import BlockFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(user):
    return NoteFactory(author=user, title="Chengdu hotpot")


@pytest.fixture
def carol(db):
    return UserFactory(handle="carol")


def _bodies(page):
    return [c.body for c in page.comments]


def test_thread_newest_first_with_two_reply_previews_and_the_rest_counted(
    note, user, other_user, carol
):
    first = services.comment_create(author=other_user, note=note, body="first")
    for n in range(5):
        services.comment_create(author=carol, note=note, body=f"reply {n}", parent=first)
    services.comment_create(author=carol, note=note, body="second")
    page = selectors.note_thread(viewer=user, note=note)
    assert _bodies(page) == ["second", "first"]
    top = page.comments[1]
    assert [r.body for r in top.previews] == ["reply 0", "reply 1"]
    assert top.more_replies == 3
    rest = selectors.comment_replies(viewer=user, comment=top, cursor=top.replies_cursor)
    assert [r.body for r in rest.replies] == ["reply 2", "reply 3", "reply 4"]
    assert rest.next_cursor is None


def test_replies_page_in_order_across_pages(note, user, other_user):
    top = services.comment_create(author=other_user, note=note, body="top")
    for n in range(5):
        services.comment_create(author=user, note=note, body=f"r{n}", parent=top)
    first = selectors.comment_replies(viewer=None, comment=top, size=2)
    second = selectors.comment_replies(viewer=None, comment=top, cursor=first.next_cursor, size=2)
    third = selectors.comment_replies(viewer=None, comment=top, cursor=second.next_cursor, size=2)
    seen = [r.body for p in (first, second, third) for r in p.replies]
    assert seen == ["r0", "r1", "r2", "r3", "r4"]
    assert third.next_cursor is None


def test_thread_pages_follow_the_cursor(note, other_user):
    for n in range(5):
        services.comment_create(author=other_user, note=note, body=f"c{n}")
    first = selectors.note_thread(viewer=None, note=note, size=3)
    second = selectors.note_thread(viewer=None, note=note, cursor=first.next_cursor, size=3)
    assert _bodies(first) + _bodies(second) == ["c4", "c3", "c2", "c1", "c0"]
    assert second.next_cursor is None


@pytest.mark.parametrize("direction", ["viewer_blocks", "blocks_viewer"])
def test_blocked_either_way_never_shown_nor_their_threads(note, user, other_user, carol, direction):
    theirs = services.comment_create(author=other_user, note=note, body="theirs")
    services.comment_create(author=carol, note=note, body="under theirs", parent=theirs)
    mine = services.comment_create(author=carol, note=note, body="carol's")
    services.comment_create(author=other_user, note=note, body="their reply", parent=mine)
    services.comment_create(author=carol, note=note, body="carol again", parent=mine)
    if direction == "viewer_blocks":
        BlockFactory(blocker=user, blocked=other_user)
    else:
        BlockFactory(blocker=other_user, blocked=user)
    page = selectors.note_thread(viewer=user, note=note)
    assert _bodies(page) == ["carol's"]
    assert [r.body for r in page.comments[0].previews] == ["carol again"]
    assert page.comments[0].more_replies == 0
    with pytest.raises(Http404):
        selectors.comment_get_visible(viewer=user, comment_id=theirs.pk)
    # A visitor sees everything.
    assert len(selectors.note_thread(viewer=None, note=note).comments) == 2


def test_muted_people_are_collapsed_for_the_muter_only(note, user, other_user, carol):
    comment = services.comment_create(author=other_user, note=note, body="loud")
    services.comment_create(author=other_user, note=note, body="loud reply", parent=comment)
    MuteFactory(muter=user, muted=other_user)
    page = selectors.note_thread(viewer=user, note=note)
    assert page.comments[0].collapsed is True
    assert page.comments[0].previews[0].collapsed is True
    assert selectors.note_thread(viewer=carol, note=note).comments[0].collapsed is False


def test_hidden_comments_and_the_replies_under_them_are_never_shown(note, user, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    reply = services.comment_create(author=carol, note=note, body="reply", parent=top)
    services.comment_hide(target=reply)
    page = selectors.note_thread(viewer=user, note=note)
    assert page.comments[0].previews == [] and page.comments[0].more_replies == 0
    services.comment_unhide(target=reply)
    services.comment_hide(target=top)
    assert selectors.note_thread(viewer=user, note=note).comments == []
    with pytest.raises(Http404):
        selectors.comment_get_visible(viewer=user, comment_id=reply.pk)


def test_inactive_authors_are_not_shown(note, user, other_user):
    services.comment_create(author=other_user, note=note, body="gone soon")
    other_user.is_active = False
    other_user.save()
    assert selectors.note_thread(viewer=user, note=note).comments == []


def test_comment_of_a_note_the_viewer_may_not_see_is_404(user, other_user, carol):
    note = NoteFactory(author=user)
    comment = services.comment_create(author=other_user, note=note, body="x")
    note.visibility = Visibility.PRIVATE
    note.save()
    with pytest.raises(Http404):
        selectors.comment_get_visible(viewer=carol, comment_id=comment.pk)
    assert selectors.comment_get_visible(viewer=user, comment_id=comment.pk) == comment


def test_liked_flag_for_the_viewer(note, user, other_user):
    comment = services.comment_create(author=other_user, note=note, body="x")
    reply = services.comment_create(author=user, note=note, body="y", parent=comment)
    services.comment_like(user=user, comment=reply)
    page = selectors.note_thread(viewer=user, note=note)
    assert page.comments[0].viewer_liked is False
    assert page.comments[0].previews[0].viewer_liked is True
    assert (
        selectors.note_thread(viewer=other_user, note=note).comments[0].previews[0].viewer_liked
        is False
    )


@pytest.mark.parametrize("size", [3, 12])
def test_thread_query_budget_is_constant_in_page_size(
    note, user, django_assert_max_num_queries, size
):
    people = [UserFactory() for _ in range(3)]
    for n in range(size):
        top = services.comment_create(author=people[n % 3], note=note, body=f"c{n}")
        for m in range(3):
            services.comment_create(author=people[m], note=note, body="r", parent=top)
    with django_assert_max_num_queries(2):
        page = selectors.note_thread(viewer=user, note=note, size=size)
        for comment in page.comments:
            assert comment.author.handle and comment.more_replies == 1
            for reply in comment.previews:
                assert reply.author.handle and reply.reply_to.handle
    assert len(page.comments) == size
