"""Mute, unmute and unblock tell higher layers what happened, like follow and block: after
commit, with ids only, and only when the state changed."""

import pytest
from django.db import transaction

from accounts.models import Block, Mute
from accounts.services import block_create, block_delete, mute_create, mute_delete

pytestmark = pytest.mark.django_db


def test_mute_create_sends_user_muted_after_commit(
    user, other_user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mute_create(muter=user, muted=other_user)
        assert captured_events.sent == []

    assert captured_events.sent == [
        ("user_muted", {"muter_id": user.pk, "muted_id": other_user.pk})
    ]


def test_mute_create_twice_sends_one_event(
    user, other_user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mute_create(muter=user, muted=other_user)
        mute_create(muter=user, muted=other_user)

    assert captured_events.names() == ["user_muted"]


def test_mute_delete_sends_user_unmuted_after_commit_only_when_muted(
    user, other_user, captured_events, django_capture_on_commit_callbacks
):
    Mute.objects.create(muter=user, muted=other_user)

    with django_capture_on_commit_callbacks(execute=True):
        assert mute_delete(muter=user, muted=other_user) is True
        assert mute_delete(muter=user, muted=other_user) is False
        assert captured_events.sent == []

    assert captured_events.sent == [
        ("user_unmuted", {"muter_id": user.pk, "muted_id": other_user.pk})
    ]


def test_block_delete_sends_user_unblocked_after_commit_only_when_blocked(
    user, other_user, captured_events, django_capture_on_commit_callbacks
):
    Block.objects.create(blocker=user, blocked=other_user)

    with django_capture_on_commit_callbacks(execute=True):
        assert block_delete(blocker=user, blocked=other_user) is True
        assert block_delete(blocker=user, blocked=other_user) is False
        assert captured_events.sent == []

    assert captured_events.sent == [
        ("user_unblocked", {"blocker_id": user.pk, "blocked_id": other_user.pk})
    ]


def test_unmute_or_unblock_of_nothing_sends_nothing(
    user, other_user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mute_delete(muter=user, muted=other_user)
        block_delete(blocker=user, blocked=other_user)

    assert callbacks == []
    assert captured_events.sent == []


@pytest.mark.parametrize(
    ("setup", "write"),
    [
        (None, lambda a, b: mute_create(muter=a, muted=b)),
        (
            lambda a, b: Mute.objects.create(muter=a, muted=b),
            lambda a, b: mute_delete(muter=a, muted=b),
        ),
        (
            lambda a, b: Block.objects.create(blocker=a, blocked=b),
            lambda a, b: block_delete(blocker=a, blocked=b),
        ),
        (None, lambda a, b: block_create(blocker=a, blocked=b)),
    ],
    ids=["mute", "unmute", "unblock", "block"],
)
def test_rolled_back_write_sends_nothing(
    user, other_user, captured_events, django_capture_on_commit_callbacks, setup, write
):
    if setup:
        setup(user, other_user)
    before = (list(Mute.objects.values_list("pk")), list(Block.objects.values_list("pk")))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            write(user, other_user)
            raise RuntimeError("the request failed later")

    assert callbacks == []
    assert captured_events.sent == []
    assert (list(Mute.objects.values_list("pk")), list(Block.objects.values_list("pk"))) == before
