"""DRF's anonymous and per-user rate limits, in one round trip to Redis.

`AnonRateThrottle` and `UserRateThrottle` each read their history from the cache and write it
back: four round trips to Redis on every anonymous API request, two on a signed one — half of
a cached read's time. `AnonAndUserRateThrottle` keeps their rules (rates, keys, the sliding
window of allowed requests, the wait they answer) and, when the cache is Redis, runs both in
one Lua script per request: each history is a sorted set of request times, trimmed to the
window, counted, and added to when the request is allowed. On another cache (the quick
start's in-memory one), or when a throttle's own `allow_request` has been replaced, both run
unchanged against one cache read and one write.

Also here, the two things every rate limit of the site shares, pages and API alike:

- `client_address`: the one reading of the client's address. DRF's throttles (`get_ident`),
  allauth's rate limits (`accounts.adapter`), the admin login and the page limits all call it,
  so a forged X-Forwarded-For resets none of them.
- `RATE_SCOPES`: what each throttle scope counts (writes only, or reads too; everyone, or
  visitors only) and the sentence a person is shown past it. `ScopedRateThrottle` applies it
  to API views (`throttle_scope`), `rednote.ratelimits.rate_limited` to page views, against
  the same counter: posting by the form and by the API spends one budget.
"""

import ipaddress
import secrets
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import ngettext
from rest_framework import throttling as drf_throttling
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

# --- The client's address -----------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as the outermost of our own proxies saw
    it: `TRUSTED_PROXY_COUNT` entries from the right end of X-Forwarded-For (each proxy of ours
    appends the address it was reached from), or REMOTE_ADDR when that is 0, the header is
    missing (the request did not come through the proxies) or its entry is not an address.

    Entries further left were written by the client and are never read: rotating them resets
    no limit. With fewer entries than proxies, the leftmost is the furthest a proxy of ours
    saw (DRF's reading; allauth's own would be a 500).
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for") if count > 0 else None
    if forwarded:
        hops = forwarded.split(",")
        try:
            return str(ipaddress.ip_address(hops[-min(count, len(hops))].strip()))
        except ValueError:
            pass
    return remote


