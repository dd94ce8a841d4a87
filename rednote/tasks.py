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

from .celery import app

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


def task_by_name(name: str) -> Task:
    """The registered task called `name`, importing the apps' task modules if not yet done.

    Services enqueue by name so that they never import the task modules that call them.
    """
    if name not in app.tasks:
        app.loader.import_default_modules()  # runs the apps' `tasks` autodiscovery
    return app.tasks[name]


def _send(task: Task | str, kwargs: dict, options: dict) -> None:
    if isinstance(task, str):
        task = task_by_name(task)
    task.apply_async(kwargs=kwargs, **options)


def enqueue_on_commit(task: Task | str, *, queue: str | None = None, **kwargs) -> None:
    """Send `task` (a task, or a registered task name) with keyword arguments after the
    current transaction commits.

    Outside a transaction it is sent at once. A rolled-back write enqueues nothing, so a worker
    never looks for a row that does not exist. A name is resolved when the message is sent.
    """
    options = {"queue": queue} if queue else {}
    transaction.on_commit(partial(_send, task, kwargs, options), robust=False)
