"""Fill `language_main` on the notes and comments saved before it existed: a text of one
language gets its `language` (or nothing, when unknown), a mixed one the main language
`translations.detection.language_detect` finds in it (a note's title and body, a comment's
body). In batches of BATCH rows by id, each batch its own transaction, so a large table is never
locked as a whole and a run that stops resumes where it was (a batch filled already is filled
again, with the same values). Backwards there is nothing to undo: 0010 drops the column."""

from django.db import migrations, transaction
from django.db.models import F, Max, Min

from translations.detection import language_detect

BATCH = 2_000
MIXED = "mixed"


def _fill(model, alias, text_of):
    rows = model.objects.using(alias)
    bounds = rows.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return
    for start in range(bounds["first"], bounds["last"] + 1, BATCH):
        batch = rows.filter(pk__gte=start, pk__lt=start + BATCH)
        with transaction.atomic(using=alias):
            batch.exclude(language=MIXED).update(language_main=F("language"))
            mixed = list(batch.filter(language=MIXED))
            for row in mixed:
                row.language_main = language_detect(text_of(row)).main or ""
            rows.bulk_update(mixed, ["language_main"])


def fill_language_main(apps, schema_editor):
    alias = schema_editor.connection.alias
    _fill(apps.get_model("notes", "Note"), alias, lambda note: f"{note.title}\n{note.body}")
    _fill(apps.get_model("notes", "Comment"), alias, lambda comment: comment.body)


class Migration(migrations.Migration):
    # Each batch commits on its own (see the module's docstring).
    atomic = False

    dependencies = [
        ("notes", "0010_language_main"),
    ]

    operations = [
        migrations.RunPython(fill_language_main, migrations.RunPython.noop, elidable=True),
    ]
