"""`python manage.py reading_build`: build the reading aids' dictionary files now.

They are otherwise built on first use (a few seconds, once per data directory): the image
build and the quick start run this so no reader waits for it."""

import time

from django.core.management.base import BaseCommand

from translations.reading import dictionary_build


class Command(BaseCommand):
    help = (
        "Build the reading aids' dictionary files (CC-CEDICT, pinyin, the reverse index) in "
        "READING_DATA_DIR, unless an up-to-date build is there."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        directory = dictionary_build()
        self.stdout.write(f"Reading aids: {directory} ({time.perf_counter() - started:.1f} s)")
