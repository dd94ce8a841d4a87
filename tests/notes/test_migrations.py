"""The note–hashtag link becomes `NoteHashtag` on the many-to-many field's own table (0004),
its copies of each note's state are filled from the notes in batches (0005), and the links
are indexed by (hashtag, newest first) (0006): no link is lost or changed on the way."""

import importlib
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("notes", "0003_note_search_document")]
AFTER = [("notes", "0006_notehashtag_latest_index")]
BACKFILL = importlib.import_module("notes.migrations.0005_notehashtag_backfill")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0003(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _notes(apps):
    """Notes in every state, tagged through the old many-to-many field: {title: note id}."""
    User = apps.get_model("accounts", "User")
    Note = apps.get_model("notes", "Note")
    Hashtag = apps.get_model("notes", "Hashtag")
    author = User.objects.create(handle="author", email="author@example.org")
    tags = [Hashtag.objects.create(name=n, display_name=n) for n in ("tea", "suzhou", "old")]
    when = datetime(2025, 5, 1, 12, tzinfo=UTC)
    states = {
        "public": {"status": "published", "published_at": when},
        "followers": {"status": "published", "published_at": when, "visibility": "followers"},
        "hidden": {"status": "published", "published_at": when, "is_hidden": True},
        "processing": {"status": "processing", "visibility": "private"},
        "failed": {"status": "failed"},
        "untagged": {"status": "published", "published_at": when},
    }
    ids = {}
    for title, state in states.items():
        note = Note.objects.create(author=author, title=title, **state)
        if title != "untagged":
            note.hashtags.set(tags if title == "public" else tags[:1])
        ids[title] = note.pk
    return ids


def test_migration_keeps_every_link_and_copies_its_notes_state(at_0003, monkeypatch):
    ids = _notes(at_0003)
    OldLink = at_0003.get_model("notes", "Note").hashtags.through
    before = sorted(OldLink.objects.values_list("pk", "note_id", "hashtag_id"))
    monkeypatch.setattr(BACKFILL, "BATCH", 2)  # several batches, some with a gap

    apps = _migrate(AFTER)

    Note = apps.get_model("notes", "Note")
    NoteHashtag = apps.get_model("notes", "NoteHashtag")
    assert sorted(NoteHashtag.objects.values_list("pk", "note_id", "hashtag_id")) == before
    columns = ("published_at", "status", "visibility", "is_hidden")
    for link in NoteHashtag.objects.values("note_id", *columns):
        note = Note.objects.values(*columns).get(pk=link.pop("note_id"))
        assert link == note
    assert NoteHashtag.objects.filter(note_id=ids["public"]).count() == 3
    assert not NoteHashtag.objects.filter(note_id=ids["untagged"]).exists()


def test_migration_indexes_the_links_by_tag_and_time_and_keeps_them_unique(at_0003):
    ids = _notes(at_0003)

    apps = _migrate(AFTER)

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "notes_note_hashtags")
    latest = constraints["note_hashtag_latest"]
    assert latest["index"] and latest["columns"] == ["hashtag_id", "published_at", "note_id"]
    # The hashtag's own index went (the one above starts with it); the pair stays unique.
    assert not [c for c in constraints.values() if c["index"] and c["columns"] == ["hashtag_id"]]
    NoteHashtag = apps.get_model("notes", "NoteHashtag")
    tag_id = NoteHashtag.objects.filter(note_id=ids["public"]).values_list("hashtag_id")[:1]
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteHashtag.objects.create(note_id=ids["public"], hashtag_id=tag_id[0][0])


def test_migration_back_to_the_many_to_many_field_keeps_the_links(at_0003):
    _notes(at_0003)
    _migrate(AFTER)

    apps = _migrate(BEFORE)

    OldLink = apps.get_model("notes", "Note").hashtags.through
    assert OldLink.objects.count() == 3 + 4
