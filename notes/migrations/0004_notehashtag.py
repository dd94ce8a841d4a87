"""The note–hashtag link becomes a model of its own (`NoteHashtag`), on the same table.

The many-to-many field's table is adopted as it is (state only: no row moves), then the link
gains copies of its note's publication time, status, visibility and hidden flag. Their
defaults fail closed (processing, private, hidden), so a link not yet copied shows nowhere;
0005 copies them from the notes in batches, 0006 indexes the links by (hashtag, newest).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0003_note_search_document"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The auto-created table already has these columns, keys and indexes.
            state_operations=[
                migrations.CreateModel(
                    name="NoteHashtag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "note",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="hashtag_links",
                                to="notes.note",
                            ),
                        ),
                        (
                            "hashtag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="note_links",
                                to="notes.hashtag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notes_note_hashtags",
                        "unique_together": {("note", "hashtag")},
                    },
                ),
                migrations.AlterField(
                    model_name="note",
                    name="hashtags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="notes",
                        through="notes.NoteHashtag",
                        to="notes.hashtag",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="notehashtag",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notehashtag",
            name="status",
            field=models.CharField(
                choices=[
                    ("processing", "Processing"),
                    ("published", "Published"),
                    ("failed", "Failed"),
                ],
                db_default="processing",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="notehashtag",
            name="visibility",
            field=models.CharField(
                choices=[("public", "Public"), ("followers", "Followers"), ("private", "Only me")],
                db_default="private",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="notehashtag",
            name="is_hidden",
            field=models.BooleanField(db_default=True),
        ),
    ]
