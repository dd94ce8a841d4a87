"""Notification fixtures: `run_events` runs a service with its after-commit events, and the
`notifications` tasks they enqueue, as a worker would (tasks are eager in tests)."""

import pytest

from notifications.models import Notification


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """`run_events(service, **kwargs)`: the service, then its events' receivers and tasks."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def entries_of(user, **filters) -> list[Notification]:
    """Everything stored for `user` (shown or not), newest first."""
    return list(
        Notification.objects.filter(recipient=user, **filters).order_by("-updated_at", "-id")
    )
