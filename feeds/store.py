"""The home feed's Redis: the only module that talks to Redis for feeds.

One sorted set per reader, `feed:{<reader id>}:home`: members are note ids, scores publish
times (`rednote.cursors.datetime_score`, whole microseconds, exact in a Redis double), trimmed
to the newest `FEED_MAX_LENGTH`. Next to it `feed:{<reader id>}:built` says the timeline was
built from the database, so an empty feed is told apart from a missing one (never built,
expired, or lost to a FLUSHALL): a missing one is rebuilt on its next read (`feeds.home`).
The braces are a Redis Cluster hash tag: a reader's keys share one slot, so every script here
touches one slot only, and batches are grouped by slot (a pipeline per node on a cluster).

Pushes may reach a timeline that is not built yet (its reader was active but the key expired):
they make a partial set that the rebuild then merges into, so a note published while a
timeline is being rebuilt is never lost. Both keys of a built timeline expire together, when
their reader would stop getting pushes (see `feeds.home.timeline_expiry`). The feeds' Redis
must not evict keys (`maxmemory-policy noeviction`, Redis's default): a timeline evicted while
its marker stays would read as empty, not missing, until the marker expires.

The connection is its own (`FEEDS_REDIS_URL`, `FEEDS_REDIS_CLUSTER`), so timelines can live on
a cluster while the broker and the cache keep their Redis. `get_store()` is None without one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import redis
from django.conf import settings
from django.core.signals import setting_changed
from redis.cluster import RedisCluster
from redis.exceptions import NoScriptError, RedisClusterException

# What a store operation raises when Redis cannot answer (down, timed out, cluster failing):
# redis-py's cluster client raises RedisClusterException, which is not a RedisError, when no
# node can be reached.
StoreError = (redis.RedisError, RedisClusterException)

BATCH_SIZE = 1000
# A timeline made by a push alone (not built) lives this long without being read.
UNBUILT_TTL_SECONDS = 8 * 24 * 3600
PULL_AUTHORS_KEY = "feed:pull-authors"
_PULL_BUILT = b"-"  # the member that says the set of pull authors was computed
# A timeline read asks for this many entries more than it needs (see `FeedStore._page`).
_PAGE_SLACK = 8

# KEYS: timelines; ARGV: score, note id, max length, ttl for a timeline the push creates.
_PUSH = """
local score, member, max, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, score, member)
  local n = redis.call('ZCARD', key)
  if n > max then
    redis.call('ZREMRANGEBYRANK', key, 0, n - max - 1)
  elseif n == 1 then
    redis.call('EXPIRE', key, ttl)
  end
end
return #KEYS
"""

# KEYS: one timeline; ARGV: max length, ttl if it has none, then score, id pairs.
_ADD_ENTRIES = """
local max = tonumber(ARGV[1])
for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
local n = redis.call('ZCARD', KEYS[1])
if n > max then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - max - 1) end
if n > 0 and redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
"""

# KEYS: timeline, marker; ARGV: max length, expire-at (unix seconds), then score, id pairs.
# Merges into what pushes already put there, marks it built, sets both keys' expiry.
_REBUILD = """
local max = tonumber(ARGV[1])
for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
local n = redis.call('ZCARD', KEYS[1])
if n > max then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - max - 1) end
redis.call('SET', KEYS[2], '1', 'EXAT', ARGV[2])
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return n
"""

# KEYS: timeline, marker; ARGV: highest score (inclusive, or +inf), count, expire-at or ''.
# False when the timeline is not built; else score-descending (id, score) pairs.
_PAGE = """
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
if ARGV[3] ~= '' then
  redis.call('EXPIREAT', KEYS[2], ARGV[3])
  redis.call('EXPIREAT', KEYS[1], ARGV[3])
end
return redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2],
                  'WITHSCORES')
"""


@dataclass(frozen=True, order=True)
class Entry:
    """A timeline entry: a note and its publish time as a score. Ordered as timelines are
    read (by score, then id; pages take them in descending order)."""

    score: int
    note_id: int


def _pull_authors(members: Iterable[bytes]) -> set[int] | None:
    """The pull authors from the set's members; None when the set was not computed."""
    members = set(members)
    if _PULL_BUILT not in members:
        return None
    return {_int(m) for m in members if m != _PULL_BUILT}


def _int(value: bytes | str | float) -> int:
    return int(float(value))


