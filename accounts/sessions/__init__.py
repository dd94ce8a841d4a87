"""Session engines that record whose each session is (`accounts.models.UserSession`), so a
person's sessions can be listed and ended (`sessions_end`): `accounts.sessions.db` (the
quick start) and `accounts.sessions.cached_db` (read from the cache, written through to the
database; with Redis). Set as SESSION_ENGINE."""

from typing import Any

from django.contrib.auth import SESSION_KEY


class UserSessionStoreMixin:
    """Stores sessions in `UserSession`, with the signed-in user's id in its own column."""

    @classmethod
    def get_model_class(cls):
        from ..models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]):
        instance = super().create_model_instance(data)  # type: ignore[misc]
        try:
            instance.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            instance.user_id = None
        return instance


def sessions_end(*, user_id: int, keep_session_key: str | None = None) -> int:
    """End every session of this person (but `keep_session_key`, the one in use, when given:
    a password change keeps its own browser signed in): each is deleted through the configured
    engine (the database row and, with cached_db, its cached copy), so the next request with
    its cookie is a visitor's. Returns how many there were."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from ..models import UserSession

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    sessions = UserSession.objects.filter(user_id=user_id)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    keys = list(sessions.values_list("session_key", flat=True))
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)
