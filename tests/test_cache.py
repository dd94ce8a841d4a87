"""The Redis cache backend (`rednote.cache`) keeps one client per connection pool: Django's
made a new `redis.Redis` for every cache call."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from rednote.cache import RedisCache


def test_cache_reuses_one_client_per_pool():
    # Making clients connects nowhere: no server is needed.
    backend = RedisCache("redis://127.0.0.1:1/0", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client("key") is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool
    assert client.connection_pool is backend._cache._pools[0]
    assert isinstance(backend, DjangoRedisCache)  # the throttles' scripted path applies


def test_cache_reads_from_the_other_servers_pools():
    backend = RedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()
    assert reader is not writer and reader is backend._cache.get_client()
    assert reader.connection_pool is backend._cache._pools[1]
