"""`python manage.py seed_demo [--admin] [--file PATH] [--notes N]`: load the demo data set.

The command lives in notes, the highest layer it loads: accounts' loader (users, follows) is
extended by `notes.demo.NotesDemoLoader` (notes with their photos, likes, boards), so accounts
never imports notes.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import ADMIN_HANDLE, ADMIN_PASSWORD, DEMO_PASSWORD, SEED_FILE, admin_ensure
from notes.demo import NotesDemoLoader


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Load the demo data set (demo/seed.json): users, follows, notes with their photos, "
        "likes and boards. Idempotent: what exists is left alone. With --admin, or whenever "
        "DEBUG is on, also create the superuser 'admin'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SEED_FILE, help="seed file to load")
        parser.add_argument(
            "--admin",
            action="store_true",
            help=f"create the superuser '{ADMIN_HANDLE}' (always done when DEBUG is on)",
        )
        parser.add_argument(
            "--notes",
            type=count,
            default=None,
            metavar="N",
            help="load only the first N notes, with the likes and boards that refer to them",
        )

    def handle(self, *args, file: Path, admin: bool, notes: int | None, **options):
        try:
            loader = NotesDemoLoader.from_file(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        loader.notes_limit = notes
        try:
            results = loader.run()
        except ValidationError as exc:
            raise CommandError(f"The seed file does not load: {exc}") from exc

        parts = [
            f"{result.total} {section} ({result.created} new)"
            for section, result in results.items()
        ]
        self.stdout.write(self.style.SUCCESS("Demo data: " + ", ".join(parts) + "."))
        if results["notes"].created and not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write(
                "The photos are queued for the images worker: notes appear once processed."
            )
        self.stdout.write(f"Every demo user logs in with the password {DEMO_PASSWORD!r}.")
        if admin or settings.DEBUG:
            if admin_ensure():
                self.stdout.write(
                    f"Admin created: {ADMIN_HANDLE} / {ADMIN_PASSWORD!r}, at /admin/."
                )
            else:
                self.stdout.write(f"Admin: {ADMIN_HANDLE!r} already exists, left unchanged.")
