"""`seed_demo`'s reading-aids section (`demo/reading.json`): a reader from Taiwan and her
comments in Traditional Chinese on the seed's notes, after the seed's comments, each with its
human translation; a Simplified Chinese reader sees them converted. Loading twice adds nothing;
comments on notes left out are skipped. The seed file itself is left as it is."""

import json

import pytest

from accounts.demo import follows_load, users_load
from accounts.models import User
from notes.demo import READING_DEMO_FILE, comments_load, reading_demo_load
from notes.models import Comment
from rednote.demo import SEED_FILE, DemoContext, demo_sections
from tests.factories import NoteFactory
from translations.models import CommunityTranslation
from translations.reading import script_convert

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
    comments_load(context)
    return context


def _rows():
    with open(SEED_FILE.parent / READING_DEMO_FILE, encoding="utf-8") as fh:
        return json.load(fh)["comments"]


def test_the_section_runs_after_the_comments_and_their_translations():
    order = [section.name for section in demo_sections()]
    assert order.index("comments") < order.index("reading_demo")
    assert order.index("translations") < order.index("reading_demo")
    assert order.index("reading_demo") < order.index("discover_ranks")


def test_the_seed_has_no_traditional_chinese_and_the_extra_file_does():
    with open(SEED_FILE, encoding="utf-8") as fh:
        seed = json.load(fh)
    assert all(row.get("language") != "zh-Hant" for row in seed["comments"])
    rows = _rows()
    assert 2 <= len(rows) <= 3
    for row in rows:
        assert row["language"] == "zh-Hant"
        # Each converts at phrase level (軟體 → 软件, not character by character).
        assert script_convert(row["body"], "zh-Hant", "zh-Hans") != row["body"]
    converted = "".join(script_convert(r["body"], "zh-Hant", "zh-Hans") for r in rows)
    for word in ("软件", "网络", "信息", "视频"):
        assert word in converted


def test_reading_demo_loads_a_taiwanese_reader_and_her_comments(context):
    result = reading_demo_load(context)
    rows = _rows()
    assert (result.total, result.created) == (len(rows), len(rows))
    yuting = User.objects.get(handle="taipei_yuting")
    assert yuting.languages == ["zh-Hant"] and yuting.reads == ["zh-Hant"]
    for row in rows:
        note = context.loaded["notes"][row["note"]]
        comment = Comment.objects.get(note=note, author=yuting, body=row["body"])
        assert comment.language == "zh-Hant" and comment.parent_id is None
        # After the seed's comments on the same note.
        seeded = Comment.objects.filter(note=note).exclude(pk=comment.pk)
        assert all(comment.created_at > other.created_at for other in seeded)
        translation = CommunityTranslation.objects.get(
            object_id=comment.pk, content_type__model="comment", is_accepted=True
        )
        assert translation.language == "en" and translation.text == row["translation"]["body"]
        note.refresh_from_db()
        assert note.comment_count == Comment.objects.filter(note=note).count()


def test_reading_demo_twice_adds_nothing(context):
    reading_demo_load(context)
    counts = (User.objects.count(), Comment.objects.count(), CommunityTranslation.objects.count())
    again = reading_demo_load(context)
    assert (again.total, again.created) == (len(_rows()), 0)
    assert (
        User.objects.count(),
        Comment.objects.count(),
        CommunityTranslation.objects.count(),
    ) == counts


def test_comments_on_notes_left_out_are_skipped(context):
    first = _rows()[0]["note"]
    context.loaded["notes"] = {k: v for k, v in context.loaded["notes"].items() if k == first}
    result = reading_demo_load(context)
    assert result.total == sum(1 for row in _rows() if row["note"] == first)
    assert Comment.objects.filter(author__handle="taipei_yuting").count() == result.total


def test_nothing_is_loaded_when_every_note_is_left_out(context):
    context.loaded["notes"] = {}
    result = reading_demo_load(context)
    assert (result.total, result.created) == (0, 0)
    assert not User.objects.filter(handle="taipei_yuting").exists()


def test_a_seed_file_elsewhere_without_the_extra_file_loads_nothing(context, tmp_path):
    context.directory = tmp_path
    assert reading_demo_load(context).total == 0
    assert not User.objects.filter(handle="taipei_yuting").exists()
