"""How much does the inbox cost per page? `.venv/bin/python bench/notifications.py [--entries N]`

Needs PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`). Runs in a throw-away database,
`<name>_bench_notifications` next to the one `DATABASE_URL` names (dropped and made anew), and
on the cache's Redis under this run's own keys.

A busy recipient (`--entries` entries, default 50,000, of which 5,000 unread, across the three
tabs, 13 people behind each like group) among 200 others with 200 entries each. Measured, in
process, the median and p99 of `--repeats` runs each, interleaved:

  badge hit     `unread_counts` from the cache: what every signed-in page pays.
  badge miss    the same after the cache was dropped (the grouped COUNT with the shown rule).
  first page    `notifications_page` of the likes tab, 20 rows, with its prefetches.
  deep page     the same 100 pages down (a cursor), to show it costs the same.
  like          `notification_actor_add` of a new person to an unread group (a task's work).

Targets: badge hit ≤ 1 ms (every signed-in page pays it); badge miss ≤ 25 ms; first and deep
page ≤ 25 ms and deep ≤ 1.5 × first; like ≤ 15 ms. Exits with status 1 when a target is missed.
`--sql` shows where a page's time goes (its statements against its whole time), `--explain`
the plans, `--profile` a cProfile of 20 pages.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000, help="the busy recipient's")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--sql", action="store_true", help="also: where a page's time goes")
    parser.add_argument("--explain", action="store_true", help="also: EXPLAIN ANALYZE a page")
    parser.add_argument("--profile", action="store_true", help="also: cProfile 20 pages")
    return parser.parse_args()


def database_recreate(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def database_drop(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    admin.close()


def timed(function, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        out.append((time.perf_counter() - start) * 1000)
    return out


def sql_report(*functions) -> None:
    """Each function's SQL statements and their time, against its whole time."""
    from django.db import connection

    for function in functions:
        spent: list[tuple[float, str]] = []

        def wrapper(execute, sql, params, many, context, spent=spent):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(((time.perf_counter() - start) * 1000, sql[:90]))

        start = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            function()
        total = (time.perf_counter() - start) * 1000
        print(f"\n{function.__name__}: {total:.2f} ms, SQL {sum(t for t, _ in spent):.2f} ms")
        for ms, sql in spent:
            print(f"  {ms:7.2f}  {sql}")


