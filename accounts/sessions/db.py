"""Database sessions that know their user (see the package)."""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from . import UserSessionStoreMixin


class SessionStore(UserSessionStoreMixin, DBStore):
    pass
