"""What moderators do about reported content and people: dismiss the reports, hide, unhide or
delete the content, warn its author, suspend them.

Each action on one target runs in its own transaction: it acts through the owning app
(`registry`: the notes services, which take hidden and deleted content out of every feed, page
and search), closes the target's open reports (status, when, by whom, the decision), writes one
audit-log entry (`audit_record`) and, once committed, tells the person concerned
(`moderation_notice`). A bulk action runs the single one per target (one entry each, sharing a
`batch` id in their details); a target that fails is reported, the others are done.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import (
    REASON_MAX_LENGTH,
    AuditLogEntry,
    ModerationAction,
    Report,
    ReportStatus,
)
from ..registry import registry
from ..targets import target_owner_id
from .audit import audit_record
from .notices import notice_send

logger = logging.getLogger(__name__)


def _content_type(target: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(target, for_concrete_model=False)


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason: the person concerned is told it.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("A reason can have at most %(limit)s characters; it has %(n)s.")
                    % {"limit": REASON_MAX_LENGTH, "n": len(reason)}
                ]
            }
        )
    return reason


def reports_close(
    *, target: models.Model, moderator: User | None, decision: str, dismissed: bool = False
) -> list[int]:
    """Close every open report of `target` with `decision` (a `ModerationAction` value): its
    status (dismissed, else acted on), when and by whom. Returns their ids. Call inside the
    action's transaction."""
    open_reports = Report.objects.filter(
        target_type=_content_type(target), target_id=target.pk, status=ReportStatus.OPEN
    )
    ids = list(open_reports.select_for_update().values_list("pk", flat=True))
    if ids:
        Report.objects.filter(pk__in=ids).update(
            status=ReportStatus.DISMISSED if dismissed else ReportStatus.ACTIONED,
            decided_at=timezone.now(),
            decided_by=moderator,
            decision=decision,
        )
    return ids