class _Script:
    def __init__(self, source: str):
        self.source = source
        self.sha: str | None = None


class FeedStore:
    """Timelines on one Redis or a Redis Cluster (`cluster=True`, a `RedisCluster` client)."""

    def __init__(self, client: Any, *, cluster: bool = False, max_length: int = 800):
        self.client = client
        self.cluster = cluster
        self.max_length = max_length
        self._scripts = {
            name: _Script(source)
            for name, source in (
                ("push", _PUSH),
                ("add", _ADD_ENTRIES),
                ("rebuild", _REBUILD),
                ("page", _PAGE),
            )
        }

    # --- keys and scripts ---------------------------------------------------------------

    @staticmethod
    def timeline_key(reader_id: int) -> str:
        return f"feed:{{{int(reader_id)}}}:home"

    @staticmethod
    def marker_key(reader_id: int) -> str:
        return f"feed:{{{int(reader_id)}}}:built"

    def _sha(self, name: str) -> str:
        script = self._scripts[name]
        if script.sha is None:
            script.sha = self._load(script.source)
        return script.sha

    def _load(self, source: str) -> str:
        # On a cluster, redis-py sends SCRIPT LOAD to every primary: each may get a batch.
        return self.client.script_load(source)

    def _evalsha(self, target: Any, name: str, keys: Sequence[str], args: Sequence) -> Any:
        options = {}
        if self.cluster and target is not self.client:
            # Named, or redis-py's cluster pipeline asks the server for each script's keys
            # (COMMAND GETKEYS, a round trip per command): the node owning the keys' slot.
            options["target_nodes"] = self.client.get_node_from_key(keys[0])
        return target.execute_command(
            "EVALSHA", self._sha(name), len(keys), *keys, *args, **options
        )

    def _call(self, name: str, keys: Sequence[str], args: Sequence) -> Any:
        try:
            return self._evalsha(self.client, name, keys, args)
        except NoScriptError:  # the server restarted or its scripts were flushed
            self._scripts[name].sha = None
            return self._evalsha(self.client, name, keys, args)

    def _pipeline(self) -> Any:
        # A cluster pipeline sends one pipeline per node, each command to its slot's owner.
        return self.client.pipeline() if self.cluster else self.client.pipeline(transaction=False)

    def _batches(self, keys: list[str]) -> list[list[str]]:
        """Keys in batches a script may take: up to BATCH_SIZE on one Redis; on a cluster,
        the keys of one slot together (never a cross-slot script)."""
        if not self.cluster:
            return [keys[i : i + BATCH_SIZE] for i in range(0, len(keys), BATCH_SIZE)]
        by_slot: dict[int, list[str]] = defaultdict(list)
        for key in keys:
            by_slot[self.client.keyslot(key)].append(key)
        return list(by_slot.values())

    def _run_scripts(self, name: str, calls: list[tuple[list[str], list]]) -> None:
        """Run script `name` once per (keys, args), pipelined in groups of BATCH_SIZE calls."""
        for start in range(0, len(calls), BATCH_SIZE):
            group = calls[start : start + BATCH_SIZE]
            for attempt in (1, 2):
                pipe = self._pipeline()
                for keys, args in group:
                    self._evalsha(pipe, name, keys, args)
                try:
                    pipe.execute()
                    break
                except NoScriptError:
                    # Every script here is idempotent, so the group can simply run again.
                    if attempt == 2:
                        raise
                    self._scripts[name].sha = None

    # --- writes ---------------------------------------------------------------------------

    def timeline_add_many(self, reader_ids: Iterable[int], note_id: int, score: int) -> int:
        """Put `note_id` (published at `score`) into each reader's timeline, trimmed to the
        cap; a note already there stays once. Returns the number of timelines written."""
        keys = [self.timeline_key(reader_id) for reader_id in reader_ids]
        args = [int(score), int(note_id), self.max_length, UNBUILT_TTL_SECONDS]
        self._run_scripts("push", [(batch, args) for batch in self._batches(keys)])
        return len(keys)

    def timeline_add_entries(self, reader_id: int, entries: Iterable[Entry]) -> None:
        """Put several notes into one reader's timeline (following someone, unmuting)."""
        pairs = [value for entry in entries for value in (entry.score, entry.note_id)]
        if pairs:
            key = self.timeline_key(reader_id)
            self._call("add", [key], [self.max_length, UNBUILT_TTL_SECONDS, *pairs])

    def timeline_remove(self, reader_ids: Iterable[int], note_ids: Iterable[int]) -> None:
        """Take the notes out of each reader's timeline (absent ones are ignored)."""
        members = [int(note_id) for note_id in note_ids]
        if not members:
            return
        keys = [self.timeline_key(reader_id) for reader_id in reader_ids]
        for start in range(0, len(keys), BATCH_SIZE):
            pipe = self._pipeline()
            for key in keys[start : start + BATCH_SIZE]:
                pipe.zrem(key, *members)
            pipe.execute()

    def timeline_rebuild(self, reader_id: int, entries: Iterable[Entry], expire_at: int) -> None:
        """Mark the timeline built with `entries` (merged with what pushes put there since it
        went missing), both keys expiring at `expire_at` (unix seconds)."""
        pairs = [value for entry in entries for value in (entry.score, entry.note_id)]
        keys = [self.timeline_key(reader_id), self.marker_key(reader_id)]
        self._call("rebuild", keys, [self.max_length, int(expire_at), *pairs])

    def timeline_drop(self, reader_id: int) -> None:
        """Forget one reader's timeline; their next read rebuilds it."""
        self.client.delete(self.timeline_key(reader_id), self.marker_key(reader_id))

    def timelines_drop(self, reader_ids: Iterable[int]) -> None:
        """Forget these readers' timelines (pipelined, BATCH_SIZE readers at a time; each DEL
        names one key: a cluster pipeline refuses a multi-key DEL); their next reads rebuild
        them."""
        ids = [int(reader_id) for reader_id in reader_ids]
        for start in range(0, len(ids), BATCH_SIZE):
            pipe = self._pipeline()
            for reader_id in ids[start : start + BATCH_SIZE]:
                pipe.delete(self.timeline_key(reader_id))
                pipe.delete(self.marker_key(reader_id))
            pipe.execute()

    # --- reads ----------------------------------------------------------------------------

    def timeline_exists(self, reader_id: int) -> bool:
        """Whether the timeline is built (it may be empty)."""
        return bool(self.client.exists(self.marker_key(reader_id)))

    def timeline_members(self, reader_id: int) -> list[int]:
        """Every note id in the timeline, newest first."""
        return [_int(m) for m in self.client.zrange(self.timeline_key(reader_id), 0, -1, desc=True)]

    def timeline_page(
        self,
        reader_id: int,
        *,
        before: tuple[int, int] | None,
        count: int,
        expire_at: int | None = None,
    ) -> tuple[list[Entry], bool] | None:
        """Up to `count` entries strictly after position `before` (score, note id), newest
        first, and whether more may follow; None when the timeline is not built. Reading
        moves both keys' expiry to `expire_at` when given."""
        return self._page(reader_id, before, count, expire_at, None)

    def timeline_page_and_pull_authors(
        self,
        reader_id: int,
        *,
        before: tuple[int, int] | None,
        count: int,
        expire_at: int | None = None,
    ) -> tuple[tuple[list[Entry], bool] | None, set[int] | None]:
        """`timeline_page` and `pull_authors` in one round trip (a pipeline; on a cluster one
        per node, the two keys' slots differ): a home feed read needs both."""
        keys, args = self._page_call(reader_id, before, count + _PAGE_SLACK, expire_at)
        for attempt in (1, 2):
            pipe = self._pipeline()
            self._evalsha(pipe, "page", keys, args)
            pipe.smembers(PULL_AUTHORS_KEY)
            try:
                reply, members = pipe.execute()
                break
            except NoScriptError:  # the server restarted or its scripts were flushed
                if attempt == 2:
                    raise
                self._scripts["page"].sha = None
        page = None if reply is None else self._page(reader_id, before, count, expire_at, reply)
        return page, _pull_authors(members)

    def _page_call(
        self, reader_id: int, before: tuple[int, int] | None, ask: int, expire_at: int | None
    ) -> tuple[list[str], list]:
        keys = [self.timeline_key(reader_id), self.marker_key(reader_id)]
        top = "+inf" if before is None else str(before[0])
        return keys, [top, ask, "" if expire_at is None else expire_at]

    def _page(
        self,
        reader_id: int,
        before: tuple[int, int] | None,
        count: int,
        expire_at: int | None,
        reply: Any,
    ) -> tuple[list[Entry], bool] | None:
        """The page from the script's `reply` to a read of `count + _PAGE_SLACK` entries (made
        here when `reply` is None), read further while the cursor's score group fills it."""
        # Room for ties at the cursor's score, and for the lowest score's group that a full
        # read leaves out (below): asking for `count` alone made every full page a second
        # round trip.
        ask = count + _PAGE_SLACK
        while True:
            if reply is None:
                keys, args = self._page_call(reader_id, before, ask, expire_at)
                reply = self._call("page", keys, args)
                if reply is None:
                    return None
            raw = [Entry(_int(reply[i + 1]), _int(reply[i])) for i in range(0, len(reply), 2)]
            full = len(raw) == ask
            if full:
                # Redis orders equal scores by member text ("9" before "10"): a read cut inside
                # the lowest score's group may have missed higher ids of it, so that group is
                # left for the next read (ids descending within a score, as the database).
                lowest = raw[-1].score
                raw = [e for e in raw if e.score != lowest]
            raw.sort(reverse=True)  # equal scores: ids descending, as the database pages
            entries = [e for e in raw if before is None or (e.score, e.note_id) < before]
            if len(entries) >= count or not full:
                return entries[:count], full or len(entries) > count
            ask *= 2  # many entries share the cursor's score: read further
            reply = None

    def memory_per_entry(self, reader_id: int) -> float | None:
        """Bytes of Redis memory per entry of one timeline (MEMORY USAGE / ZCARD), for the
        bench; None for an empty timeline."""
        key = self.timeline_key(reader_id)
        count = self.client.zcard(key)
        if not count:
            return None
        usage = self.client.memory_usage(key, samples=0)
        return usage / count

    # --- authors merged at read time ------------------------------------------------------

    def pull_authors(self) -> set[int] | None:
        """Authors whose notes are merged in at read time; None when not computed yet."""
        return _pull_authors(self.client.smembers(PULL_AUTHORS_KEY))

    def pull_authors_replace(self, author_ids: Iterable[int]) -> None:
        pipe = self.client.pipeline(transaction=not self.cluster)
        pipe.delete(PULL_AUTHORS_KEY)
        pipe.sadd(PULL_AUTHORS_KEY, _PULL_BUILT, *[int(a) for a in author_ids])
        pipe.execute()

    def pull_author_add(self, author_id: int) -> None:
        """Add an author, if the set is computed (else its computation will find them)."""
        if self.client.exists(PULL_AUTHORS_KEY):
            self.client.sadd(PULL_AUTHORS_KEY, int(author_id))

    # --- whole store ----------------------------------------------------------------------

    def flush(self) -> None:
        """Empty the feeds' Redis database (tests and the bench only), every node of a
        cluster."""
        if self.cluster:
            self.client.flushall(target_nodes=RedisCluster.PRIMARIES)
        else:
            self.client.flushdb()
        for script in self._scripts.values():
            script.sha = None


