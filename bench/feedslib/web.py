"""`bench/feeds.py --part web`: every hot read against static bytes, side by side.

The project runs under gunicorn (sync workers, as deployed) on the scratch database; the bytes
each path answers are captured, and `static_site.py` serves exactly those bytes from a second
gunicorn with the same worker count. wrk loads one and then the other, alternating which goes
first, for `--rounds` rounds; the medians are compared.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "bench" / "out"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@dataclass
class Endpoint:
    label: str
    path: str
    target_rps: float
    target_p99: float | None = None
    headers: dict | None = None


@dataclass
class Load:
    rps: float
    p99_ms: float
    errors: int


def fixtures() -> tuple[dict, dict]:
    """Ids to read (a demo note with photos, the biggest tag and profile) and a signed-in
    reader: a token for the API, a session cookie for pages."""
    from django.conf import settings
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from notes.models import Hashtag, Note

    user_model = get_user_model()
    note = (
        Note.objects.published()
        .filter(visibility="public", is_hidden=False)
        .annotate(n=Count("images"))
        .filter(n__gt=1)
        .order_by("-like_count", "id")
        .first()
    )
    tag = (
        Hashtag.objects.annotate(n=Count("notes", filter=Q(notes__visibility="public")))
        .order_by("-n")
        .first()
    )
    author = (
        user_model.objects.annotate(n=Count("notes")).filter(is_active=True).order_by("-n").first()
    )
    reader = (
        user_model.objects.filter(is_active=True, is_superuser=False)
        .annotate(n=Count("following_set", distinct=True))
        .order_by("-n", "id")
        .first()
    )
    token, _ = Token.objects.get_or_create(user=reader)
    client = Client()
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    ids = {"note": note.pk, "tag": tag.name, "handle": author.handle, "reader": reader.handle}
    auth = {
        "token": {"Authorization": f"Token {token.key}"},
        "session": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
    }
    return ids, auth


def endpoints(ids: dict, auth: dict) -> list[Endpoint]:
    token, session = auth["token"], auth["session"]
    note, tag, handle = ids["note"], ids["tag"], ids["handle"]
    return [
        Endpoint("notes list API (token)", "/api/v1/notes/", 0.2, None, token),
        Endpoint("note API (anonymous)", f"/api/v1/notes/{note}/", 0.25),
        Endpoint("note API (token)", f"/api/v1/notes/{note}/", 0.25, None, token),
        Endpoint("note page (anonymous)", f"/notes/{note}/", 0.25),
        Endpoint("note page (signed in)", f"/notes/{note}/", 0.25, None, session),
        Endpoint("Discover / (anonymous)", "/", 0.2),
        Endpoint("tag page", f"/tags/{quote(tag)}/", 0.2),
        Endpoint("profile page", f"/@{quote(handle)}/", 0.2),
        Endpoint("home feed API (token)", "/api/v1/feeds/home/", 0.5, 2.5, token),
        Endpoint("Following page (signed in)", "/following/", 0.2, None, session),
        Endpoint("Discover API (anonymous)", "/api/v1/feeds/discover/", 0.2),
        Endpoint("Discover API (token)", "/api/v1/feeds/discover/", 0.2, None, token),
        Endpoint("tag notes API (token)", f"/api/v1/tags/{quote(tag)}/notes/", 0.2, None, token),
    ]


def _serve(
    args, port: int, module: str, env: dict, cwd: Path = ROOT, new_session: bool = False
) -> subprocess.Popen:
    log = open(OUT / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [GUNICORN, module, "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=new_session,  # its own process group, ended as one (freshness)
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz-probe/", timeout=1)  # noqa: S310
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit(f"gunicorn on {port} did not start; see {log.name}")


def _fetch(port: int, endpoint: Endpoint) -> tuple[int, bytes, str]:
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"http://127.0.0.1:{port}{endpoint.path}", headers=endpoint.headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", re.M)
_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*?timeout (\d+)")


def wrk(args, port: int, path: str, headers: dict | None, seconds: int) -> Load:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    value, unit = _P99.search(output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = sum(int(n) for match in _ERRORS.findall(output) for n in match if n)
    return Load(float(_RPS.search(output).group(1)), p99, errors)


def run(args) -> list[str]:
    ids, auth = fixtures()
    print(f"\n== Hot reads: gunicorn {args.workers} workers, wrk {args.connections} connections, "
          f"{args.rounds}×{args.duration} s each side, interleaved")  # fmt: skip
    print(f"   note {ids['note']}, tag {ids['tag']}, profile @{ids['handle']}, "
          f"signed in as @{ids['reader']}")  # fmt: skip
    # --project: another checkout of the site (e.g. an older commit, for before/after), run
    # with this one's settings for the bench and the same database.
    project = Path(args.project).resolve() if args.project else ROOT
    if args.project:
        print(f"   the site served from {project}")
    site = _serve(
        args, args.port, "rednote.wsgi:application", {"PYTHONPATH": str(project)}, project
    )
    static_dir = OUT / "static_site"
    static_dir.mkdir(exist_ok=True)
    measured, index = [], {}
    try:
        for endpoint in endpoints(ids, auth):
            if args.only and args.only not in endpoint.path + endpoint.label:
                continue
            status, body, content_type = _fetch(args.port, endpoint)
            if status != 200:
                print(f"   {endpoint.label}: {endpoint.path} answers {status} — not available yet")
                continue
            # Each endpoint gets its own static path: one path read by two kinds of viewer
            # answers different bytes.
            name = f"page{len(index)}"
            (static_dir / name).write_bytes(body)
            index[f"/{name}/"] = {"file": name, "content_type": content_type}
            measured.append((endpoint, f"/{name}/", len(body)))
        (static_dir / "index.json").write_text(json.dumps(index))
        static = _serve(
            args, args.static_port, "bench.feedslib.static_site:application",
            {"BENCH_STATIC_DIR": str(static_dir)},
        )  # fmt: skip
        try:
            return _measure(args, measured)
        finally:
            static.terminate()
            static.wait()
    finally:
        site.terminate()
        site.wait()


def _median(runs: list[Load]) -> Load:
    return Load(
        statistics.median(r.rps for r in runs),
        statistics.median(r.p99_ms for r in runs),
        sum(r.errors for r in runs),
    )


def _measure(args, measured: list) -> list[str]:
    missed = []
    header = (
        f"   {'endpoint':<28} {'bytes':>7} {'req/s':>7} {'static':>7} {'ratio':>6} {'target':>7}"
        f" {'p99 ms':>7} {'static':>7} {'ratio':>6} {'target':>7}  verdict"
    )
    print(header)
    for endpoint, static_path, size in measured:
        sides = [
            (args.port, endpoint.path, endpoint.headers, []),
            (args.static_port, static_path, None, []),
        ]
        for port, path, headers, _runs in sides:  # warm both (imports, caches, connections)
            wrk(args, port, path, headers, 1)
        for round_ in range(args.rounds):
            for port, path, headers, runs in sides if round_ % 2 == 0 else sides[::-1]:
                runs.append(wrk(args, port, path, headers, args.duration))
        site_runs, static_runs = sides[0][3], sides[1][3]
        site, static = _median(site_runs), _median(static_runs)
        ratio = site.rps / static.rps
        p99_ratio = site.p99_ms / static.p99_ms
        ok = ratio >= endpoint.target_rps and (
            endpoint.target_p99 is None or p99_ratio <= endpoint.target_p99
        )
        errors = site.errors
        verdict = "ok" if ok else "MISSED"
        if errors:
            verdict += f" ({errors} errors or timeouts)"
            ok = False
        if not ok:
            missed.append(f"{endpoint.label} {ratio:.2f}× static (target ≥ {endpoint.target_rps}×)")
        p99_target = f"≤ {endpoint.target_p99}×" if endpoint.target_p99 else "-"
        print(
            f"   {endpoint.label:<28} {size:>7} {site.rps:>7.0f} {static.rps:>7.0f} "
            f"{ratio:>5.2f}× {'≥ ' + str(endpoint.target_rps) + '×':>7} {site.p99_ms:>7.1f} "
            f"{static.p99_ms:>7.1f} {p99_ratio:>5.1f}× {p99_target:>7}  {verdict}",
            flush=True,
        )
    return missed
