"""Counters stay exact under concurrent writes, each thread on its own database connection.

SQLite serialises every write, so only PostgreSQL can show a race; these tests need it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from notes import services
from notes.models import BoardNote, NoteLike
from tests.factories import NoteFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writes, so no race",
    ),
    pytest.mark.django_db(transaction=True),
]

# Threads at once: enough to collide constantly, few enough to stay far from the server's
# connection limit when other test runs share it.
WORKERS = 20


def _run_concurrently(calls, *, workers: int = WORKERS) -> list:
    """Run each call in a pool of threads, released together; each thread uses (and then
    closes) its own connection. Returns the results; re-raises the first exception."""
    start = threading.Event()

    def run(call):
        start.wait()
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, call) for call in calls]
        start.set()
        return [future.result(timeout=60) for future in futures]


def test_note_like_hundred_people_at_once_give_exactly_hundred():
    note = NoteFactory()
    people = [UserFactory() for _ in range(100)]

    results = _run_concurrently(
        [lambda user=user: services.note_like(user=user, note=note) for user in people]
    )

    assert results == [True] * 100
    note.refresh_from_db()
    assert note.like_count == 100
    assert NoteLike.objects.filter(note=note).count() == 100


def test_note_like_same_person_twenty_times_at_once_is_one_like():
    note = NoteFactory()
    user = UserFactory()

    results = _run_concurrently(
        [lambda: services.note_like(user=user, note=note) for _ in range(20)], workers=20
    )

    assert results.count(True) == 1
    note.refresh_from_db()
    assert note.like_count == 1
    assert NoteLike.objects.filter(note=note, user=user).count() == 1


def test_note_unlike_concurrently_never_goes_negative():
    note = NoteFactory()
    user = UserFactory()
    services.note_like(user=user, note=note)

    results = _run_concurrently(
        [lambda: services.note_unlike(user=user, note=note) for _ in range(20)], workers=20
    )

    assert results.count(True) == 1
    note.refresh_from_db()
    assert note.like_count == 0


def test_note_collect_into_two_boards_at_once_counts_one_person():
    note = NoteFactory()
    user = UserFactory()
    boards = [services.board_create(owner=user, name=name) for name in ("Trips", "Food")]

    _run_concurrently(
        [
            lambda board=board: services.note_collect(user=user, note=note, board=board)
            for board in boards * 5
        ],
        workers=10,
    )

    note.refresh_from_db()
    assert note.collect_count == 1
    assert BoardNote.objects.filter(note=note).count() == 2


def test_note_collect_many_people_at_once_counts_each_once():
    note = NoteFactory()
    people = [UserFactory() for _ in range(30)]

    _run_concurrently(
        [lambda user=user: services.note_collect(user=user, note=note) for user in people]
    )

    note.refresh_from_db()
    assert note.collect_count == 30
    assert BoardNote.objects.filter(note=note).count() == 30
