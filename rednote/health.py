"""`/healthz/`: database, cache and (when configured) the Celery broker, via django-health-check."""

from django.conf import settings
from health_check.checks import Cache, Database


def health_checks() -> list:
    checks: list = [Database, Cache]
    if settings.REDIS_URL:
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        broker = settings.CELERY_BROKER_URL
        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(broker)}))
    return checks
