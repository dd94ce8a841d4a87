"""Feed tasks: thin, by id or by name; each calls one service. Routed to the `feeds` queue
(settings `CELERY_TASK_ROUTES`: every `feeds.*` task)."""

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from . import ranking


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
