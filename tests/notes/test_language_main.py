"""A note's and a comment's main language (`language_main`): stored with `language` when they
are saved, detected, chosen or corrected (for mixed text such as "太好了 so cute" the language
most of it is written in), filled in for older rows by migration 0011, and used by the bilingual
view instead of detecting the text again."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notes import bilingual, services
from notes.models import Note
from tests.factories import NoteFactory, NoteImageFactory

BACKFILL = importlib.import_module("notes.migrations.0011_language_main_backfill")


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]


def _post(author, **fields) -> Note:
    image = NoteImageFactory(owner=author, pending=True)
    return services.note_create(author=author, media_ids=[image.pk], **fields)


def _stored(obj) -> tuple[str, str]:
    obj.refresh_from_db()
    return obj.language, obj.language_main


@pytest.mark.django_db
def test_note_create_stores_the_main_language(user):
    assert _stored(_post(user, title="太好了", body="so cute")) == ("mixed", "zh-Hans")
    assert _stored(_post(user, title="周末去苏州", body="拙政园的荷花开了")) == (
        "zh-Hans",
        "zh-Hans",
    )
    assert _stored(_post(user, title="👍", language="auto")) == ("", "")
    # The author's choice is the main language; "mixed" chosen keeps the detected main one.
    assert _stored(_post(user, title="太好了", body="so cute", language="ja")) == ("ja", "ja")
    assert _stored(_post(user, title="so cute", body="太好了 so cute", language="mixed")) == (
        "mixed",
        "en",
    )


@pytest.mark.django_db
def test_note_update_and_correction_store_the_main_language(user):
    note = _post(user, title="weekend in Suzhou", body="the lotus is out")
    assert _stored(note) == ("en", "en")
    services.note_update(note=note, title="太好了", body="so cute")
    assert _stored(note) == ("mixed", "zh-Hans")
    services.note_update(note=note, language="en")  # the author's correction
    assert _stored(note) == ("en", "en")
    services.note_update(note=note, body="so cute, really")  # the correction is kept
    assert _stored(note) == ("en", "en")
    services.note_update(note=note, language="auto")  # "太好了 so cute, really"
    assert _stored(note) == ("mixed", "en")


@pytest.mark.django_db
def test_comment_create_stores_the_main_language(user, other_user):
    note = NoteFactory(author=user)
    detected = services.comment_create(author=other_user, note=note, body="太好了 so cute")
    assert _stored(detected) == ("mixed", "zh-Hans")
    plain = services.comment_create(author=other_user, note=note, body="so cute, I love it")
    assert _stored(plain) == ("en", "en")
    chosen = services.comment_create(
        author=other_user, note=note, body="太好了 so cute", language="en"
    )
    assert _stored(chosen) == ("en", "en")
    short = services.comment_create(author=other_user, note=note, body="👍")
    assert _stored(short) == ("", "")


@pytest.mark.django_db
def test_the_bilingual_view_reads_the_stored_main_language(user, other_user, monkeypatch):
    note = _post(user, title="太好了", body="so cute")
    Note.objects.filter(pk=note.pk).update(status="published")
    note.refresh_from_db()
    comment = services.comment_create(author=other_user, note=note, body="太好了 so cute")

    def _no_detection(text):
        raise AssertionError("detected again")

    monkeypatch.setattr(bilingual, "language_detect", _no_detection)
    chinese = bilingual.Reader(user=other_user, reads=("zh-Hans",), target="zh-Hans")
    bilingual.page_bilingual_attach(chinese, note=note, comments=[comment], thread_note=note)
    assert note.bilingual is None and comment.bilingual is None
    english = bilingual.Reader(user=other_user, reads=("en",), target="en")
    bilingual.page_bilingual_attach(english, note=note, comments=[comment], thread_note=note)
    assert note.bilingual is not None and comment.bilingual is not None
    # The stored main language decides, whatever the text.
    assert bilingual.reading_language("mixed", "x", "ja") == "ja"
    assert bilingual.text_needs_translation(chinese, "mixed", "太好了 so cute", "zh-Hans") is False


# --- Migration 0011 -------------------------------------------------------------------------
BEFORE = [("notes", "0010_language_main")]
AFTER = [("notes", "0011_language_main_backfill")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0010(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_migration_fills_the_main_language_of_older_rows(at_0010, monkeypatch):
    User = at_0010.get_model("accounts", "User")
    OldNote = at_0010.get_model("notes", "Note")
    OldComment = at_0010.get_model("notes", "Comment")
    author = User.objects.create(handle="author", email="author@example.org")
    texts = {
        "mixed": ("太好了", "so cute", "mixed"),
        "english": ("weekend", "the lotus is out", "en"),
        "unknown": ("👍", "", ""),
        "mixed-english": ("so cute", "I love it, 太好了", "mixed"),
    }
    notes = {
        key: OldNote.objects.create(author=author, title=t, body=b, language=lang).pk
        for key, (t, b, lang) in texts.items()
    }
    on = OldNote.objects.get(pk=notes["english"])
    comments = {
        key: OldComment.objects.create(note=on, author=author, body=f"{t} {b}", language=lang).pk
        for key, (t, b, lang) in texts.items()
    }
    monkeypatch.setattr(BACKFILL, "BATCH", 2)  # several batches

    apps = _migrate(AFTER)
    Note_, Comment_ = apps.get_model("notes", "Note"), apps.get_model("notes", "Comment")
    expected = {"mixed": "zh-Hans", "english": "en", "unknown": "", "mixed-english": "en"}
    assert {k: Note_.objects.get(pk=pk).language_main for k, pk in notes.items()} == expected
    assert {k: Comment_.objects.get(pk=pk).language_main for k, pk in comments.items()} == expected
    # Languages themselves are left as they were.
    assert {k: Note_.objects.get(pk=pk).language for k, pk in notes.items()} == {
        k: lang for k, (_t, _b, lang) in texts.items()
    }

    _migrate(BEFORE)  # backwards: nothing to undo
    assert OldNote.objects.count() == len(texts)
