"""`bench/feeds.py --part freshness`: a 2-photo note reaching its author's 1,000 followers, end
to end, on the full stack with a worker.

The site under gunicorn (2 sync workers) and a real `celery -A rednote worker` (prefork,
concurrency 2, queues default, images and feeds) share the scratch database, Redis (cache,
broker and timelines on `REDIS_URL`) and the media directories; tasks go through the broker,
not in-process. An author with `--followers` followers, all active now (bulk-created: it is
setup). Each round, over HTTP with the author's token: two phone-size JPEGs (3000×4000,
generated once) to `POST /api/v1/media/`, then `POST /api/v1/notes/` with their ids; meanwhile
the last follower (highest id: the end of the fan-out) reads `GET /api/v1/feeds/home/` every
20 ms until the note is there. Timed from the start of the note's POST (the target) and from
the start of the first upload; the rows' timestamps (photos processed, note published) and the
moment the note shows in the follower's Redis timeline say where the time went, and the
worker's log how long each task ran. One warm-up round first, not counted.

Target (issue 7): median ≤ 1.5 s from the POST of the note, image processing included.
"""

import io
import json
import math
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from .web import _serve

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "bench" / "out"
CELERY = str(Path(sys.executable).with_name("celery"))
TARGET_MEDIAN_SECONDS = 1.5
TIMEOUT_SECONDS = 30.0
AUTHOR = "bench_fresh_author"
FOLLOWER = "bench_fresh_{:05d}"
PHOTO_SIZE = (3000, 4000)  # a phone's 12 megapixels, portrait


@dataclass
class Round:
    note_id: int
    upload_start: float
    post_start: float
    post_end: float
    in_timeline: float | None = None  # first poll that found it in the Redis timeline
    arrived: float | None = None  # end of the first home feed read that showed it
    polls: int = 0
    rows: dict = field(default_factory=dict)  # created, processed (per photo), published
    tasks: dict = field(default_factory=dict)  # task name -> run times from the worker's log


def _env() -> dict:
    """The worker's and the site's environment: the bench's, with tasks through the broker."""
    return {"CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONPATH": str(ROOT)}


def _photos() -> list[bytes]:
    """Two different phone-size JPEGs, made once and kept in bench/out/."""
    from bench.images import photo_like

    photos = []
    for seed in (7, 8):
        path = OUT / f"freshness-{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}-{seed}.jpg"
        if not path.exists():
            out = io.BytesIO()
            photo_like(*PHOTO_SIZE, seed=seed).save(out, "JPEG", quality=90)
            path.write_bytes(out.getvalue())
        photos.append(path.read_bytes())
    return photos


