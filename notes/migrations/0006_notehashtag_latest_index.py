"""Index the hashtag links by (hashtag, newest first, note), built once their copies are
filled (0005); the index of the hashtag alone goes, since this one starts with it. Then the
table's statistics are refreshed: until the planner knows how the new columns are spread, it
guesses a tag page matches a row or two and sorts the whole tag instead of walking the index
(a tag on 21k of 1M notes: 250 ms instead of 0.5 ms)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0005_notehashtag_backfill"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notehashtag",
            index=models.Index(
                fields=["hashtag", "-published_at", "-note"], name="note_hashtag_latest"
            ),
        ),
        migrations.AlterField(
            model_name="notehashtag",
            name="hashtag",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="note_links",
                to="notes.hashtag",
            ),
        ),
        # The same statement on PostgreSQL and SQLite.
        migrations.RunSQL("ANALYZE notes_note_hashtags", migrations.RunSQL.noop, elidable=True),
    ]
