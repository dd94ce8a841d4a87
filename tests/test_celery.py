"""The Celery app's configuration, the retry policy and `enqueue_on_commit`."""

import pytest
from celery import shared_task
from django.db import OperationalError, transaction

from rednote.celery import app
from rednote.tasks import RETRY_POLICY, enqueue_on_commit

ran: list[dict] = []
attempts: list[int] = []


@shared_task(name="tests.record")
def record_task(**kwargs):
    ran.append(kwargs)


@shared_task(name="tests.flaky", bind=True, **RETRY_POLICY)
def flaky_task(self, *, failures: int):
    attempts.append(self.request.retries)
    if len(attempts) <= failures:
        raise OperationalError("the database went away for a moment")


@shared_task(name="tests.broken", bind=True, **RETRY_POLICY)
def broken_task(self):
    attempts.append(self.request.retries)
    raise ValueError("bad data is not retried")


@pytest.fixture(autouse=True)
def _clear_logs():
    ran.clear()
    attempts.clear()


def test_celery_queues_are_declared():
    assert {queue.name for queue in app.conf.task_queues} == {
        "default",
        "images",
        "feeds",
        "translations",
    }
    assert app.conf.task_default_queue == "default"


def test_celery_delivery_is_reliable():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_celery_beat_uses_the_database_scheduler():
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_celery_eager_in_tests_and_errors_propagate():
    assert app.conf.task_always_eager is True
    assert app.conf.task_eager_propagates is True


@pytest.mark.django_db
def test_enqueue_on_commit_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            enqueue_on_commit(record_task, note_id=7, reason="published")
            assert ran == []

    assert len(callbacks) == 1
    assert ran == [{"note_id": 7, "reason": "published"}]


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_on_rollback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(record_task, note_id=7)
            raise RuntimeError("the write failed")

    assert callbacks == []
    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_outside_a_transaction_sends_at_once():
    enqueue_on_commit(record_task, note_id=8)

    assert ran == [{"note_id": 8}]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_real_commit_and_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_task, note_id=1)
        raise RuntimeError("rolled back")
    with transaction.atomic():
        enqueue_on_commit(record_task, note_id=2)
        assert ran == []

    assert ran == [{"note_id": 2}]


@pytest.fixture
def failures_recorded():
    """Eager runs replay retries in-process (without the countdowns) only when a failure is
    recorded on the result, as a worker does, instead of raised in the caller."""
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.mark.usefixtures("failures_recorded")
def test_retry_policy_retries_transient_errors():
    result = flaky_task.apply(kwargs={"failures": 2})

    assert result.successful()
    assert attempts == [0, 1, 2]


@pytest.mark.usefixtures("failures_recorded")
def test_retry_policy_gives_up_after_max_retries():
    result = flaky_task.apply(kwargs={"failures": 100})

    assert result.failed()
    assert isinstance(result.result, OperationalError)
    assert attempts == list(range(RETRY_POLICY["max_retries"] + 1))


@pytest.mark.usefixtures("failures_recorded")
def test_retry_policy_does_not_retry_other_errors():
    result = broken_task.apply()

    assert result.failed()
    assert isinstance(result.result, ValueError)
    assert attempts == [0]


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("notes.image_process", "images"),
        ("notes.tasks.note_image_process_task", "images"),
        ("notes.note_publish", "default"),
        ("feeds.home_fanout", "feeds"),
        ("feeds.tasks.feed_rebuild_task", "feeds"),
        ("translations.translate", "translations"),
        ("accounts.export", "default"),
    ],
)
def test_celery_routes_tasks_to_their_queue_by_name(task_name, queue):
    assert app.amqp.router.route({}, task_name)["queue"].name == queue


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_puts_message_on_named_queue(redis_client):
    """With a real broker (eager off) the message lands in the queue the caller names."""
    app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            enqueue_on_commit(record_task, queue="translations", note_id=3)
            assert redis_client.llen("translations") == 0
        enqueue_on_commit(record_task, note_id=4)  # routed by name: "default"
    finally:
        app.conf.task_always_eager = True

    assert ran == []
    assert redis_client.llen("translations") == 1
    assert redis_client.llen("default") == 1
