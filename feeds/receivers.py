"""How home timelines hear about changes: receivers of the notes, accounts and feeds events,
connected in `FeedsConfig.ready()`. They only enqueue a `feeds` task (`feeds.tasks`, by name);
without a feed store (the quick start) there is nothing to keep up to date."""

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

from rednote.tasks import enqueue_on_commit

from . import tag_selectors, trending
from .store import store_configured


def _enqueue(task: str, **kwargs: Any) -> None:
    # Not `get_store()`: a cluster client connects when made, and enqueueing needs no Redis.
    if store_configured():
        enqueue_on_commit(task, **kwargs)


def on_note_published(*, note_id: int, author_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.note_fan_out", note_id=note_id, author_id=author_id, active_only=True)


def on_note_withdrawn(
    *, note_id: int, author_id: int, hashtag_ids: list[int] | None = None, **_kwargs: Any
) -> None:
    kwargs: dict[str, Any] = {"note_id": note_id, "author_id": author_id, "active_only": False}
    if hashtag_ids:  # a deleted note: its tags' readers cannot be found from its row
        kwargs["hashtag_ids"] = list(hashtag_ids)
    _enqueue("feeds.note_fan_out", **kwargs)


def on_follow_changed(*, follower_id: int, followee_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.reader_author_sync", reader_id=follower_id, author_id=followee_id)


def on_block_changed(*, blocker_id: int, blocked_id: int, **_kwargs: Any) -> None:
    # Both ways: neither sees the other's notes while a block stands.
    _enqueue("feeds.reader_author_sync", reader_id=blocker_id, author_id=blocked_id)
    _enqueue("feeds.reader_author_sync", reader_id=blocked_id, author_id=blocker_id)


def on_mute_changed(*, muter_id: int, muted_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.reader_author_sync", reader_id=muter_id, author_id=muted_id)


def on_user_suspended(*, user_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.author_withdraw", author_id=user_id)


def on_user_deleted(*, user_id: int, **_kwargs: Any) -> None:
    # As for a suspension: the closed account's notes leave timelines at once, before the
    # erasing task deletes them one by one.
    _enqueue("feeds.author_withdraw", author_id=user_id)


def on_user_unsuspended(*, user_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.author_restore", author_id=user_id)


def on_hashtag_follow_changed(*, user_id: int, hashtag_id: int, **_kwargs: Any) -> None:
    _enqueue("feeds.reader_tag_sync", reader_id=user_id, hashtag_id=hashtag_id)


def on_hashtag_groups_changed(
    *, hashtag_ids: list[int], group_ids: list[int], **_kwargs: Any
) -> None:
    """Tags linked or unlinked: their topics' cached lists and counts, and trending (which
    counts a group once), are computed afresh. Timelines stay as they are: delivery expands a
    followed tag to its group when a note is published (`feeds.fanout`) and when a feed is
    read from the database (`feeds.sources`), so no follow or timeline is rewritten. Cache
    keys only, no task: as cheap as the enqueue would be."""
    tag_selectors.tag_topics_forget(hashtag_ids=hashtag_ids, group_ids=group_ids)
    trending.trending_forget()


def connect() -> None:
    """Called from `FeedsConfig.ready()`."""
    from accounts import events as accounts_events
    from notes import events as notes_events

    from . import events as feeds_events

    connections: list[tuple[Signal, Callable[..., None]]] = [
        (notes_events.note_published, on_note_published),
        (notes_events.note_withdrawn, on_note_withdrawn),
        (accounts_events.follow_changed, on_follow_changed),
        (accounts_events.user_blocked, on_block_changed),
        (accounts_events.user_unblocked, on_block_changed),
        (accounts_events.user_muted, on_mute_changed),
        (accounts_events.user_unmuted, on_mute_changed),
        (accounts_events.user_suspended, on_user_suspended),
        (accounts_events.user_unsuspended, on_user_unsuspended),
        (accounts_events.user_deleted, on_user_deleted),
        (feeds_events.hashtag_followed, on_hashtag_follow_changed),
        (feeds_events.hashtag_unfollowed, on_hashtag_follow_changed),
        (notes_events.hashtag_groups_changed, on_hashtag_groups_changed),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"feeds.home.{receiver.__name__}")
