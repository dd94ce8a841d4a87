"""Accounts tasks: thin, by id (services enqueue them by name)."""

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from .models import DataExport, DataExportStatus, User
from .services.deletion import account_erase
from .services.exports import data_export_build, data_exports_expire

# Building an archive copies every photo of a person: longer than the default limits allow.
EXPORT_SOFT_TIME_LIMIT = 30 * 60


@shared_task(
    name="accounts.data_export_build",
    acks_late=True,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
    time_limit=EXPORT_SOFT_TIME_LIMIT + 60,
    **RETRY_POLICY,
)
def data_export_build_task(export_id: int) -> None:
    """Build one archive (idempotent: an export no longer pending is left alone)."""
    export = (
        DataExport.objects.filter(pk=export_id, status=DataExportStatus.PENDING)
        .select_related("user")
        .first()
    )
    if export is None:
        return
    data_export_build(export=export)


@shared_task(name="accounts.data_exports_expire", acks_late=True, **RETRY_POLICY)
def data_exports_expire_task() -> int:
    """Periodic (beat): delete archives past their download period."""
    return data_exports_expire()


@shared_task(
    name="accounts.account_erase",
    acks_late=True,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
    time_limit=EXPORT_SOFT_TIME_LIMIT + 60,
    **RETRY_POLICY,
)
def account_erase_task(user_id: int) -> None:
    """Remove a closed account's content and then the account (idempotent: a rerun after a
    partial run finishes the job; gone already, nothing to do). Only an account marked closed
    (`deleted_at`) is erased, never one merely inactive (suspended)."""
    user = User.objects.closed().filter(pk=user_id).first()
    if user is None:
        return
    account_erase(user=user)
