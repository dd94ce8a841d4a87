"""Feed tasks: thin, by id or by name; each calls one service. Routed to the `feeds` queue
(settings `CELERY_TASK_ROUTES`: every `feeds.*` task)."""

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from . import fanout, ranking


@shared_task(name="feeds.discover_ranks_recompute", acks_late=True, **RETRY_POLICY)
def discover_ranks_recompute_task(everything: bool = False) -> int:
    """Celery beat, every few minutes: re-rank the recent notes (`feeds.ranking`);
    `everything` re-ranks every published note (the demo seed)."""
    if everything:
        return ranking.discover_ranks_recompute(since=None)
    return ranking.discover_ranks_recompute_recent()


@shared_task(name="feeds.note_rank_update", acks_late=True, **RETRY_POLICY)
def note_rank_update_task(note_id: int) -> None:
    """Rank a note just published (`note_published`); a note gone since is unranked."""
    ranking.note_rank_update(note_id=note_id)


# --- Home timelines (feeds.fanout): idempotent, so a redelivered task changes nothing ---------


@shared_task(name="feeds.note_fan_out", acks_late=True, **RETRY_POLICY)
def note_fan_out_task(
    note_id: int, author_id: int, active_only: bool = True, hashtag_ids: list[int] | None = None
) -> int:
    """A note was published (`active_only`) or withdrawn: chunk its readers by 1,000
    (`hashtag_ids`: a deleted note's tags)."""
    return fanout.note_fan_out(
        note_id=note_id, author_id=author_id, active_only=active_only, hashtag_ids=hashtag_ids
    )


@shared_task(name="feeds.note_sync_chunk", acks_late=True, **RETRY_POLICY)
def note_sync_chunk_task(note_id: int, author_id: int, reader_ids: list[int]) -> None:
    """One chunk (up to 1,000) of a note's readers brought up to date."""
    fanout.note_sync_chunk(note_id=note_id, author_id=author_id, reader_ids=reader_ids)


@shared_task(name="feeds.reader_author_sync", acks_late=True, **RETRY_POLICY)
def reader_author_sync_task(reader_id: int, author_id: int) -> None:
    """Follow, block, mute or their undo: the author's notes in the reader's timeline."""
    fanout.reader_author_sync(reader_id=reader_id, author_id=author_id)


@shared_task(name="feeds.reader_tag_sync", acks_late=True, **RETRY_POLICY)
def reader_tag_sync_task(reader_id: int, hashtag_id: int) -> None:
    """A hashtag followed or unfollowed: its notes in the reader's timeline."""
    fanout.reader_tag_sync(reader_id=reader_id, hashtag_id=hashtag_id)


@shared_task(name="feeds.author_withdraw", acks_late=True, **RETRY_POLICY)
def author_withdraw_task(author_id: int) -> int:
    """A suspended author: their notes leave their followers' timelines, 1,000 per task."""
    return fanout.author_withdraw(author_id=author_id)


@shared_task(name="feeds.author_withdraw_chunk", acks_late=True, **RETRY_POLICY)
def author_withdraw_chunk_task(author_id: int, reader_ids: list[int]) -> None:
    fanout.author_withdraw_chunk(author_id=author_id, reader_ids=reader_ids)


@shared_task(name="feeds.author_restore", acks_late=True, **RETRY_POLICY)
def author_restore_task(author_id: int) -> int:
    """A suspension lifted: the followers' timelines are rebuilt, 1,000 per task."""
    return fanout.author_restore(author_id=author_id)


@shared_task(name="feeds.author_restore_chunk", acks_late=True, **RETRY_POLICY)
def author_restore_chunk_task(author_id: int, reader_ids: list[int]) -> None:
    fanout.author_restore_chunk(author_id=author_id, reader_ids=reader_ids)