_store: FeedStore | None = None
_configured = False


def store_from_url(url: str, *, cluster: bool, max_length: int) -> FeedStore:
    client: Any
    if cluster:
        # The cluster client connects here, to learn the slots: unreachable, that is a
        # connection error (tasks retry on it, reads fall back to the database).
        try:
            client = RedisCluster.from_url(url)
        except RedisClusterException as exc:
            raise redis.ConnectionError(str(exc)) from exc
    else:
        client = redis.Redis.from_url(url)
    return FeedStore(client, cluster=cluster, max_length=max_length)


def store_configured() -> bool:
    """Whether there is a feed store, without connecting to it."""
    return bool(settings.FEEDS_REDIS_URL)


def get_store() -> FeedStore | None:
    """The configured store (one per process), or None when FEEDS_REDIS_URL is empty. Raises
    a StoreError when a cluster cannot be reached (the next call tries again)."""
    global _store, _configured
    if not _configured:
        url = settings.FEEDS_REDIS_URL
        _store = (
            store_from_url(
                url, cluster=settings.FEEDS_REDIS_CLUSTER, max_length=settings.FEED_MAX_LENGTH
            )
            if url
            else None
        )
        _configured = True
    return _store


def reset_store(**_kwargs: Any) -> None:
    """Forget the process's store: the next `get_store()` reads the settings again."""
    global _store, _configured
    _store, _configured = None, False


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("FEED"):
        reset_store()


setting_changed.connect(_on_setting_changed, dispatch_uid="feeds.store.settings")
