"""People search (`feeds.search`): the pg_trgm extension, and trigram GIN indexes on handles and
display names.

PostgreSQL only — the quick start's SQLite searches with a plain contains match. The indexes are
on `UPPER(column::text)`, the expression Django's `icontains` compares, so one index serves both
the substring match and the trigram word-similarity match (`%>`) on that expression.
"""

from django.db import migrations

# Index name → column of accounts_user.
INDEXES = {
    "accounts_user_handle_trgm": "handle",
    "accounts_user_dname_trgm": "display_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not Django's TrigramExtension: its reverse queries pg_extension on any database and drops
    # the extension, which other indexes may use; unapplying this leaves it installed.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "accounts_user" '
            f'USING gin ((UPPER(("{column}")::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_last_active_at_user_likes_public"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
