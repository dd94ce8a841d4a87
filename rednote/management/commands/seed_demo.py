"""`python manage.py seed_demo [--admin] [--file PATH] [--notes N]`: load the demo data set.

Runs every demo section the apps register (rednote/demo.py): accounts' users and follows,
notes' notes with their photos, likes and boards, then the superuser when asked for.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rednote.demo import SEED_FILE, DemoContext, demo_load


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Load the demo data set (demo/seed.json and the photos in demo/photos/): users, "
        "follows, notes, likes and boards. Idempotent: what exists is left alone. With --admin, "
        "or whenever DEBUG is on, also create the superuser 'admin'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SEED_FILE, help="seed file to load")
        parser.add_argument(
            "--admin",
            action="store_true",
            help="create the superuser 'admin' (always done when DEBUG is on)",
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
            context = DemoContext.from_file(file, notes_limit=notes, admin=admin or settings.DEBUG)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            results = demo_load(context)
        except ValidationError as exc:
            raise CommandError(f"The seed file does not load: {exc}") from exc

        parts = [
            f"{result.total} {section} ({result.created} new)"
            for section, result in results.items()
        ]
        self.stdout.write(self.style.SUCCESS("Demo data: " + ", ".join(parts) + "."))
        for message in context.messages:
            self.stdout.write(message)
