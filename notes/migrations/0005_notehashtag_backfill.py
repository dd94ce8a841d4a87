"""Copy each note's publication time, status, visibility and hidden flag onto its hashtag
links (`NoteHashtag`), in batches of BATCH links by id, each batch its own transaction: a
large table is never locked as a whole, and a run that stops resumes where it was (a batch
already copied is copied again, harmlessly). Works on PostgreSQL and SQLite alike."""

from django.db import migrations, transaction
from django.db.models import Max, Min, OuterRef, Subquery

BATCH = 20_000
COLUMNS = ("published_at", "status", "visibility", "is_hidden")


def copy_note_state(apps, schema_editor):
    Note = apps.get_model("notes", "Note")
    NoteHashtag = apps.get_model("notes", "NoteHashtag")
    links = NoteHashtag.objects.using(schema_editor.connection.alias)
    bounds = links.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return
    own = Note.objects.using(schema_editor.connection.alias).filter(pk=OuterRef("note_id"))
    copies = {column: Subquery(own.values(column)[:1]) for column in COLUMNS}
    for start in range(bounds["first"], bounds["last"] + 1, BATCH):
        with transaction.atomic(using=schema_editor.connection.alias):
            links.filter(pk__gte=start, pk__lt=start + BATCH).update(**copies)


class Migration(migrations.Migration):
    # Each batch commits on its own (see the module's docstring).
    atomic = False

    dependencies = [
        ("notes", "0004_notehashtag"),
    ]

    operations = [
        migrations.RunPython(copy_note_state, migrations.RunPython.noop, elidable=True),
    ]
