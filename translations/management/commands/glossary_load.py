"""`python manage.py glossary_load [--file PATH] [--update]`: load the shipped slang glossary.

Adds the entries of `translations/data/glossary.json` (or `--file`) that the glossary does not
have as approved terms, and reports the counts. Idempotent, and a moderator's work is never
overwritten: an entry whose term and language are there already (approved, waiting for review
or rejected) is kept as it is. With `--update`, entries still exactly as a load made them
(never approved, edited or rejected by a moderator since) take the file's text.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from translations.glossary import GLOSSARY_FILE, glossary_file_read, glossary_load


class Command(BaseCommand):
    help = (
        "Load the shipped slang glossary as approved terms: adds the missing ones, keeps every "
        "entry already there (a moderator's edits and rejections included)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=GLOSSARY_FILE, help="glossary file")
        parser.add_argument(
            "--update",
            action="store_true",
            help="also refresh entries still as shipped (no moderator has reviewed them)",
        )

    def handle(self, *args, file: Path, update: bool, **options):
        try:
            rows = glossary_file_read(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = glossary_load(rows, update=update)
        except ValidationError as exc:
            raise CommandError(
                f"The glossary file does not load: {' '.join(exc.messages)}"
            ) from exc
        parts = [f"{result.total} entries", f"{result.created} new"]
        if update:
            parts.append(f"{result.updated} updated")
        parts.append(f"{result.kept} kept as they were")
        self.stdout.write(self.style.SUCCESS("Glossary: " + ", ".join(parts) + "."))
