"""DRF's anonymous and per-user rate limits, in one round trip to Redis.

`AnonRateThrottle` and `UserRateThrottle` each read their history from the cache and write it
back: four round trips to Redis on every anonymous API request, two on a signed one — half of
a cached read's time. `AnonAndUserRateThrottle` keeps their rules (rates, keys, the sliding
window of allowed requests, the wait they answer) and, when the cache is Redis, runs both in
one Lua script per request: each history is a sorted set of request times, trimmed to the
window, counted, and added to when the request is allowed. On another cache (the quick
start's in-memory one), or when a throttle's own `allow_request` has been replaced, both run
unchanged against one cache read and one write.
"""

import secrets
from typing import Any, cast

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)


class _CacheBatch:
    """The part of the cache API the throttles use, served from one read, written in one."""

    def __init__(self, cache, keys: list[str]) -> None:
        self.cache = cache
        self.values = cache.get_many(keys) if keys else {}
        self.writes: dict[Any, dict[str, Any]] = {}

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def set(self, key: str, value, timeout=None) -> None:
        self.values[key] = value
        self.writes.setdefault(timeout, {})[key] = value

    def flush(self) -> None:
        for timeout, values in self.writes.items():
            self.cache.set_many(values, timeout)


# KEYS: histories; ARGV: now, a unique member, then (allowed requests, window seconds) per key.
# For each: drop what left the window, count; when under the limit record this request.
# Returns, per key, {allowed (1/0), count, oldest time in the window as a string}.
_SLIDING_WINDOW = """
local now, member, answers = tonumber(ARGV[1]), ARGV[2], {}
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then
    redis.call('ZADD', key, now, member)
    redis.call('EXPIRE', key, math.ceil(window))
    answers[i] = {1, count + 1, ''}
  else
    answers[i] = {0, count, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]}
  end
end
return answers
"""

_DRF_ALLOW_REQUEST = SimpleRateThrottle.allow_request
_scripts: list[Any] = []


def _script(client) -> Any:
    """The script, sent once and then called by its hash (reloaded if Redis lost it)."""
    if not _scripts:
        _scripts.append(client.register_script(_SLIDING_WINDOW))
    return _scripts[0]


def _redis_cache() -> RedisCache | None:
    """The Redis cache the throttles count in, or None when they count elsewhere."""
    if SimpleRateThrottle.cache is not default_cache:
        return None
    backend = caches[DEFAULT_CACHE_ALIAS]
    return backend if isinstance(backend, RedisCache) else None


class AnonAndUserRateThrottle(BaseThrottle):
    """`AnonRateThrottle` and `UserRateThrottle` together (scopes `anon` and `user`)."""

    throttle_classes: tuple[type[SimpleRateThrottle], ...] = (AnonRateThrottle, UserRateThrottle)

    def allow_request(self, request, view) -> bool:
        throttles = [throttle_class() for throttle_class in self.throttle_classes]
        backend = _redis_cache()
        if backend is not None and all(
            type(t).allow_request is _DRF_ALLOW_REQUEST for t in throttles
        ):
            return self._allow_scripted(backend, throttles, request, view)
        return self._allow_batched(throttles, request, view)

    def _allow_scripted(self, backend: RedisCache, throttles, request, view) -> bool:
        active = []
        for throttle in throttles:
            if throttle.rate is None:
                continue
            key = throttle.get_cache_key(request, view)
            if key is not None:
                active.append((throttle, backend.make_key(key) + ":window"))
        self.waits = []
        if not active:
            return True
        client = backend._cache.get_client(write=True)
        now = active[0][0].timer()
        args: list[Any] = [repr(now), f"{now!r}:{secrets.token_hex(6)}"]
        for throttle, _key in active:
            args += [throttle.num_requests, throttle.duration]
        answers = _script(client)(keys=[k for _t, k in active], args=args, client=client)
        for (throttle, _key), (allowed, count, oldest) in zip(active, answers, strict=True):
            if allowed:
                continue
            # DRF's wait: the rest of the oldest request's window, shared by what is left.
            available = throttle.num_requests - count + 1
            remaining = throttle.duration - (now - float(oldest))
            self.waits.append(remaining / available if available > 0 else None)
        return not self.waits

    def _allow_batched(self, throttles, request, view) -> bool:
        keys = [
            key
            for throttle in throttles
            if throttle.rate is not None
            and (key := throttle.get_cache_key(request, view)) is not None
        ]
        batch = _CacheBatch(SimpleRateThrottle.cache, keys)
        self.waits = []
        for throttle in throttles:
            # The throttle only calls get() and set(); the batch answers both.
            throttle.cache = cast(Any, batch)
            if not throttle.allow_request(request, view):
                self.waits.append(throttle.wait())
        batch.flush()
        return not self.waits

    def wait(self) -> float | None:
        return max((wait for wait in self.waits if wait is not None), default=None)
