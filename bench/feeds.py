"""How fast are the hot reads and the feed store? `.venv/bin/python bench/feeds.py [--part P]`

Needs PostgreSQL (`DATABASE_URL`), Redis (`REDIS_URL`), gunicorn, redis-server and wrk
(`apt-get install wrk`). Everything runs in throw-away places: the database `<name>_bench`
(demo data, `manage.py seed_demo`) and `<name>_bench_pull` (1M generated notes) next to the one
`DATABASE_URL` names, a private redis-server on a free port for the fan-out, `bench/out/`.

Four parts (`--part web,fanout,pull,freshness`, default all), the first three side by side
with a yardstick in the same run, interleaved, so machine drift hits both alike:

  web     Every hot read — the notes list and one note (API), the note page, Discover, a tag
          page, a profile, and the feeds API/pages once they exist — served by gunicorn
          (2 workers) from the demo data, loaded by wrk (16 connections on 127.0.0.1), against
          a minimal Django site (`bench/feedslib/static_site.py`, same gunicorn settings)
          answering with the same bytes. Reported: req/s and p99 as ratios to the static site.
          Targets (issue 7): note page and note API ≥ 0.25× static req/s; Discover, tag,
          profile and lists ≥ 0.2×; home feed API ≥ 0.5× and p99 ≤ 2.5× static.
  fanout  One note to 1k / 10k / 100k followers through `feeds.store` (when it exists),
          against Redis's own ceiling in the same run: a raw pipelined ZADD of the same members
          with redis-py. Targets: 100k ≤ 1 s and ≥ 0.6× the ceiling; Redis memory per
          timeline entry (full 800-entry timelines) ≤ 110 bytes.
  pull    Top-20 of a hashtag and of a profile on 1M notes (generated with generate_series, not
          the ORM), with the SQL of the real selectors (`notes_of_hashtag`,
          `notes_of_author`): p99 ≤ 10 ms and worst ≤ 2× typical over tags/authors of every
          size. EXPLAIN ANALYZE is printed for what misses.
  freshness  End to end on the full stack: gunicorn (2 workers) and a real celery worker
          (prefork, concurrency 2, queues default/images/feeds) on the scratch database and
          `REDIS_URL`; an author with 1,000 active followers uploads two 3000×4000 JPEGs and
          posts a note with them over the API, the last follower polls the home feed API every
          20 ms. Target: median ≤ 1.5 s from the note's POST to the last follower's feed, image
          processing included (`--freshness-notes` notes after a warm-up one); the rows'
          timestamps and the worker's log say where the time went.

Exits with status 1 when a target is missed.
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def scratch_url(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part", default="web,fanout,pull,freshness", help="web, fanout, pull, freshness (commas)"
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8105, help="the project's port")
    parser.add_argument("--static-port", type=int, default=18105)
    parser.add_argument("--only", default="", help="web: measure only paths containing this")
    parser.add_argument("--project", help="web: serve the site from this checkout instead")
    parser.add_argument("--pull-notes", type=int, default=1_000_000)
    parser.add_argument("--freshness-notes", type=int, default=10, help="notes timed end to end")
    parser.add_argument("--followers", type=int, default=1000, help="freshness: the author's")
    parser.add_argument("--poll-ms", type=float, default=20, help="freshness: feed reads every")
    parser.add_argument("--profile", metavar="PATH", help="profile one path in-process instead")
    parser.add_argument("--profile-as", choices=["anonymous", "token", "session"])
    parser.add_argument("--profile-requests", type=int, default=300)
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
BASE_URL = os.environ.get("DATABASE_URL", "")
if __name__ == "__main__":
    if not BASE_URL.startswith("postgres"):
        # `make bench` on the quick start: nothing to measure against, not a failure.
        print("bench/feeds.py skipped: it needs DATABASE_URL=postgres://... and REDIS_URL.")
        sys.exit(0)
    # The project as it is deployed (DEBUG off), on the scratch database, with tasks run
    # in-process for seeding and throttles out of the way of the load generator.
    os.environ.update(
        {
            "ENV_FILE": "",
            "DATABASE_URL": scratch_url(BASE_URL, "_bench"),
            "DEBUG": "false",
            "SECRET_KEY": "bench-feeds-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "CACHE_KEY_PREFIX": "bench-feeds",
            "API_THROTTLE_RATES": "anon=100000000/min,user=100000000/min,uploads=100000000/min",
            "MEDIA_ROOT": str(OUT / "media"),
            "PRIVATE_MEDIA_ROOT": str(OUT / "private"),
            "STATIC_ROOT": str(OUT / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

import psycopg2  # noqa: E402


def database_create(url: str) -> bool:
    """Create the database `url` names if missing; True when it was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return not exists


def main() -> int:
    assert ARGS is not None
    OUT.mkdir(exist_ok=True)
    database_create(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)

    from bench.feedslib import fanout, freshness, pull, web

    if ARGS.profile:
        from bench.feedslib import profile

        _ids, auth = web.fixtures()
        profile.run(ARGS, ARGS.profile, auth.get(ARGS.profile_as or "", {}))
        return 0

    parts = [p.strip() for p in ARGS.part.split(",") if p.strip()]
    missed = []
    if "web" in parts:
        missed += web.run(ARGS)
    if "fanout" in parts:
        missed += fanout.run(ARGS)
    if "pull" in parts:
        missed += pull.run(ARGS, scratch_url(BASE_URL, "_bench_pull"), database_create)
    if "freshness" in parts:
        missed += freshness.run(ARGS)
    print()
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
