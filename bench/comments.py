"""How much does a note's thread cost? `.venv/bin/python bench/comments.py [--comments N]`

Needs PostgreSQL (`DATABASE_URL`). Runs in a throw-away database, `<name>_bench_comments` next
to the one `DATABASE_URL` names (dropped and made anew).

One busy note with `--comments` top-level comments (default 5,000), 5 replies each, by 300
people; the reader has blocked 10 of them and muted 10. Measured in process, the median and p99
of `--repeats` runs each, interleaved:

  first page   `note_thread`: 20 top-level comments, their first two replies, the counts.
  deep page    the same 100 pages down (a cursor), to show it costs the same.
  replies      `comment_replies`: a page of 10 replies after the first two.
  post         `comment_create` of a reply (checks, counters, mentions, language detection,
               events; the tasks they enqueue go to an in-memory broker, as to a worker).
  like         `comment_like` then `comment_unlike`.

Targets: first and deep page ≤ 20 ms and deep ≤ 1.5 × first; replies ≤ 10 ms; post ≤ 60 ms;
like ≤ 15 ms. Exits with status 1 when a target is missed. `--sql` shows where a first page's
time goes, `--explain` its plans.
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
    parser.add_argument("--comments", type=int, default=5_000, help="top-level comments")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--sql", action="store_true", help="also: where a page's time goes")
    parser.add_argument("--explain", action="store_true", help="also: EXPLAIN ANALYZE a page")
    return parser.parse_args()


def database_url(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench_comments"))


def database_run(url: str, statement: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(statement.format(name=parts.path.lstrip("/")))
    admin.close()


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def generate(count: int):
    """The note, its thread and the reader, with bulk inserts (only the rows matter here);
    counters set as the services would have left them."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Block, Mute, User
    from notes.models import Comment, Note
    from notes.search import note_search_document_update

    now = timezone.now()
    people = User.objects.bulk_create(
        [User(handle=f"p{i}", email=f"p{i}@example.com") for i in range(301)]
    )
    reader, people = people[0], people[1:]
    note = Note.objects.create(
        author=people[0], title="A busy note", status="published", published_at=now
    )
    tops = Comment.objects.bulk_create(
        [
            Comment(
                note=note,
                author=people[i % 300],
                body=f"comment {i} about the teahouse 茶馆 nearby",
                created_at=now - timedelta(seconds=count - i),
                reply_count=5,
                like_count=i % 7,
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    replies = [
        Comment(
            note=note,
            author=people[(i + k + 1) % 300],
            parent=top,
            reply_to=people[i % 300],
            body=f"reply {k}",
            created_at=top.created_at + timedelta(milliseconds=k + 1),
        )
        for i, top in enumerate(tops)
        for k in range(5)
    ]
    Comment.objects.bulk_create(replies, batch_size=5000)
    Note.objects.filter(pk=note.pk).update(comment_count=count * 6)
    Block.objects.bulk_create([Block(blocker=reader, blocked=p) for p in people[10:20]])
    Mute.objects.bulk_create([Mute(muter=reader, muted=p) for p in people[20:30]])
    note.refresh_from_db()
    note_search_document_update(note)
    return note, reader, people, tops


def main() -> int:
    args = parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("Needs DATABASE_URL (PostgreSQL).")
        return 1
    url = database_url(base)
    database_run(url, 'DROP DATABASE IF EXISTS "{name}"')
    database_run(url, 'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        print(f"Generating {args.comments:,} comments and {args.comments * 5:,} replies...")
        note, reader, people, tops = generate(args.comments)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from notes import comments_selectors as selectors
        from notes import services
        from rednote.celery import app as celery_app

        # As on the full stack: the work the events enqueue (notifications, the rank, the
        # search document) waits for a worker; the request pays for sending it, not doing it.
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = "memory://"

        cursor = None
        for _ in range(100):
            cursor = selectors.note_thread(viewer=reader, note=note, cursor=cursor).next_cursor
        top = selectors.note_thread(viewer=reader, note=note).comments[0]
        writers = iter(people[40:] * (args.repeats // 260 + 2))
        liked = tops[-1]

        def first_page():
            selectors.note_thread(viewer=reader, note=note)

        def deep_page():
            selectors.note_thread(viewer=reader, note=note, cursor=cursor)

        def replies():
            selectors.comment_replies(viewer=reader, comment=top, cursor=top.replies_cursor)

        def post():
            services.comment_create(author=next(writers), note=note, body="me too", parent=top)

        def like():
            services.comment_like(user=reader, comment=liked)
            services.comment_unlike(user=reader, comment=liked)

        measures = {
            "first page": first_page,
            "deep page": deep_page,
            "replies": replies,
            "post": post,
            "like": like,
        }
        results: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(args.repeats):  # interleaved
            for name, function in measures.items():
                results[name].append(timed(function))
        if args.sql:
            spent: list[tuple[float, str]] = []

            def wrapper(execute, sql, params, many, context):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(((time.perf_counter() - start) * 1000, sql[:90]))

            total = 0.0
            with connection.execute_wrapper(wrapper):
                total = timed(first_page)
            print(f"\nfirst page: {total:.2f} ms, SQL {sum(t for t, _ in spent):.2f} ms")
            for ms, sql in spent:
                print(f"  {ms:7.2f}  {sql}")

        if args.explain:
            statements: list[tuple[str, tuple]] = []

            def record(execute, sql, params, many, context):
                statements.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                first_page()
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute("EXPLAIN ANALYZE " + sql, params)
                    print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")

        print(f"\n{'':12} {'median ms':>10} {'p99 ms':>8}")
        medians = {}
        for name, values in results.items():
            values.sort()
            medians[name] = statistics.median(values)
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            print(f"{name:12} {medians[name]:>10.2f} {p99:>8.2f}")
        targets = [
            ("first page ≤ 20 ms", medians["first page"] <= 20),
            ("deep page ≤ 20 ms", medians["deep page"] <= 20),
            ("deep ≤ 1.5 × first", medians["deep page"] <= 1.5 * medians["first page"]),
            ("replies ≤ 10 ms", medians["replies"] <= 10),
            ("post ≤ 60 ms", medians["post"] <= 60),
            ("like ≤ 15 ms", medians["like"] <= 15),
        ]
        print()
        for label, met in targets:
            print(f"{'met   ' if met else 'MISSED'} {label}")
        return 0 if all(met for _label, met in targets) else 1
    finally:
        connection.close()
        database_run(url, 'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    sys.exit(main())
