"""Cached database sessions that know their user (see the package)."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from . import UserSessionStoreMixin


class SessionStore(UserSessionStoreMixin, CachedDBStore):
    cache_key_prefix = "accounts.sessions.cached_db"