def _decide(
    *,
    moderator: User,
    target: models.Model,
    action: str,
    reason: str,
    act: Callable[[], Any] | None = None,
    act_after_record: bool = False,
    dismissed: bool = False,
    notify: bool = True,
    owner_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """The common steps of a decision on one target (see the module docstring)."""
    with transaction.atomic():
        if owner_id is None:
            owner_id = target_owner_id(target) if target.pk is not None else None
        if act is not None and not act_after_record:
            act()
        closed = reports_close(
            target=target, moderator=moderator, decision=action, dismissed=dismissed
        )
        entry = audit_record(
            moderator=moderator,
            action=action,
            target=target,
            target_owner=User(pk=owner_id) if owner_id is not None else None,
            reason=reason,
            details={**(details or {}), "reports": closed},
        )
        if act is not None and act_after_record:
            act()  # a deletion: recorded while the row (its id and text) is still there
        if notify:
            notice_send(entry=entry, recipient_id=owner_id)
    return entry


# --- One target -----------------------------------------------------------------------------


def reports_dismiss(
    *, moderator: User, target: models.Model, reason: str = "", batch: str = ""
) -> AuditLogEntry:
    """Nothing wrong: close the target's open reports as dismissed. Nobody is told. `target`
    may be a stand-in for content that is gone (`targets.target_placeholder`)."""
    reason = _reason_clean(reason, required=False)
    owner_id = None
    if target.pk is not None and _exists(target):
        owner_id = target_owner_id(target)
    return _decide(
        moderator=moderator,
        target=target,
        action=ModerationAction.DISMISS,
        reason=reason,
        dismissed=True,
        notify=False,
        owner_id=owner_id,
        details=_batch(batch),
    )


def content_hide(
    *, moderator: User, target: models.Model, reason: str, batch: str = ""
) -> AuditLogEntry:
    """Hide a note or comment from everyone but its author (every feed, tag page, search,
    thread and the API at once, through the notes services), with the reason they are told."""
    reason = _reason_clean(reason, required=True)
    actions = registry.actions_for(type(target))
    return _decide(
        moderator=moderator,
        target=target,
        action=ModerationAction.HIDE,
        reason=reason,
        act=lambda: actions.hide(target=target),
        details=_batch(batch),
    )


def content_unhide(
    *, moderator: User, target: models.Model, reason: str = "", batch: str = ""
) -> AuditLogEntry:
    """Put hidden content back where it was; its author is told."""
    reason = _reason_clean(reason, required=False)
    actions = registry.actions_for(type(target))
    return _decide(
        moderator=moderator,
        target=target,
        action=ModerationAction.UNHIDE,
        reason=reason,
        act=lambda: actions.unhide(target=target),
        details=_batch(batch),
    )


def content_delete(
    *, moderator: User, target: models.Model, reason: str, batch: str = ""
) -> AuditLogEntry:
    """Delete a note (its photos too) or a comment (its replies too) for good; its author is
    told why. The entry keeps what it was (`target_repr`)."""
    reason = _reason_clean(reason, required=True)
    actions = registry.actions_for(type(target))
    return _decide(
        moderator=moderator,
        target=target,
        action=ModerationAction.DELETE,
        reason=reason,
        act=lambda: actions.delete(target=target),
        act_after_record=True,
        details=_batch(batch),
    )


def user_warn(
    *,
    moderator: User,
    user: User,
    reason: str,
    about: models.Model | None = None,
    batch: str = "",
) -> AuditLogEntry:
    """Warn `user` (told the reason). `about`: the note or comment of theirs the warning is
    for, whose reports it closes and under which it is logged; else the person themselves."""
    reason = _reason_clean(reason, required=True)
    return _decide(
        moderator=moderator,
        target=about if about is not None else user,
        action=ModerationAction.WARN,
        reason=reason,
        owner_id=user.pk,
        details=_batch(batch),
    )


def target_owner_suspend(
    *,
    moderator: User,
    target: models.Model,
    until: datetime | None,
    reason: str,
) -> int | None:
    """Suspend whoever `target` belongs to (the person, for a person) until `until` (None:
    for good), through the suspension service (which logs it and tells them), and close the
    target's open reports as acted on. Returns the person's id (None when the target has no
    owner any more)."""
    from .suspensions import account_suspend

    reason = _reason_clean(reason, required=True)
    owner_id = target_owner_id(target)
    if owner_id is None:
        return None
    with transaction.atomic():
        person = User.objects.get(pk=owner_id)
        account_suspend(moderator=moderator, user=person, until=until, reason=reason)
        reports_close(target=target, moderator=moderator, decision=ModerationAction.SUSPEND)
    return owner_id


def _exists(target: models.Model) -> bool:
    return type(target)._default_manager.filter(pk=target.pk).exists()


def _batch(batch: str) -> dict[str, Any]:
    return {"batch": batch} if batch else {}


# --- Many targets ---------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What a bulk action did: the entries written, and each target refused with why."""

    entries: list[AuditLogEntry] = field(default_factory=list)
    failed: list[tuple[models.Model, str]] = field(default_factory=list)
    done: int = 0


def _each(targets: Iterable[models.Model], run: Callable[[models.Model, str], Any]) -> BulkOutcome:
    batch = uuid.uuid4().hex
    outcome = BulkOutcome()
    for target in targets:
        try:
            result = run(target, batch)
        except ValidationError as exc:
            outcome.failed.append((target, " ".join(exc.messages)))
            continue
        if isinstance(result, AuditLogEntry):
            outcome.entries.append(result)
        outcome.done += 1
    return outcome


def reports_dismiss_many(
    *, moderator: User, targets: Iterable[models.Model], reason: str = ""
) -> BulkOutcome:
    return _each(
        targets,
        lambda t, b: reports_dismiss(moderator=moderator, target=t, reason=reason, batch=b),
    )


def content_hide_many(
    *, moderator: User, targets: Iterable[models.Model], reason: str
) -> BulkOutcome:
    _reason_clean(reason, required=True)
    return _each(
        targets, lambda t, b: content_hide(moderator=moderator, target=t, reason=reason, batch=b)
    )


def content_unhide_many(
    *, moderator: User, targets: Iterable[models.Model], reason: str = ""
) -> BulkOutcome:
    return _each(
        targets,
        lambda t, b: content_unhide(moderator=moderator, target=t, reason=reason, batch=b),
    )


def content_delete_many(
    *, moderator: User, targets: Iterable[models.Model], reason: str
) -> BulkOutcome:
    _reason_clean(reason, required=True)
    return _each(
        targets,
        lambda t, b: content_delete(moderator=moderator, target=t, reason=reason, batch=b),
    )


def target_owner_warn(
    *, moderator: User, target: models.Model, reason: str, batch: str = ""
) -> AuditLogEntry:
    """Warn whoever `target` belongs to, about it (a person: about themselves)."""
    if isinstance(target, User):
        return user_warn(moderator=moderator, user=target, reason=reason, batch=batch)
    owner_id = target_owner_id(target)
    owner = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
    if owner is None:
        raise ValidationError(_("Nobody to warn: the author's account is gone."))
    return user_warn(moderator=moderator, user=owner, reason=reason, about=target, batch=batch)


def target_owners_warn_many(
    *, moderator: User, targets: Iterable[models.Model], reason: str
) -> BulkOutcome:
    _reason_clean(reason, required=True)
    return _each(
        targets,
        lambda t, b: target_owner_warn(moderator=moderator, target=t, reason=reason, batch=b),
    )


def target_owners_suspend_many(
    *,
    moderator: User,
    targets: Iterable[models.Model],
    until: datetime | None,
    reason: str,
) -> BulkOutcome:
    """Suspend the owner of each target (each person once) and close each target's reports."""
    _reason_clean(reason, required=True)
    suspended: set[int] = set()

    def run(target: models.Model, _batch_id: str):
        owner_id = target_owner_id(target)
        if owner_id in suspended:
            with transaction.atomic():
                reports_close(target=target, moderator=moderator, decision=ModerationAction.SUSPEND)
            return None
        done = target_owner_suspend(moderator=moderator, target=target, until=until, reason=reason)
        if done is not None:
            suspended.add(done)
        return None

    return _each(targets, run)
