"""Notes' full-text search documents (`notes.search`), with their GIN index, and a trigram index
on hashtag names for tag search; the documents of existing notes are filled in.

The indexes and the backfill are PostgreSQL only: the quick start's SQLite has no full-text
search (`feeds.search` falls back to a contains match there), and its table stays empty.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def create_indexes_and_backfill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "notes_search_vector_gin" '
        'ON "notes_notesearchdocument" USING gin ("vector")'
    )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "notes_hashtag_name_trgm" '
        'ON "notes_hashtag" USING gin ("name" gin_trgm_ops)'
    )
    # The same segmentation as the services (a pure function of the text).
    from notes.search import search_document_parts, search_vector_expression

    Note = apps.get_model("notes", "Note")
    NoteSearchDocument = apps.get_model("notes", "NoteSearchDocument")
    last = 0
    while True:
        batch = list(
            Note.objects.filter(pk__gt=last).order_by("pk").prefetch_related("hashtags")[:BATCH]
        )
        if not batch:
            break
        NoteSearchDocument.objects.bulk_create(
            [
                NoteSearchDocument(
                    note_id=note.pk,
                    vector=search_vector_expression(
                        search_document_parts(
                            title=note.title,
                            body=note.body,
                            location=note.location,
                            tag_names=[tag.display_name for tag in note.hashtags.all()],
                        )
                    ),
                )
                for note in batch
            ],
            ignore_conflicts=True,
        )
        last = batch[-1].pk


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "notes_hashtag_name_trgm"')
    schema_editor.execute('DROP INDEX IF EXISTS "notes_search_vector_gin"')


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0002_noteimage_processing_attempts"),
        # pg_trgm, for the hashtag name index.
        ("accounts", "0004_people_search_trigram_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="NoteSearchDocument",
            fields=[
                (
                    "note",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="notes.note",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "verbose_name": "note search document",
                "verbose_name_plural": "note search documents",
            },
        ),
        migrations.RunPython(create_indexes_and_backfill, drop_indexes, elidable=False),
    ]
