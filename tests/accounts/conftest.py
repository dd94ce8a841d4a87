# The feed store on the test Redis, for the deletion tests (the fixture lives with the feeds').
from tests.feeds.conftest import redis_feeds  # noqa: F401
