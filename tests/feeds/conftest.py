"""Feed store fixtures: `feed_store` runs a test on one Redis and on a Redis Cluster (the
cluster at FEEDS_REDIS_CLUSTER_TEST_URL, which `.ci/run` starts; skipped with the reason when
it is not set); `redis_feeds` on one Redis only; `no_feed_store` reads the database."""

import os

import pytest
import redis

from feeds.store import get_store

CLUSTER_URL_VARIABLE = "FEEDS_REDIS_CLUSTER_TEST_URL"


def _store_on(settings, url: str, *, cluster: bool):
    settings.FEEDS_REDIS_URL = url
    settings.FEEDS_REDIS_CLUSTER = cluster
    store = get_store()
    assert store is not None
    try:
        store.client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis: no server answers at {url} ({exc})")
    store.flush()
    return store


@pytest.fixture
def redis_feeds(settings):
    """The feed store on the test Redis (REDIS_URL)."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: REDIS_URL is not set")
    store = _store_on(settings, settings.REDIS_URL, cluster=False)
    yield store
    store.flush()


@pytest.fixture(params=["single", "cluster"])
def feed_store(request, settings):
    """The feed store on one Redis, then on a Redis Cluster."""
    if request.param == "single":
        if not settings.REDIS_URL:
            pytest.skip("needs Redis: REDIS_URL is not set")
        url, cluster = settings.REDIS_URL, False
    else:
        url, cluster = os.environ.get(CLUSTER_URL_VARIABLE, ""), True
        if not url:
            pytest.skip(f"needs a Redis Cluster: {CLUSTER_URL_VARIABLE} is not set")
    store = _store_on(settings, url, cluster=cluster)
    yield store
    store.flush()


@pytest.fixture
def no_feed_store(settings):
    """No feed store: the home feed is read from the database (the quick start)."""
    settings.FEEDS_REDIS_URL = ""
    assert get_store() is None
