"""`manage.py rebuild_feeds`: rebuild the home timeline of every reader active within
FEED_ACTIVE_DAYS from PostgreSQL (after losing the feeds' Redis, or to warm a new one)."""

from django.core.management.base import BaseCommand

from feeds.home import rebuild_active_timelines
from feeds.store import get_store


class Command(BaseCommand):
    help = "Rebuild the home timelines of all recently active readers from the database."

    def handle(self, *args, **options):
        if get_store() is None:
            self.stdout.write("No feed store (FEEDS_REDIS_URL is empty): nothing to rebuild.")
            return
        count = rebuild_active_timelines()
        self.stdout.write(f"Rebuilt {count} home timelines.")
