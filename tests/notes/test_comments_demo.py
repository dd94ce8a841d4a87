"""`seed_demo`'s comments section: the 268 comments of the data set as two-level threads, each
answering whom the seed says, in the seed's languages, with consistent counters; loading twice
adds nothing. The notes are made by the factory (the photo pipeline is tested in test_demo)."""

from collections import Counter

import pytest
from django.db.models import Count

from accounts.demo import follows_load, users_load
from accounts.models import User
from notes.demo import comments_load
from notes.models import Comment, CommentLike, Note
from rednote.demo import DemoContext, demo_sections
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    context = DemoContext.from_file()
    users_load(context)
    follows_load(context)
    for row in context.data["notes"]:
        author = User.objects.get(handle=row["author"])
        note = NoteFactory(
            author=author, title=row["title"], body=row["body"], visibility=row["visibility"]
        )
        context.loaded["notes"][row["key"]] = note
        context.loaded["notes_published"][row["key"]] = note.published_at
    return context


def test_comments_section_runs_after_notes_and_before_ranking():
    order = [section.name for section in demo_sections()]
    assert order.index("notes") < order.index("comments") < order.index("discover_ranks")


def test_seed_comments_load_as_two_level_threads(context):
    rows = context.data["comments"]
    result = comments_load(context)
    assert (result.total, result.created) == (268, 268)
    assert Comment.objects.count() == 268
    by_row = {}
    for row in rows:
        note = context.loaded["notes"][row["note"]]
        comment = Comment.objects.get(note=note, author__handle=row["author"], body=row["body"])
        by_row[row["key"]] = comment
        assert comment.language == row["language"]
        if row["parent"] is None:
            assert comment.parent_id is None and comment.reply_to_id is None
        else:
            assert comment.parent == by_row[row["parent"]]
            assert comment.reply_to.handle == row["reply_to"]
            assert comment.created_at > comment.parent.created_at
        assert comment.created_at > note.published_at
    assert Counter(c.parent_id is None for c in by_row.values()) == {True: 147, False: 121}
    # Counters agree with the rows.
    for note in Note.objects.annotate(n=Count("comments")):
        assert note.comment_count == note.n
    for top in Comment.objects.filter(parent=None).annotate(n=Count("replies")):
        assert top.reply_count == top.n
    for comment in Comment.objects.annotate(n=Count("likes")):
        assert comment.like_count == comment.n
    assert CommentLike.objects.count() == 0


def test_seed_comments_twice_adds_nothing(context):
    comments_load(context)
    again = comments_load(context)
    assert (again.total, again.created) == (268, 0)
    assert Comment.objects.count() == 268
    assert sum(Note.objects.values_list("comment_count", flat=True)) == 268


def test_seed_comments_of_notes_left_out_are_skipped(context):
    kept = {"n01", "n02"}
    context.loaded["notes"] = {k: v for k, v in context.loaded["notes"].items() if k in kept}
    result = comments_load(context)
    expected = sum(1 for row in context.data["comments"] if row["note"] in kept)
    assert result.total == result.created == expected
    assert Comment.objects.count() == expected
