"""`bench/feeds.py --profile PATH [--as token|session]`: where one request's time goes.

Runs the request through Django's full handler (every middleware, as gunicorn would) in this
process, warm, `--profile-requests` times under cProfile, and prints the functions by own time
and by cumulative time, plus the wall time per request without the profiler.
"""

import cProfile
import pstats
import time

from django.test import Client


def run(args, path: str, headers: dict) -> None:
    client = Client(
        HTTP_HOST="127.0.0.1",
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    )
    for _ in range(20):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    n = args.profile_requests
    start = time.perf_counter()
    for _ in range(n):
        client.get(path)
    wall = (time.perf_counter() - start) / n * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    print(f"\n== {path}: {wall:.2f} ms per request (no profiler), {n} requests")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(60)
