"""DRF's anonymous and per-user rate limits, with one cache round trip each way.

`AnonRateThrottle` and `UserRateThrottle` each read their history from the cache and write it
back: four round trips to Redis on every anonymous API request, two on a signed one — a large
part of a cached read. `AnonAndUserRateThrottle` runs both, unchanged (their own
`allow_request`, rates, keys and waits), against a batch that reads their histories with one
`get_many` beforehand and writes them with one `set_many` per timeout afterwards.
"""

from typing import Any, cast

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


class AnonAndUserRateThrottle(BaseThrottle):
    """`AnonRateThrottle` and `UserRateThrottle` together (scopes `anon` and `user`)."""

    throttle_classes: tuple[type[SimpleRateThrottle], ...] = (AnonRateThrottle, UserRateThrottle)

    def allow_request(self, request, view) -> bool:
        throttles = [throttle_class() for throttle_class in self.throttle_classes]
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
