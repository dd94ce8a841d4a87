"""`python manage.py seed_demo [--admin] [--file PATH]`: load the demo users and follows."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import (
    ADMIN_HANDLE,
    ADMIN_PASSWORD,
    DEMO_PASSWORD,
    SEED_FILE,
    DemoLoader,
    admin_ensure,
)


class Command(BaseCommand):
    help = (
        "Load the demo data set (demo/seed.json). Idempotent: what exists is left alone. "
        "With --admin, or whenever DEBUG is on, also create the superuser 'admin'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SEED_FILE, help="seed file to load")
        parser.add_argument(
            "--admin",
            action="store_true",
            help=f"create the superuser '{ADMIN_HANDLE}' (always done when DEBUG is on)",
        )

    def handle(self, *args, file: Path, admin: bool, **options):
        try:
            loader = DemoLoader.from_file(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            results = loader.run()
        except ValidationError as exc:
            raise CommandError(f"The seed file does not load: {exc}") from exc

        parts = [
            f"{result.total} {section} ({result.created} new)"
            for section, result in results.items()
        ]
        self.stdout.write(self.style.SUCCESS("Demo data: " + ", ".join(parts) + "."))
        self.stdout.write(f"Every demo user logs in with the password {DEMO_PASSWORD!r}.")
        if admin or settings.DEBUG:
            if admin_ensure():
                self.stdout.write(
                    f"Admin created: {ADMIN_HANDLE} / {ADMIN_PASSWORD!r}, at /admin/."
                )
            else:
                self.stdout.write(f"Admin: {ADMIN_HANDLE!r} already exists, left unchanged.")
