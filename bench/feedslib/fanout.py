"""`bench/feeds.py --part fanout`: one note to N followers through `feeds.store`, against the
ceiling of the same Redis in the same run.

A private redis-server (no persistence) on a free port, so other work on the machine's Redis
neither slows the figures down nor shows in the memory count. For each N the store's push
(`FeedStore.timeline_add_many`: one Lua call per batch of timelines, ZADD + trim + expiry)
and the yardstick — a raw pipelined ZADD of the same N members into the same N keys with
redis-py, and the same ZADDs in a Lua script per 1,000 keys (Redis's own speed, no trim) —
run in turns on an emptied server; medians of `--rounds`, against the faster yardstick.
Memory: 1,000 full timelines (800 entries, the cap, each a note pushed to all of them through
the store), `used_memory` before and after, per entry.
"""

import shutil
import socket
import statistics
import subprocess
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "bench" / "out"
SIZES = (1_000, 10_000, 100_000)
TARGET_SECONDS_100K = 1.0
TARGET_VS_CEILING = 0.6
TARGET_BYTES_PER_ENTRY = 110
MEMORY_TIMELINES = 1_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_server():
    import redis

    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - redis-server with fixed arguments
        [shutil.which("redis-server") or "redis-server", "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(OUT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            return process, client
        except redis.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("redis-server did not start")


def _ceiling(client, keys: list[str], score: int, member: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(keys), 1000):
        pipe = client.pipeline(transaction=False)
        for key in keys[i : i + 1000]:
            pipe.zadd(key, {member: score})
        pipe.execute()
    return time.perf_counter() - start


_ZADD_ONLY = """
for _, key in ipairs(KEYS) do redis.call('ZADD', key, ARGV[1], ARGV[2]) end
return #KEYS
"""


def _ceiling_lua(client, keys: list[str], score: int, member: int) -> float:
    """The same ZADDs done by Redis itself, 1,000 keys per script call: no trim, no expiry."""
    script = client.register_script(_ZADD_ONLY)
    start = time.perf_counter()
    for i in range(0, len(keys), 1000):
        script(keys=keys[i : i + 1000], args=[score, member])
    return time.perf_counter() - start


def _store_push(store, readers: range, score: int, member: int) -> float:
    start = time.perf_counter()
    store.timeline_add_many(readers, member, score)
    return time.perf_counter() - start


def run(args) -> list[str]:
    print("\n== Fan-out: one note to N followers, feeds.store against a raw pipelined ZADD")
    try:
        from feeds.store import FeedStore
    except ImportError:
        print("   feeds.store: not available yet")
        return []
    if not shutil.which("redis-server"):
        print("   redis-server is not installed: skipped")
        return []
    process, client = _redis_server()
    missed = []
    try:
        store = FeedStore(client, max_length=800)
        print(
            "   ceiling: the faster of a raw pipelined ZADD (redis-py, batches of 1,000) and the"
            " same ZADDs in a Lua script per 1,000 keys (no trim, no expiry)"
        )
        print(f"   {'followers':>9} {'store s':>8} {'ceiling s':>9} {'ratio':>6} {'target':>7}"
              f" {'entries/s':>10}  verdict")  # fmt: skip
        for size in SIZES:
            readers = range(1, size + 1)
            keys = [store.timeline_key(r) for r in readers]
            ours, pipelined, scripted = [], [], []
            score = 1_700_000_000_000_000
            for round_ in range(args.rounds):
                sides = [
                    (ours, partial(_store_push, store, readers, score, 42)),
                    (pipelined, partial(_ceiling, client, keys, score, 42)),
                    (scripted, partial(_ceiling_lua, client, keys, score, 42)),
                ]
                for runs, measure in sides if round_ % 2 == 0 else sides[::-1]:
                    client.flushdb()
                    runs.append(measure())
            seconds = statistics.median(ours)
            best = min(statistics.median(pipelined), statistics.median(scripted))
            ratio = best / seconds
            ok = ratio >= TARGET_VS_CEILING and (size != 100_000 or seconds <= TARGET_SECONDS_100K)
            target = f"≥ {TARGET_VS_CEILING}×" + (
                f", ≤ {TARGET_SECONDS_100K:g} s" if size == 100_000 else ""
            )
            print(f"   {size:>9,} {seconds:>8.3f} {best:>9.3f} {ratio:>5.2f}× {target:>7}"
                  f" {size / seconds:>10,.0f}  {'ok' if ok else 'MISSED'}")  # fmt: skip
            if not ok:
                missed.append(f"fan-out to {size:,}: {seconds:.3f} s, {ratio:.2f}× the ceiling")
        client.flushdb()
        before = client.info("memory")["used_memory"]
        readers = range(1, MEMORY_TIMELINES + 1)
        base = 1_700_000_000_000_000
        for note in range(1, 801):
            store.timeline_add_many(readers, note, base + note * 1_000_000)
        after = client.info("memory")["used_memory"]
        entries = sum(client.zcard(store.timeline_key(r)) for r in readers)
        per_entry = (after - before) / entries
        ok = per_entry <= TARGET_BYTES_PER_ENTRY
        print(f"   memory: {MEMORY_TIMELINES:,} timelines × 800 entries = {entries:,} entries, "
              f"{(after - before) / 2**20:.1f} MiB: {per_entry:.1f} bytes per entry "
              f"(target ≤ {TARGET_BYTES_PER_ENTRY})  {'ok' if ok else 'MISSED'}")  # fmt: skip
        if not ok:
            missed.append(f"Redis memory {per_entry:.0f} bytes per timeline entry")
    finally:
        process.terminate()
        process.wait()
    return missed
