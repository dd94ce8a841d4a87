"""Suspending accounts (for a period or permanently) and lifting suspensions.

A suspended person cannot sign in, their sessions and API tokens end, and their notes and
comments are hidden everywhere (every visibility rule asks for an active author) and taken out
of feeds (`accounts.events.user_suspended`); lifting the suspension restores them. Timed
suspensions are lifted by `suspensions_expire` (Celery beat, `moderation.suspensions_expire`).
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_suspend, user_unsuspend
from accounts.services.users import suspensions_due

from ..models import AuditLogEntry, ModerationAction
from .audit import audit_record
from .notices import notice_send

logger = logging.getLogger(__name__)


@transaction.atomic
def account_suspend(
    *, moderator: User | None, user: User, until: datetime | None, reason: str
) -> AuditLogEntry:
    """Suspend `user` until `until` (None: permanently) because of `reason`: they cannot sign
    in, their sessions and API tokens end, their content leaves every page and feed. Writes
    the audit entry and tells them (a notice, readable once the suspension is over). Refuses
    (ValidationError naming the field) an end in the past, a staff account, oneself, or a
    closed account (`user_suspend`, on the locked row)."""
    if until is not None and timezone.is_naive(until):
        until = timezone.make_aware(until)  # read in the active time zone, as forms do
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": [_("The end of a suspension must be in the future.")]})
    if moderator is not None and moderator.pk == user.pk:
        raise ValidationError({"user": [_("You cannot suspend yourself.")]})
    if user.is_staff or user.is_superuser:
        raise ValidationError({"user": [_("Staff accounts cannot be suspended here.")]})
    user = User.objects.select_for_update().get(pk=user.pk)
    user_suspend(user=user, until=until)
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.SUSPEND,
        target=user,
        target_owner=user,
        reason=reason,
        details={"until": until.isoformat() if until is not None else None},
    )
    notice_send(entry=entry, recipient_id=user.pk)
    return entry


@transaction.atomic
def account_unsuspend(*, moderator: User | None, user: User, reason: str) -> AuditLogEntry:
    """Lift `user`'s suspension (`moderator` None: it ran out): they can sign in again and
    their content comes back to pages and feeds. Writes the audit entry and tells them.
    Refuses (ValidationError on "user") an account that is not suspended, or one closed by
    its owner or staff (`user_unsuspend`: a closed account is never reactivated), or gone."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:  # erased meanwhile
        raise ValidationError({"user": [_("This account no longer exists.")]})
    user = locked
    if user.is_active:
        raise ValidationError({"user": [_("This account is not suspended.")]})
    user_unsuspend(user=user)
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.UNSUSPEND,
        target=user,
        target_owner=user,
        reason=reason,
    )
    notice_send(entry=entry, recipient_id=user.pk)
    return entry


def suspensions_expire(*, now: datetime | None = None) -> int:
    """Lift every suspension whose end has passed (audit entries with no moderator), each in
    its own transaction; returns how many were lifted. Safe to run concurrently: a suspension
    lifted meanwhile (or moved) is skipped, and so is an account closed meanwhile
    (`suspensions_due` leaves closed accounts out; the row is locked before the lift)."""
    now = now or timezone.now()
    lifted = 0
    for user_id in suspensions_due(now=now).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            user = (
                suspensions_due(now=now).select_for_update(skip_locked=True).filter(pk=user_id)
            ).first()
            if user is None:
                continue
            account_unsuspend(moderator=None, user=user, reason=_("The suspension period ended."))
            lifted += 1
    if lifted:
        logger.info("suspensions lifted: %d", lifted)
    return lifted
