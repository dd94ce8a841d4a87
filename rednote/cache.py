"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the (shared) pool on
every cache operation; constructing it costs more than the round trip it then makes on a
local Redis (~0.1 ms of each hot API read's token lookup, rate limit and note texts, by
profile, bench/feeds.py). A client holds no connection of its own — the pool does, and checks
for a fork itself — so keeping one per pool changes nothing else.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        # Django's private attributes, which its type stubs do not declare.
        django: Any = self
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in django._pools:
                django._pools[index] = django._pool_class.from_url(
                    django._servers[index], **django._pool_options
                )
            client = self._clients.setdefault(
                index, django._client(connection_pool=django._pools[index])
            )
        return client


class RedisCache(DjangoRedisCache):
    """`django.core.cache.backends.redis.RedisCache`, reusing its clients (see above)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _Client
