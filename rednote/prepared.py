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
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Values no real argument has: ids are positive.
_SENTINEL_BASE = -7_300_000_000_000_000_000
# The ids a database column can hold (a signed 64-bit integer).
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


class PreparedQuery:
    """`build(*args)` returns the queryset for those arguments (integer ids, each used in the
    query); it is compiled on first use, then `prepared(*args)` runs it as a list."""

    def __init__(self, build: Callable[..., QuerySet], arity: int, using: str = "default"):
        self.build, self.arity, self.using = build, arity, using
        self._compiled: Any = None
        self._lock = threading.Lock()

    def _compile(self) -> tuple[QuerySet, Any, str, tuple, list[tuple[int, int]]]:
        sentinels = [_SENTINEL_BASE - i for i in range(self.arity)]
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        slots = [(i, sentinels.index(p)) for i, p in enumerate(params) if p in sentinels]
        if len({argument for _i, argument in slots}) != self.arity:
            raise ValueError("Every argument must appear in the query's parameters.")
        return queryset, compiler, sql, tuple(params), slots

    def __call__(self, *args: int) -> list:
        if any(not _ID_MIN <= int(argument) <= _ID_MAX for argument in args):
            # No row has such an id, and the database may refuse the number itself (SQLite's
            # integers are 64-bit); the ORM answers an empty result here, and so do we.
            return []
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = self._compile()
        queryset, compiler, sql, params, slots = self._compiled
        values = list(params)
        for index, argument in slots:
            values[index] = int(args[argument])
        # A fresh compiler (attributes copied, not shared) that answers with the known SQL.
        ready = copy.copy(compiler)
        ready.connection = connections[self.using]
        ready.as_sql = lambda *a, **k: (sql, tuple(values))
        clone = queryset._chain()
        clone.query = queryset.query.clone()
        clone.query.get_compiler = lambda *a, **k: ready
        return list(clone)
