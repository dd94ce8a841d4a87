"""Counting translations served and provider errors, per day, for the community dashboard.

Readers never wait on a shared row: a count goes into the cache (`usage_count`: one INCR on
Redis), and `usage_flush`, run by beat every few minutes, adds what the cache holds to the
`TranslationUsage` rows and takes exactly that much out of the cache (counts that arrive in
between stay for the next run). `usage_by_day` reads the rows plus what is not flushed yet, so
the dashboard is right with or without beat (the quick start has none).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import TranslationUsage, UsageKind

# A day's counters outlive it by this much: beat flushes them long before.
COUNTER_SECONDS = 3 * 24 * 3600
# Days still counted in the cache, flushed or read back: today and yesterday.
CACHED_DAYS = 2


def _key(day: date, kind: str) -> str:
    return f"translations:usage:{day.isoformat()}:{kind}"


def usage_count(kind: str, n: int = 1) -> None:
    """Count `n` of `kind` (a `UsageKind` value) today. Never raises: a count is not worth a
    reader's request."""
    if n <= 0:
        return
    key = _key(timezone.localdate(), kind)
    try:
        try:
            cache.incr(key, n)
        except ValueError:  # not there yet (add is a no-op when another process just did)
            cache.add(key, 0, COUNTER_SECONDS)
            cache.incr(key, n)
    except Exception:  # noqa: BLE001 — the cache being down must not fail a translation
        return


def _cached_keys(today: date) -> dict[str, tuple[date, str]]:
    return {
        _key(today - timedelta(days=back), kind): (today - timedelta(days=back), kind)
        for back in range(CACHED_DAYS)
        for kind in UsageKind.values
    }


def usage_flush() -> int:
    """Move the cached counts into `TranslationUsage`; returns how many were moved."""
    keys = _cached_keys(timezone.localdate())
    moved = 0
    for key, value in cache.get_many(list(keys)).items():
        count = int(value or 0)
        if count <= 0:
            continue
        day, kind = keys[key]
        with transaction.atomic():
            updated = TranslationUsage.objects.filter(day=day, kind=kind).update(
                count=F("count") + count
            )
            if not updated:
                _, created = TranslationUsage.objects.get_or_create(
                    day=day, kind=kind, defaults={"count": count}
                )
                if not created:
                    TranslationUsage.objects.filter(day=day, kind=kind).update(
                        count=F("count") + count
                    )
        cache.decr(key, count)
        moved += count
    return moved


def usage_by_day(*, start: date, end: date) -> dict[str, dict[date, int]]:
    """Counts per kind per day from `start` to `end` (inclusive): flushed and not yet."""
    totals: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    rows: Iterable[TranslationUsage] = TranslationUsage.objects.filter(day__gte=start, day__lte=end)
    for row in rows:
        totals[row.kind][row.day] += row.count
    keys = _cached_keys(timezone.localdate())
    try:
        cached = cache.get_many(list(keys))
    except Exception:  # noqa: BLE001 — without the cache, show what is stored
        cached = {}
    for key, value in cached.items():
        day, kind = keys[key]
        if start <= day <= end and value:
            totals[kind][day] += int(value)
    return {kind: dict(days) for kind, days in totals.items()}
