"""The readers' hourly translation quota, counted in characters sent to the provider."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User

from .types import QuotaExceeded


def _quota_key(who: str) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"translations:quota:{who}:{hour}"


def _quota_who(user: User | None, visitor: str | None) -> str | None:
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"visitor:{visitor}" if visitor else None


def translation_quota_use(
    *, user: User | None, characters: int, visitor: str | None = None
) -> None:
    """Count `characters` sent to the provider for `user` this hour; QuotaExceeded (nothing
    counted) when that would pass TRANSLATION_QUOTA_CHARACTERS_PER_HOUR. A visitor (no user)
    is counted by `visitor` (e.g. the client address) when the caller gives one, else not.

    The counter lives in the cache (Redis on the full stack), one key per person and hour."""
    limit = int(settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR)
    who = _quota_who(user, visitor)
    if who is None or limit <= 0 or characters <= 0:
        return
    key = _quota_key(who)
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key, characters)
    except ValueError:  # expired between add and incr
        cache.set(key, characters, timeout=3600)
        used = characters
    if used > limit:
        cache.decr(key, characters)
        raise QuotaExceeded


def translation_quota_left(*, user: User) -> int:
    limit = int(settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR)
    return max(0, limit - int(cache.get(_quota_key(f"user:{user.pk}")) or 0))
