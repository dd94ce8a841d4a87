"""Fixtures for the moderation tests: a moderator, and hiding content the way the desk does
(through the registry, with the HIDE audit entry the author can appeal against)."""

import pytest
from django.db import transaction

from moderation.models import ModerationAction
from moderation.registry import registry
from moderation.services.audit import audit_record
from moderation.targets import target_owner_id
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(handle="mod", is_staff=True, is_superuser=True)


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """Run a service with its after-commit events and the tasks they enqueue."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def hide(moderator, run_events):
    """Hide a note or comment as a moderator's decision: the owning app hides it, the audit
    log records it (HIDE, with the reason), events and tasks run."""

    def hide_one(target, reason="Spam links"):
        def decide():
            with transaction.atomic():
                registry.actions_for(type(target)).hide(target=target)
                return audit_record(
                    moderator=moderator,
                    action=ModerationAction.HIDE,
                    target=target,
                    target_owner=type(moderator)(pk=target_owner_id(target)),
                    reason=reason,
                )

        entry = run_events(decide)
        target.refresh_from_db()
        return entry

    return hide_one
