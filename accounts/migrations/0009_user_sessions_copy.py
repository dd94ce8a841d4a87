"""Sessions moved from Django's table (`django_session`) to `accounts.UserSession`, which
records whose each one is (the SESSION_ENGINE is `accounts.sessions...` since 0007): copy the
unexpired ones, with their user's id, so nobody is signed out by the upgrade. Rows whose data
cannot be read (another SECRET_KEY, corrupt) are left behind: those sessions had ended anyway.
Backwards: nothing to undo (Django's table is untouched)."""

from django.contrib.auth import SESSION_KEY
from django.db import migrations
from django.utils import timezone

BATCH = 1000


def sessions_copy(apps, schema_editor) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    if "django_session" not in schema_editor.connection.introspection.table_names():
        return
    Session = apps.get_model("sessions", "Session")
    UserSession = apps.get_model("accounts", "UserSession")
    decoder = SessionStore()
    rows = Session.objects.filter(expire_date__gt=timezone.now()).order_by("session_key")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        data = decoder.decode(row.session_data)  # {} when it cannot be read
        if not data:
            continue
        try:
            user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            user_id = None
        batch.append(
            UserSession(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=user_id,
            )
        )
        if len(batch) >= BATCH:
            UserSession.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    UserSession.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_dataexport_private_archive"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(sessions_copy, migrations.RunPython.noop)]