def explain(function) -> None:
    """EXPLAIN ANALYZE of each statement `function` runs."""
    from django.db import connection

    statements: list[tuple[str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        function()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def generate(entries: int):
    """The busy recipient and the noise, with bulk inserts (not the services: only the rows
    matter here)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from notes.models import Note
    from notifications.models import (
        TAB_OF_KIND,
        Notification,
        NotificationActor,
        NotificationKind,
    )

    now = timezone.now()
    people = User.objects.bulk_create(
        [User(handle=f"p{i}", email=f"p{i}@example.com") for i in range(2200)]
    )
    mei, actors, others = people[0], people[1:2001], people[2001:]
    notes = Note.objects.bulk_create(
        [Note(author=mei, title=f"n{i}", status="published", published_at=now) for i in range(500)]
    )
    kinds = [NotificationKind.LIKE, NotificationKind.COLLECT, NotificationKind.FOLLOW]
    rows = []
    for i in range(entries):
        kind = kinds[i % 3]
        actor = actors[i % len(actors)]
        note = None if kind == NotificationKind.FOLLOW else notes[i % len(notes)]
        rows.append(
            Notification(
                recipient=mei,
                kind=kind,
                tab=TAB_OF_KIND[kind],
                group_key=f"user:{actor.pk}" if note is None else f"note:{note.pk}",
                actor=actor,
                actor_count=1 if note is None else 13,
                note=note,
                created_at=now - timedelta(minutes=entries - i),
                updated_at=now - timedelta(minutes=entries - i),
                # The newest 5,000 unread; the unread groups' keys must be unique.
                read_at=None if i >= entries - 5000 else now,
            )
        )
    for other in others:
        for i in range(200):
            actor = actors[i]
            rows.append(
                Notification(
                    recipient=other,
                    kind=NotificationKind.FOLLOW,
                    tab="follows",
                    group_key=f"user:{actor.pk}",
                    actor=actor,
                    read_at=now if i % 2 else None,
                )
            )
    # Unread groups must be unique per key: keep only the last unread row of each key.
    seen: set[tuple] = set()
    for row in reversed(rows):
        if row.read_at is None:
            key = (row.recipient_id, row.kind, row.group_key)
            if key in seen:
                row.read_at = now
            seen.add(key)
    Notification.objects.bulk_create(rows, batch_size=5000)
    links = []
    for entry in Notification.objects.filter(recipient=mei).only("pk", "actor_id", "actor_count"):
        for k in range(entry.actor_count):
            links.append(
                NotificationActor(
                    notification_id=entry.pk, actor_id=actors[(entry.actor_id + k) % 2000].pk
                )
            )
    NotificationActor.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return mei, notes, actors


def main() -> int:
    args = parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("Needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
        return 1
    parts = urlsplit(base)
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench_notifications"))
    database_recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    try:
        call_command("migrate", verbosity=0)
        print(f"Generating {args.entries:,} entries...", flush=True)
        mei, notes, actors = generate(args.entries)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from notifications import selectors, services
        from notifications.models import NotificationKind

        key = selectors.unread_counts_key(mei.pk)

        def badge_miss():
            cache.delete(key)
            selectors.unread_counts(recipient=mei)

        def badge_hit():
            selectors.unread_counts(recipient=mei)

        first_page = selectors.notifications_page(recipient=mei, tab="likes", cursor=None, size=20)
        cursor = first_page.next_cursor
        for _ in range(100):
            cursor = selectors.notifications_page(
                recipient=mei, tab="likes", cursor=cursor, size=20
            ).next_cursor

        def page_first():
            selectors.notifications_page(recipient=mei, tab="likes", cursor=None, size=20)

        def page_deep():
            selectors.notifications_page(recipient=mei, tab="likes", cursor=cursor, size=20)

        fans = iter(actors[::-1])

        def like():
            with transaction.atomic():
                services.notification_actor_add(
                    kind=NotificationKind.LIKE,
                    recipient=mei,
                    actor_id=next(fans).pk,
                    acted_at=timezone.now(),
                    note_id=notes[-1].pk,
                )

        # In this order: the like drops the cached counts, the miss caches them again.
        measures = {
            "like": like,
            "badge miss": badge_miss,
            "badge hit": badge_hit,
            "first page": page_first,
            "deep page": page_deep,
        }
        results: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(args.repeats):  # interleaved
            for name, function in measures.items():
                results[name] += timed(function, 1)
        cache.delete(key)
        if args.sql:
            sql_report(page_first, badge_miss)
        if args.explain:
            explain(page_first)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                page_first()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

        print(f"\n{'':12} {'median ms':>10} {'p99 ms':>8}")
        medians = {}
        for name, values in results.items():
            values.sort()
            medians[name] = statistics.median(values)
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            print(f"{name:12} {medians[name]:>10.2f} {p99:>8.2f}")
        targets = [
            ("badge hit ≤ 1 ms", medians["badge hit"] <= 1),
            ("badge miss ≤ 25 ms", medians["badge miss"] <= 25),
            ("first page ≤ 25 ms", medians["first page"] <= 25),
            ("deep page ≤ 25 ms", medians["deep page"] <= 25),
            ("deep ≤ 1.5 × first", medians["deep page"] <= 1.5 * medians["first page"]),
            ("like ≤ 15 ms", medians["like"] <= 15),
        ]
        missed = [name for name, ok in targets if not ok]
        print()
        print("MISSED: " + "; ".join(missed) if missed else "All targets met.")
        return 1 if missed else 0
    finally:
        connection.close()
        database_drop(url)


if __name__ == "__main__":
    sys.exit(main())
