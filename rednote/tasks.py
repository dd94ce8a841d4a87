"""The one door for side effects, and the retry policy shared by every task.

Tasks are thin (load a row by id, return quietly if it is gone, call one service) and
idempotent, because delivery is at-least-once: settings acknowledge a message only after the
task ran (`CELERY_TASK_ACKS_LATE`), so a worker lost mid-task hands it to another worker.
"""

from functools import partial

from celery import Task
from django.db import InterfaceError, OperationalError, transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Failures worth another try: the database or Redis was briefly unreachable, or an outside
# service timed out. Anything else is a bug or bad data, and retrying would only repeat it.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)

# Spread into a task decorator: `@shared_task(queue="feeds", **RETRY_POLICY)`. Waits grow
# 2, 4, 8... seconds (with jitter, capped at ten minutes) for at most five retries.
RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def enqueue_on_commit(task: Task, *, queue: str | None = None, **kwargs) -> None:
    """Send `task` with keyword arguments after the current transaction commits.

    Outside a transaction it is sent at once. A rolled-back write enqueues nothing, so a worker
    never looks for a row that does not exist.
    """
    options = {"queue": queue} if queue else {}
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs, **options), robust=False)