def fixtures(followers: int) -> tuple[str, str, int]:
    """The author and `followers` followers (bulk, once; marked active now on every run):
    the author's token, the last follower's token and id."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from accounts.models import Follow

    user_model = get_user_model()
    unusable = make_password(None)  # nobody signs in with a password here
    author, _ = user_model.objects.get_or_create(handle=AUTHOR, defaults={"password": unusable})
    handles = [FOLLOWER.format(i) for i in range(followers)]
    existing = set(user_model.objects.filter(handle__in=handles).values_list("handle", flat=True))
    user_model.objects.bulk_create(
        [user_model(handle=h, password=unusable) for h in handles if h not in existing]
    )
    ids = list(user_model.objects.filter(handle__in=handles).values_list("pk", flat=True))
    Follow.objects.bulk_create(
        [Follow(follower_id=pk, followee=author) for pk in ids], ignore_conflicts=True
    )
    # Exactly these followers (a smaller --followers than last time drops the rest), all active.
    Follow.objects.filter(followee=author).exclude(follower_id__in=ids).delete()
    user_model.objects.filter(pk__in=[*ids, author.pk]).update(last_active_at=timezone.now())
    last = max(ids)
    author_token, _ = Token.objects.get_or_create(user=author)
    reader_token, _ = Token.objects.get_or_create(user_id=last)
    return author_token.key, reader_token.key, last


def _worker() -> tuple[subprocess.Popen, Path]:
    log = OUT / "celery-freshness.log"
    handle = open(log, "w")  # noqa: SIM115 - lives as long as the worker
    process = subprocess.Popen(  # noqa: S603 - our own celery with fixed arguments
        [CELERY, "-A", "rednote", "worker", "-Q", "default,images,feeds", "--pool", "prefork",
         "--concurrency", "2", "--loglevel", "INFO", "-n", f"bench-freshness-{os.getpid()}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env={**os.environ, **_env()}, stdout=handle, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(300):
        if " ready." in log.read_text(errors="replace"):
            return process, log
        if process.poll() is not None:
            break
        time.sleep(0.1)
    _stop(process)
    raise SystemExit(f"the celery worker did not start; see {log}")


def _drain(broker_url: str) -> None:
    """Wait for messages already in the queues (a killed earlier run's) to be run by the
    worker, so they do not delay the first notes. Never deleted: on a Redis db that another
    stack also uses they would be its messages (give the bench a db of its own)."""
    import redis

    client = redis.Redis.from_url(broker_url)
    queues = ("default", "images", "feeds")
    waiting = sum(client.llen(queue) for queue in queues)
    if waiting:
        print(f"   {waiting} messages were waiting in the broker's queues: run first")
    deadline = time.time() + 60
    while waiting and time.time() < deadline:
        time.sleep(0.2)
        waiting = sum(client.llen(queue) for queue in queues)
    client.close()


def _stop(process: subprocess.Popen) -> None:
    """End a process we started and its children (the worker's pool): its process group."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
    except (ProcessLookupError, PermissionError):
        process.terminate()
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def _request(port: int, method: str, path: str, token: str, body=b"", content_type=""):
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"http://127.0.0.1:{port}{path}", data=body or None, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()[:500]


def _upload(port: int, token: str, photo: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, data = _request(
        port, "POST", "/api/v1/media/", token, body, f"multipart/form-data; boundary={boundary}"
    )
    if status != 201:
        raise SystemExit(f"POST /api/v1/media/ answered {status}: {data!r}")
    return data["id"]


def _round(args, tokens: tuple[str, str], reader_id: int, photos: list[bytes], n: int) -> Round:
    from feeds.store import get_store

    store = get_store()
    author_token, reader_token = tokens
    key = store.timeline_key(reader_id)
    upload_start = time.time()
    media_ids = [_upload(args.port, author_token, photo) for photo in photos]
    payload = {"title": f"Freshness {n}", "body": "Two photos, one note.", "media_ids": media_ids}
    post_start = time.time()
    status, data = _request(
        args.port, "POST", "/api/v1/notes/", author_token,
        json.dumps(payload).encode(), "application/json",
    )  # fmt: skip
    post_end = time.time()
    if status != 201:
        raise SystemExit(f"POST /api/v1/notes/ answered {status}: {data!r}")
    result = Round(data["id"], upload_start, post_start, post_end)
    member = str(result.note_id)
    while time.time() - post_start < TIMEOUT_SECONDS:
        tick = time.time()
        if result.in_timeline is None and store.client.zscore(key, member) is not None:
            result.in_timeline = time.time()
        status, page = _request(args.port, "GET", "/api/v1/feeds/home/", reader_token)
        result.polls += 1
        if status != 200:
            raise SystemExit(f"GET /api/v1/feeds/home/ answered {status}: {page!r}")
        if any(note["id"] == result.note_id for note in page["results"]):
            result.arrived = time.time()
            result.in_timeline = result.in_timeline or result.arrived
            break
        time.sleep(max(0.0, args.poll_ms / 1000 - (time.time() - tick)))
    return result


def _rows(result: Round) -> None:
    from notes.models import Note, NoteImage

    note = Note.objects.get(pk=result.note_id)
    processed = NoteImage.objects.filter(note=note).values_list("processed_at", flat=True)
    result.rows = {
        "status": note.status,
        "created": note.created_at.timestamp(),
        "processed": sorted(p.timestamp() for p in processed if p),
        "published": note.published_at.timestamp() if note.published_at else None,
    }


_TASK_LINE = re.compile(r"Task ([\w.]+)\[[\w-]+\] succeeded in ([\d.]+)s")


def _tasks(log: Path, offset: int) -> tuple[dict, int]:
    """Run times of the tasks the worker finished since `offset` in its log, by task name."""
    text = log.read_text(errors="replace")
    runs: dict[str, list[float]] = {}
    for name, seconds in _TASK_LINE.findall(text[offset:]):
        runs.setdefault(name, []).append(float(seconds))
    return runs, len(text)


def _clean() -> None:
    """Delete the bench author's notes (rows, files, timeline entries) and any photo left
    pending, also those of a round that was interrupted."""
    from django.db import transaction

    from notes.models import Note, NoteImage
    from notes.services import note_delete
    from notes.services.uploads import media_original_delete

    for note in Note.objects.filter(author__handle=AUTHOR):
        with transaction.atomic():
            note_delete(note=note)
    for image in NoteImage.objects.filter(owner__handle=AUTHOR, note__isnull=True):
        media_original_delete(image=image)
        image.delete()


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile: p90 of 10 values is the 9th."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _renditions(photo: bytes) -> tuple[float, float]:
    """Wall and CPU seconds of the worker's image step alone (decode, renditions, encode)."""
    from notes.imaging import image_renditions_create

    wall, cpu = time.perf_counter(), time.process_time()
    image_renditions_create(io.BytesIO(photo))
    return time.perf_counter() - wall, time.process_time() - cpu


def _processing_floor(photos: list[bytes]) -> tuple[float, float]:
    """What the photos cost without the stack around them, on this machine now: CPU seconds
    per photo, and the wall time of both at once in two processes (the worker's concurrency);
    medians of 3 after a warm-up."""
    context = multiprocessing.get_context("fork")
    cpu, pairs = [], []
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        list(pool.map(_renditions, photos))
        for _ in range(3):
            start = time.perf_counter()
            runs = list(pool.map(_renditions, photos))
            pairs.append(time.perf_counter() - start)
            cpu += [run[1] for run in runs]
    return statistics.median(cpu), statistics.median(pairs)


def run(args) -> list[str]:
    from django.conf import settings

    print(
        f"\n== Freshness: a 2-photo note to {args.followers:,} followers, gunicorn "
        f"{args.workers} workers + celery worker (prefork, 2), {args.freshness_notes} notes"
    )
    if not settings.FEEDS_REDIS_URL:
        print("   no feed store (FEEDS_REDIS_URL): skipped")
        return []
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        print("   no Redis broker (CELERY_BROKER_URL): skipped")
        return []
    photos = _photos()
    sizes = ", ".join(f"{len(p) / 2**20:.1f} MB" for p in photos)
    print(f"   photos {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} JPEG q90 ({sizes}); polled every "
          f"{args.poll_ms:g} ms")  # fmt: skip
    # A plain `kill` of the bench ends what it started too: SIGTERM unwinds through `finally`.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    processes: list[subprocess.Popen] = []
    results: list[Round] = []
    try:
        floor = _processing_floor(photos)
        author_token, reader_token, reader_id = fixtures(args.followers)
        processes.append(
            _serve(args, args.port, "rednote.wsgi:application", _env(), new_session=True)
        )
        worker, log = _worker()
        processes.append(worker)
        _drain(settings.CELERY_BROKER_URL)
        # The reader's timeline is built by their first read, as for anyone who uses the site.
        _request(args.port, "GET", "/api/v1/feeds/home/", reader_token)
        offset = 0
        for n in range(args.freshness_notes + 1):
            result = _round(args, (author_token, reader_token), reader_id, photos, n)
            time.sleep(0.5)  # the worker's last tasks of this note (ranks) end in the log
            result.tasks, offset = _tasks(log, offset)
            _rows(result)
            results.append(result)
            if result.arrived is None:
                print(f"   note {result.note_id}: not in the feed after {TIMEOUT_SECONDS:g} s "
                      f"(status {result.rows['status']})")  # fmt: skip
                break
            time.sleep(0.5)
    finally:
        for process in reversed(processes):
            _stop(process)
        signal.signal(signal.SIGTERM, previous)
        _clean()
    return _report(results[1:], results[0] if results else None, floor)


def _report(results: list[Round], warm_up: Round | None, floor: tuple[float, float]) -> list[str]:
    if not results or any(r.arrived is None for r in results):
        return ["freshness: a note did not reach the last follower's home feed"]

    def since_post(r: Round, t: float | None) -> float:
        return (t or float("nan")) - r.post_start

    print("   seconds from the start of the note's POST (uploads: their time before it; +upl.:"
          " the feed from the first upload's start)")  # fmt: skip
    print(f"   {'note':>6} {'uploads':>7} {'POST':>6} {'photo1':>6} {'photo2':>6} "
          f"{'publ.':>6} {'Redis':>6} {'feed':>6} {'+upl.':>6}")  # fmt: skip
    for r in ([warm_up] if warm_up else []) + results:
        processed = [since_post(r, t) for t in r.rows["processed"]] + [float("nan")] * 2
        label = "warm" if r is warm_up else str(r.note_id)
        print(
            f"   {label:>6} {r.post_start - r.upload_start:>7.3f} {r.post_end - r.post_start:>6.3f}"
            f" {processed[0]:>6.3f} {processed[1]:>6.3f}"
            f" {since_post(r, r.rows['published']):>6.3f} {since_post(r, r.in_timeline):>6.3f}"
            f" {since_post(r, r.arrived):>6.3f} {r.arrived - r.upload_start:>6.3f}"
        )
    from_post = [r.arrived - r.post_start for r in results]
    from_upload = [r.arrived - r.upload_start for r in results]

    def line(label: str, values: list[float]) -> str:
        return (f"{label:<34} median {statistics.median(values):6.3f} s   "
                f"p90 {_pct(values, 0.9):6.3f} s   max {max(values):6.3f} s")  # fmt: skip

    print("   " + line("POST of the note → in the feed:", from_post))
    print("   " + line("first upload → in the feed:", from_upload))

    med = statistics.median

    def stage(a, b) -> float:
        return med([b(r) - a(r) for r in results])

    last_photo = lambda r: max(r.rows["processed"])  # noqa: E731
    print("   where the time goes (medians):")
    stages = [
        ("uploads (2 photos, before the POST)", lambda r: r.upload_start, lambda r: r.post_start),
        ("POST /api/v1/notes/ (note + enqueue)", lambda r: r.post_start, lambda r: r.post_end),
        ("POST start → both photos processed", lambda r: r.post_start, last_photo),
        ("last photo processed → published", last_photo, lambda r: r.rows["published"]),
        ("published → in the Redis timeline", lambda r: r.rows["published"],
         lambda r: r.in_timeline),
        ("Redis timeline → seen by a feed read", lambda r: r.in_timeline, lambda r: r.arrived),
    ]  # fmt: skip
    for label, a, b in stages:
        print(f"     {label:<40} {stage(a, b):6.3f} s")
    print(f"     (the image step alone, no stack around it: {floor[0]:.3f} s CPU per photo; both"
          f" photos at once in two processes {floor[1]:.3f} s)")  # fmt: skip
    runs: dict[str, list[float]] = {}
    for r in results:
        for name, seconds in r.tasks.items():
            runs.setdefault(name, []).extend(seconds)
    if runs:
        print("   worker run time per task (median, from its log; queue waits not included):")
        for name, seconds in sorted(runs.items()):
            print(f"     {name:<40} {med(seconds):6.3f} s  ×{len(seconds)}")
    ok = med(from_post) <= TARGET_MEDIAN_SECONDS
    print(f"   median {med(from_post):.3f} s (target ≤ {TARGET_MEDIAN_SECONDS:g} s, image "
          f"processing included)  {'MET' if ok else 'MISSED'}")  # fmt: skip
    if ok:
        return []
    return [f"freshness median {med(from_post):.2f} s (target ≤ {TARGET_MEDIAN_SECONDS:g} s)"]
