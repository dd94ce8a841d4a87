"""`/healthz/`: database, cache and (when configured) the Celery broker, via django-health-check.

Answers 200 when every check passes and 500 otherwise; `Accept: application/json` gives one
"OK" or error per check, for load balancers and `docker compose` health probes.
"""

from django.conf import settings
from health_check.checks import Cache, Database


def health_checks() -> list:
    """The checks to run: the broker only exists when REDIS_URL is set (the full stack)."""
    checks: list = [Database, Cache]
    if settings.REDIS_URL:
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        broker = settings.CELERY_BROKER_URL
        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(broker)}))
    return checks
