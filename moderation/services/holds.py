"""Held content: what keyword rules hold, and the moderators' decisions on it.

`content_screen` tells a writing service (notes: note create and edit, comment create) what to
do with new text — refuse it (the service raises the `ValidationError` of `screen_refusal`,
storing nothing), hold it (it stores it, visible only to its author, and calls `hold_create`)
or let it pass. See `moderation.keywords` for how text is matched and when translations are.

A moderator approves a hold (`hold_approve`: the content is let out as if it had never been
held — a note published and fanned out, a comment put in its thread and announced — through
the release its app registered in `registry.held_registry`) or rejects it (`hold_reject`: the
content is hidden through `registry.registry`, the reason kept in the audit log and sent to the
author). Each decision writes one audit-log entry per target, in bulk too, and tells the
author after commit (`events.moderation_notice`).
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.events import send_on_commit

from .. import events
from ..keywords import KeywordMatch, content_match
from ..models import REASON_MAX_LENGTH, HeldContent, HoldStatus, KeywordRule, ModerationAction
from ..registry import held_registry, registry
from .audit import audit_record


class ScreenAction:
    PASS = "pass"  # noqa: S105 (not a password)
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class ScreenOutcome:
    """What to do with new text: `action` (a `ScreenAction`) and the deciding `match`."""

    action: str
    match: KeywordMatch | None = None

    @property
    def holds(self) -> bool:
        return self.action == ScreenAction.HOLD

    @property
    def refuses(self) -> bool:
        return self.action == ScreenAction.REFUSE


def content_screen(*, texts: Mapping[str, str], language: str) -> ScreenOutcome:
    """Screen new text (`texts` by field: "title", "body") written in `language` against the
    active keyword rules, inside the write: the original and the translations already cached
    (`keywords.content_match`). Never calls the translation provider."""
    match = content_match(texts, language=language)
    if match is None:
        return ScreenOutcome(action=ScreenAction.PASS)
    action = ScreenAction.REFUSE if match.refuses else ScreenAction.HOLD
    return ScreenOutcome(action=action, match=match)


def refusal_message(match: KeywordMatch) -> str:
    return match.rule.message or _("This contains words that are not allowed here.")


def screen_refusal(match: KeywordMatch) -> ValidationError:
    """The error a refused text is answered with, on the field the rule matched."""
    return ValidationError({match.field: [refusal_message(match)]}, code="keyword_refused")


def _content_type(target: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(target, for_concrete_model=False)


def hold_create(*, target: models.Model, author: User, match: KeywordMatch) -> HeldContent:
    """Record that `match` holds `target` (`author`'s) for review; the pending hold it has
    already when there is one. Call inside the write's transaction, after storing `target`
    in its held state."""
    content_type = _content_type(target)
    pending = HeldContent.objects.filter(
        target_type=content_type, target_id=target.pk, status=HoldStatus.PENDING
    )
    existing = pending.first()
    if existing is not None:
        return existing
    rule_id = match.rule.pk if KeywordRule.objects.filter(pk=match.rule.pk).exists() else None
    try:
        with transaction.atomic():
            return HeldContent.objects.create(
                target_type=content_type,
                target_id=target.pk,
                author=author,
                rule_id=rule_id,
                matched_term=match.rule.term[:100],
                matched_in=match.matched_in[:20],
            )
    except IntegrityError:  # held at the same time by another screening
        return pending.get()


def hold_pending(target: models.Model) -> HeldContent | None:
    """The pending hold of `target`, if any."""
    return HeldContent.objects.filter(
        target_type=_content_type(target), target_id=target.pk, status=HoldStatus.PENDING
    ).first()


def holds_forget(*, model: type[models.Model], ids) -> int:
    """Drop the pending holds of content being deleted (`ids`: a list or a queryset of ids of
    `model`): nothing is left to review. Call in the deleting transaction, before the delete."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    deleted, _rows = HeldContent.objects.filter(
        target_type=content_type, target_id__in=ids, status=HoldStatus.PENDING
    ).delete()
    return deleted


def _decide(
    *, moderator: User | None, hold: HeldContent, approve: bool, reason: str, batch: str = ""
) -> bool:
    """One decision in the caller's transaction; False when the hold was decided already."""
    locked = HeldContent.objects.select_for_update().filter(pk=hold.pk).first()
    if locked is None or locked.status != HoldStatus.PENDING:
        return False
    target = locked.target  # None when the content was deleted meanwhile
    locked.status = HoldStatus.APPROVED if approve else HoldStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = moderator
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    hold.status, hold.decided_at, hold.decided_by = (
        locked.status,
        locked.decided_at,
        locked.decided_by,
    )
    action = ModerationAction.APPROVE if approve else ModerationAction.REJECT
    if not approve:
        rule = KeywordRule.objects.filter(pk=locked.rule_id).only("message").first()
        reason = reason.strip() or (rule.message if rule is not None else "")
        reason = (reason or _("This contains words that are not allowed here."))[:REASON_MAX_LENGTH]
    if target is None:
        return True
    model = type(target)
    if not approve:
        registry.actions_for(model).hide(target=target)
    # Rejected content leaves the held state too: it stays hidden by moderators, as any hidden
    # content (the desk may unhide it later), rather than held with no review to come.
    held_registry.release_for(model)(target=target)
    details: dict = {"hold_id": locked.pk, "term": locked.matched_term}
    details["matched_in"] = locked.matched_in
    if batch:
        details["batch"] = batch
    audit_record(
        moderator=moderator,
        action=action,
        target=target,
        target_owner=locked.author,
        reason=reason if not approve else "",
        details=details,
    )
    send_on_commit(
        events.moderation_notice,
        sender=HeldContent,
        recipient_id=locked.author_id,
        action=str(action),
        reason=reason if not approve else "",
        target_type=locked.target_type_id,
        target_id=locked.target_id,
        details={"hold_id": locked.pk},
    )
    return True


@transaction.atomic
def hold_approve(*, moderator: User | None, hold: HeldContent) -> bool:
    """Let held content out: a note is published (and fanned out) as it would have been, a
    comment shown in its thread and announced. False when the hold was decided already."""
    return _decide(moderator=moderator, hold=hold, approve=True, reason="")


@transaction.atomic
def hold_reject(*, moderator: User | None, hold: HeldContent, reason: str = "") -> bool:
    """Refuse held content: hidden by moderators, with `reason` (by default the rule's
    message) logged and sent to its author. False when the hold was decided already."""
    return _decide(moderator=moderator, hold=hold, approve=False, reason=reason)


def _bulk(moderator, holds: Iterable[HeldContent], approve: bool, reason: str) -> int:
    batch = uuid.uuid4().hex
    done = 0
    with transaction.atomic():
        for hold in holds:
            done += _decide(
                moderator=moderator, hold=hold, approve=approve, reason=reason, batch=batch
            )
    return done


def holds_approve(*, moderator: User | None, holds: Iterable[HeldContent]) -> int:
    """`hold_approve` for each (one audit entry each, one batch id); how many were pending."""
    return _bulk(moderator, holds, True, "")


def holds_reject(*, moderator: User | None, holds: Iterable[HeldContent], reason: str = "") -> int:
    """`hold_reject` for each (one audit entry each, one batch id); how many were pending."""
    return _bulk(moderator, holds, False, reason)
