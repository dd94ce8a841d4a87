"""Whole-page cache for visitors (signed-out readers) of the hot HTML pages.

A visitor's Discover, tag, profile or note page is the same for every visitor who reads the same
address in the same interface language, so `visitor_page_cache` keeps the rendered response in
the cache (Redis when `REDIS_URL` is set, the process's memory on the quick start) for
`VISITOR_PAGE_CACHE_SECONDS` (0: off) and serves it again without running the view: no query,
no template.

What is cached, and for whom:

- Only GET (HEAD reads the GET entry) by a visitor: a request carrying a session cookie may be
  signed in (and is never even asked, which would cost a query), one carrying a messages cookie
  has messages to show; both go to the view. So does a query parameter the page does not name
  (`query`) or names twice: only the addresses the site links to are kept.
- Only a 200 that sets no cookie of its own and queued no message. The CSRF cookie is the
  middleware's, set on every answer as usual; the CSRF token written into the page (the
  `hx-headers` of base.html, each `{% csrf_token %}`) is one visitor's, so it is stored as a
  placeholder and each answer gets the reader's own (`get_token`), which also sends them the
  cookie it belongs to. A page holding the raw CSRF secret is not stored at all.
- The key is the scheme, host, path, the page's own query parameters (sorted), the active
  interface language and the htmx headers the views look at (`HX-Request`, `HX-Boosted`,
  `HX-History-Restore-Request`): a zh-Hans visitor never gets the English page, nor htmx's
  "load more" cards the whole page. The stored headers are the view's own (Content-Type,
  Vary...); the middleware adds the rest on every answer, cached or not.

Freshness: each page names its *scopes* (`scopes(request, **kwargs)`), plus the site-wide
`SITE_SCOPE` every page has. A scope's version is a random token in the cache;
`scope_bump(*names)` replaces it (right away and again after the transaction commits), and a
stored page remembers the versions it was rendered under: the page and its scopes' versions are
read in one round trip (`get_many`) and a page whose scopes moved on is rendered again. The
versions are read before the view runs, so a change committed while a page renders makes that
page stale at once; a version that is missing (never set, evicted, expired) is set before the
page renders, so an evicted version can never bring back a page stored before a bump.
Which events bump which scope is the business of the apps that own them (`notes.page_scopes`);
the rule there: what a visitor must no longer see (a note deleted, hidden or narrowed, an
account suspended, a board made private, likes hidden...) bumps the scopes of every page that
showed it, and what merely changed or is new (new notes, likes, counters, a display name on
someone else's page) shows within `VISITOR_PAGE_CACHE_SECONDS`.

A cache that cannot be reached serves the page uncached (logged), never an error.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # no public unmasking
    _unmask_cipher_token,
    get_token,
)
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

SITE_SCOPE = "site"
# A scope's version outlives the pages that remember it by far; when it expires those pages are
# stale (a new version is set), never wrongly fresh.
SCOPE_VERSION_SECONDS = 24 * 3600
KEY_PREFIX = "pagecache:v1:"
# Stands in for the reader's CSRF token in a stored page: not something a page can contain.
CSRF_PLACEHOLDER = b"\x00pagecache-csrf-token\x00"
# A masked CSRF token, as `get_token` writes it (64 letters and digits).
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")

Scopes = Callable[..., Iterable[str]]


def _scope_key(name: str) -> str:
    return f"{KEY_PREFIX}scope:{name}"


def _new_version() -> str:
    return secrets.token_hex(8)


def _bump(names: Sequence[str]) -> None:
    try:
        cache.set_many({_scope_key(name): _new_version() for name in names}, SCOPE_VERSION_SECONDS)
    except Exception:  # the cache is down: nothing can be served from it either
        logger.warning("page cache: could not bump %s", names, exc_info=True)


def scope_bump(*names: str) -> None:
    """Make every stored page of these scopes stale, now and once the current transaction
    commits (a visitor rendering in between read the old rows)."""
    names = tuple(dict.fromkeys(name for name in names if name))
    if not names:
        return
    if transaction.get_connection().in_atomic_block:
        _bump(names)
    transaction.on_commit(lambda: _bump(names))


def _enabled() -> int:
    return int(getattr(settings, "VISITOR_PAGE_CACHE_SECONDS", 0) or 0)


def _query_part(request: HttpRequest, query: Sequence[str]) -> str | None:
    """The page's own parameters, sorted; None when the query has anything else (or twice)."""
    parts = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in query or len(values) != 1:
            return None
        parts.append((name, values[0]))
    return "&".join(f"{name}={value}" for name, value in sorted(parts))


