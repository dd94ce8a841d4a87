"""Querysets compiled once and run again with new values: for the hottest reads only.

Building a queryset through the ORM (filters, `Exists` subqueries, annotations) and compiling
it to SQL costs more than PostgreSQL takes to answer it: ~1 ms for a visitor's note page and
~3 ms for a signed-in reader's, whose visibility rule has follow and block subqueries
(bench/feeds.py). `PreparedQuery` builds the queryset once per shape, with sentinel values in
place of the arguments, compiles it, remembers where each sentinel went in the parameters,
and afterwards runs the same SQL with the real values through Django's own iterable — so
the rows become model instances exactly as the queryset would make them (select_related,
annotations, converters).

Only for querysets whose SQL depends on nothing but the arguments' values (no `__in` over a
list whose length varies, no value-dependent branches inside the builder beyond the `shape`
it is given).
"""

import copy
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Values no real argument has: ids are positive, and no row is from the first second of 1 AD.
_SENTINEL_BASE = -7_300_000_000_000_000_000
# The ids a database column can hold (a signed 64-bit integer).
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


class PreparedQuery:
    """`build(*args)` returns the queryset for those arguments (integer ids, or aware
    datetimes where `kinds` says so — a keyset position — each used in the query); it is
    compiled on first use, then `prepared(*args)` runs it as a list."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        arity: int,
        using: str = "default",
        kinds: Sequence[type] | None = None,
    ):
        self.build, self.arity, self.using = build, arity, using
        self.kinds = tuple(kinds) if kinds is not None else (int,) * arity
        if len(self.kinds) != arity or not set(self.kinds) <= {int, datetime}:
            raise ValueError("Each argument is an int or a datetime.")
        self._compiled: Any = None
        self._lock = threading.Lock()

    def _sentinel(self, index: int) -> Any:
        if self.kinds[index] is datetime:
            return datetime(1, 1, 1, 0, 0, 1 + index // 1000, index % 1000, tzinfo=UTC)
        return _SENTINEL_BASE - index

    def _adapt(self, index: int, value: Any) -> Any:
        """`value` as the query's parameters carry it (what the lookups' fields make of it)."""
        if self.kinds[index] is datetime:
            return connections[self.using].ops.adapt_datetimefield_value(value)
        return int(value)

    def _compile(self) -> tuple[QuerySet, Any, str, tuple, list[tuple[int, int]]]:
        sentinels = [self._sentinel(i) for i in range(self.arity)]
        adapted = [self._adapt(i, sentinel) for i, sentinel in enumerate(sentinels)]
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        slots = [
            (i, adapted.index(p))
            for i, p in enumerate(params)
            if type(p) in (int, str, datetime) and p in adapted
        ]
        if len({argument for _i, argument in slots}) != self.arity:
            raise ValueError("Every argument must appear in the query's parameters.")
        return queryset, compiler, sql, tuple(params), slots

    def __call__(self, *args: int) -> list:
        if any(
            kind is int and not _ID_MIN <= int(argument) <= _ID_MAX
            for kind, argument in zip(self.kinds, args, strict=True)
        ):
            # No row has such an id, and the database may refuse the number itself (SQLite's
            # integers are 64-bit); the ORM answers an empty result here, and so do we.
            return []
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = self._compile()
        queryset, compiler, sql, params, slots = self._compiled
        values = list(params)
        adapted = [self._adapt(i, argument) for i, argument in enumerate(args)]
        for index, argument in slots:
            values[index] = adapted[argument]
        # A fresh compiler (attributes copied, not shared) that answers with the known SQL.
        ready = copy.copy(compiler)
        ready.connection = connections[self.using]
        ready.as_sql = lambda *a, **k: (sql, tuple(values))
        clone = queryset._chain()
        clone.query = queryset.query.clone()
        clone.query.get_compiler = lambda *a, **k: ready
        # Setting `query` makes a values() query yield dicts: keep values_list's rows.
        clone._iterable_class = queryset._iterable_class
        return list(clone)
