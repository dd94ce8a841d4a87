"""Moderation tasks: thin, each calls one service."""

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from .services.suspensions import suspensions_expire


@shared_task(name="moderation.suspensions_expire", acks_late=True, **RETRY_POLICY)
def suspensions_expire_task() -> int:
    """Celery beat, every minute: lift the suspensions whose end has passed."""
    return suspensions_expire()