def _visitor(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated  # no session: no query


def _page_key(request: HttpRequest, query_part: str) -> str:
    htmx = "/".join(request.headers.get(name, "") for name in _HTMX_HEADERS)
    address = "\n".join(
        (
            request.scheme or "",
            request.get_host(),
            request.path,
            query_part,
            get_language() or "",
            htmx,
        )
    )
    return KEY_PREFIX + "page:" + hashlib.sha256(address.encode()).hexdigest()


def _token_holes(request: HttpRequest, content: bytes) -> tuple[bytes, bool] | None:
    """`content` with every CSRF token of this request replaced by the placeholder, and
    whether there was one; None if the page cannot be shared (it shows the secret itself)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content, False
    if secret.encode() in content:
        return None
    found = False

    def hole(match: re.Match) -> bytes:
        nonlocal found
        token = match.group().decode()
        if _unmask_cipher_token(token) == secret:
            found = True
            return CSRF_PLACEHOLDER
        return match.group()

    content = _TOKEN_RE.sub(hole, content)
    return content, found


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or len(storage) == 0  # len() reads the (absent) cookie only


def _entry(request: HttpRequest, response: HttpResponse, versions: list) -> tuple | None:
    punched = _token_holes(request, response.content)
    if punched is None:
        return None
    content, has_token = punched
    # Content-Length would be wrong once a token is filled in; the middleware sets its own.
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    return (versions, response.status_code, headers, content, has_token)


def _answer(request: HttpRequest, entry: tuple) -> HttpResponse:
    _versions, status, headers, content, has_token = entry
    if has_token:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def visitor_page_cache(
    *, scopes: Scopes | None = None, query: Sequence[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the decorated GET view's answers to visitors from the cache (see the module).

    `scopes(request, *args, **kwargs)`: the names whose `scope_bump` makes the page stale,
    computed without a query; `query`: the parameters the page reads (any other means the
    view answers, uncached)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ttl = _enabled()
            if ttl <= 0 or request.method not in ("GET", "HEAD") or not _visitor(request):
                return view(request, *args, **kwargs)
            query_part = _query_part(request, query)
            if query_part is None:
                return view(request, *args, **kwargs)
            names = [SITE_SCOPE, *(scopes(request, *args, **kwargs) if scopes else ())]
            scope_keys = [_scope_key(name) for name in names]
            key = _page_key(request, query_part)
            try:
                found = cache.get_many([key, *scope_keys])
            except Exception:
                logger.warning("page cache: read failed", exc_info=True)
                return view(request, *args, **kwargs)
            versions = [found.get(scope_key) for scope_key in scope_keys]
            entry = found.get(key)
            if entry is not None and None not in versions and entry[0] == versions:
                return _answer(request, entry)
            missing = {
                scope_key: _new_version()
                for scope_key, version in zip(scope_keys, versions, strict=True)
                if version is None
            }
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            try:
                if missing:
                    # `add`, not `set`: a version another request just set stays; then reread.
                    for scope_key, version in missing.items():
                        cache.add(scope_key, version, SCOPE_VERSION_SECONDS)
                    now = cache.get_many(list(missing))
                    if any(now.get(k) != v for k, v in missing.items()):
                        return response
                    versions = [found.get(k) or missing[k] for k in scope_keys]
                entry = _entry(request, response, versions)
                if entry is not None:
                    cache.set(key, entry, ttl)
            except Exception:
                logger.warning("page cache: write failed", exc_info=True)
            return response

        return wrapped

    return decorator