def client_ident(request: HttpRequest) -> str:
    """Who a visitor is to a rate limit: `client_address`, an IPv6 address by its /64 network
    (one household or server has them all; allauth's limits count the same way)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


class _ClientIdent:
    def get_ident(self, request) -> str:
        return client_ident(request)


class AnonRateThrottle(_ClientIdent, drf_throttling.AnonRateThrottle):
    """DRF's, with the client's address read by `client_address`."""


class UserRateThrottle(_ClientIdent, drf_throttling.UserRateThrottle):
    """DRF's, with the client's address read by `client_address` (for visitors)."""


# --- Scopes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateScope:
    """What a throttle scope counts. Its rate is in REST_FRAMEWORK's DEFAULT_THROTTLE_RATES
    (settings; API_THROTTLE_RATES overrides it)."""

    # GET and HEAD count too: reads that cost like a write (search, machine translation).
    reads: bool = False
    # The writes that count (deleting one's own note, say, should never be held back).
    writes: frozenset[str] = frozenset(("POST", "PUT", "PATCH", "DELETE"))
    # Signed-in people are not counted (they have the per-user rate on the API).
    visitors_only: bool = False
    # The scope a poll counts against instead (`is_poll`: asking again how something already
    # asked for is going, which only reads), so waiting spends none of this scope's budget.
    polls: str | None = None


# Every scope of the site; one not listed counts writes from everyone.
RATE_SCOPES: dict[str, RateScope] = {
    "auth_token": RateScope(),
    "auth_signup": RateScope(),
    "notes": RateScope(writes=frozenset(("POST", "PUT", "PATCH"))),
    "comments": RateScope(),
    "reactions": RateScope(),
    "social_graph": RateScope(),
    "reports": RateScope(),
    "uploads": RateScope(writes=frozenset(("POST", "PUT", "PATCH"))),
    # Asking for machine translations (the provider's budget); asking again how one already
    # asked for is going (the page's polling of a pending one, an API client's `?poll=1`)
    # counts in the generous `translation_polls` instead: that request only reads.
    "translations": RateScope(reads=True, polls="translation_polls"),
    "translation_polls": RateScope(reads=True),
    "search": RateScope(reads=True, visitors_only=True),
    # Reading aids: the dictionary (page and API), notes' and comments' annotations.
    "reading": RateScope(reads=True, visitors_only=True),
    # Boards made or renamed, community translations suggested, votes, translation feedback,
    # glossary terms suggested.
    "contributions": RateScope(writes=frozenset(("POST", "PUT", "PATCH"))),
}

_READS = frozenset(("GET", "HEAD"))

# The query parameter that makes a read a poll (`is_poll`).
POLL_PARAMETER = "poll"


def is_poll(request) -> bool:
    """Whether `request` only asks again how something already asked for is going (a GET or
    HEAD with `?poll=1` or `?poll=true`): the view must then only read — never start the work
    that the scope's budget protects — and the request counts against the scope's `polls`."""
    value = request.GET.get(POLL_PARAMETER, "").strip().lower()
    return request.method in _READS and value in ("1", "true")


def request_scope(scope: str, request) -> str:
    """The scope `request` counts against on a view of `scope`: its `polls` scope for a poll,
    else `scope` itself."""
    polls = RATE_SCOPES.get(scope, RateScope()).polls
    return polls if polls and is_poll(request) else scope


def scope_counts(scope: str, request) -> bool:
    """Whether `request` counts against `scope` (its method and, for some, who sends it)."""
    rules = RATE_SCOPES.get(scope, RateScope())
    if request.method not in rules.writes and not (rules.reads and request.method in _READS):
        return False
    return not (rules.visitors_only and request.user.is_authenticated)


def throttled_message(scope: str | None, wait: int) -> str:
    """What a person past the limit of `scope` is told, on a page and in the API alike."""
    if scope == "comments":
        text = ngettext(
            "Too many comments in a short time; try again in %(n)s second.",
            "Too many comments in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "uploads":
        text = ngettext(
            "Too many photos uploaded in a short time; try again in %(n)s second.",
            "Too many photos uploaded in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "social_graph":
        text = ngettext(
            "Too many follows in a short time; try again in %(n)s second.",
            "Too many follows in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "notes":
        text = ngettext(
            "Too many notes posted or edited in a short time; try again in %(n)s second.",
            "Too many notes posted or edited in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "reactions":
        text = ngettext(
            "Too many likes and saves in a short time; try again in %(n)s second.",
            "Too many likes and saves in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "reports":
        text = ngettext(
            "Too many reports in a short time; try again in %(n)s second.",
            "Too many reports in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope in ("translations", "translation_polls"):
        text = ngettext(
            "Too many translations asked for in a short time; try again in %(n)s second.",
            "Too many translations asked for in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "contributions":
        text = ngettext(
            "Too many boards, translations or glossary suggestions sent in a short time; try "
            "again in %(n)s second.",
            "Too many boards, translations or glossary suggestions sent in a short time; try "
            "again in %(n)s seconds.",
            wait,
        )
    elif scope == "reading":
        text = ngettext(
            "Too many words looked up in a short time; try again in %(n)s second.",
            "Too many words looked up in a short time; try again in %(n)s seconds.",
            wait,
        )
    elif scope == "search":
        text = ngettext(
            "Too many searches in a short time; try again in %(n)s second.",
            "Too many searches in a short time; try again in %(n)s seconds.",
            wait,
        )
    else:
        text = ngettext(
            "Too many requests in a short time; try again in %(n)s second.",
            "Too many requests in a short time; try again in %(n)s seconds.",
            wait,
        )
    return text % {"n": wait}


class ScopedRateThrottle(_ClientIdent, drf_throttling.ScopedRateThrottle):
    """DRF's, counting only what the scope counts (`RATE_SCOPES`), a poll against the scope's
    `polls` scope (`request_scope`); the refusing scope is left on the view
    (`throttled_scope`) so the API's 429 names it (`rednote.api`)."""

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, self.scope_attr, None)
        if not scope:
            return True
        scope = request_scope(scope, request)
        if not scope_counts(scope, request):
            return True
        # DRF's throttle reads only the scope from the view: it is given the one counted.
        counted_view = cast(Any, SimpleNamespace(**{self.scope_attr: scope}))
        if super().allow_request(request, counted_view):
            return True
        view.throttled_scope = scope
        return False


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
