"""The one door for side effects: work is enqueued only once the surrounding write commits."""

from functools import partial

from celery import Task
from django.db import transaction


def enqueue_on_commit(task: Task, *, queue: str | None = None, **kwargs) -> None:
    """Send `task` with keyword arguments after the current transaction commits.

    Outside a transaction it is sent at once. A rolled-back write enqueues nothing, so a worker
    never looks for a row that does not exist.
    """
    options = {"queue": queue} if queue else {}
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs, **options), robust=False)
