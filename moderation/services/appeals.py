"""Appeals against a hide: the author of hidden content asks once per hide decision; a moderator
grants (the content is shown again) or denies it, from the same desk.

An appeal hangs on the hide decision's audit entry (`Appeal.hide_entry`, unique): content
hidden, unhidden and hidden again can be appealed again, the same decision only once.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import has_control_characters

from ..hidden import hidden_status
from ..models import (
    APPEAL_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Appeal,
    AppealStatus,
    AuditLogEntry,
    ModerationAction,
)
from ..registry import registry
from ..targets import target_model, target_owner_id, targets_get
from .audit import audit_record
from .notices import notice_send


def appeal_text_clean(text: str) -> str:
    """The appeal's text trimmed; ValidationError on "text" when empty, too long or holding
    control characters (line breaks are fine)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say why the moderators should look at it again.")]})
    if has_control_characters(text.replace("\n", "").replace("\r", "")):
        raise ValidationError({"text": [_("Remove the control characters from this field.")]})
    if len(text) > APPEAL_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("An appeal can have at most %(limit)s characters; it has %(n)s.")
                    % {"limit": APPEAL_TEXT_MAX_LENGTH, "n": len(text)}
                ]
            }
        )
    return text


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason: the author is told it.")]})
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


def appeal_target_get(*, author: User, kind: str, target_id: int) -> models.Model:
    """The note or comment (`kind`) of `author` hidden by moderators, by id, for an appeal;
    ValidationError on "target" otherwise — missing, someone else's and not hidden alike, so
    nothing is learnt about other people's content."""
    model = target_model(kind)
    target = None
    if model is not None and model is not User and registry.is_registered(model):
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        target = targets_get(content_type, [target_id]).get(target_id)
    if (
        target is None
        or target_owner_id(target) != author.pk
        or not getattr(target, "is_hidden", False)
    ):
        raise ValidationError({"target": [_not_appealable_message()]})
    return target


def _not_appealable_message() -> str:
    return _("Nothing of yours hidden by moderators has this id.")


def appeal_create(*, author: User, target: models.Model, text: str) -> Appeal:
    """`author` appeals against the hiding of `target`. Refused (ValidationError, nothing
    stored) unless `target` is theirs and hidden by a moderator's decision not appealed yet:
    on "target" (not theirs, not hidden, already appealed) or "text"."""
    if target_owner_id(target) != author.pk or not getattr(target, "is_hidden", False):
        raise ValidationError({"target": [_not_appealable_message()]})
    status = hidden_status(target)
    if status is None or status.entry is None:
        raise ValidationError(
            {"target": [_("This was not hidden by a moderator's decision you can appeal.")]}
        )
    if status.appeal is not None:
        raise ValidationError({"target": [_("You have already appealed this decision.")]})
    text = appeal_text_clean(text)
    entry = status.entry
    try:
        with transaction.atomic():
            return Appeal.objects.create(
                hide_entry=entry,
                author=author,
                target_type_id=entry.target_type_id,
                target_id=entry.target_id,
                text=text,
            )
    except IntegrityError as exc:  # a second appeal raced this one
        raise ValidationError({"target": [_("You have already appealed this decision.")]}) from exc


def _open_appeal_locked(appeal: Appeal) -> Appeal:
    locked = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("target_type", "hide_entry")
        .get(pk=appeal.pk)
    )
    if locked.status != AppealStatus.OPEN:
        raise ValidationError({"appeal": [_("This appeal has already been decided.")]})
    return locked


def _decide(appeal: Appeal, *, moderator: User | None, status: str) -> None:
    appeal.status = status
    appeal.decided_at = timezone.now()
    appeal.decided_by = moderator
    appeal.save(update_fields=["status", "decided_at", "decided_by"])


def _target_of(appeal: Appeal) -> models.Model | None:
    return targets_get(appeal.target_type, [appeal.target_id]).get(appeal.target_id)


@transaction.atomic
def appeal_grant(*, moderator: User | None, appeal: Appeal, reason: str = "") -> AuditLogEntry:
    """Grant an open appeal: the content is shown again (unhidden through the owning app, so it
    comes back to feeds and pages), the decision is logged (APPEAL_GRANT) and the author told.
    ValidationError on "appeal" when it is decided already or its content is gone."""
    reason = _reason_clean(reason, required=False)
    appeal = _open_appeal_locked(appeal)
    target = _target_of(appeal)
    if target is None:
        raise ValidationError({"appeal": [_("The content of this appeal no longer exists.")]})
    if getattr(target, "is_hidden", False):
        registry.actions_for(type(target)).unhide(target=target)
    _decide(appeal, moderator=moderator, status=AppealStatus.GRANTED)
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.APPEAL_GRANT,
        target=target,
        target_owner=appeal.author,
        reason=reason,
        details={"appeal_id": appeal.pk, "hide_entry_id": appeal.hide_entry_id},
    )
    notice_send(entry=entry, recipient_id=appeal.author_id)
    return entry


@transaction.atomic
def appeal_deny(*, moderator: User | None, appeal: Appeal, reason: str) -> AuditLogEntry:
    """Deny an open appeal: the content stays hidden (this decision cannot be appealed again),
    the decision is logged (APPEAL_DENY) with its reason and the author told. ValidationError
    on "reason" (required) or "appeal" (decided already)."""
    reason = _reason_clean(reason, required=True)
    appeal = _open_appeal_locked(appeal)
    target = _target_of(appeal)
    _decide(appeal, moderator=moderator, status=AppealStatus.DENIED)
    if target is None:  # gone meanwhile: logged under its type and id
        target = appeal.target_type.model_class()(pk=appeal.target_id)
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.APPEAL_DENY,
        target=target,
        target_owner=appeal.author,
        reason=reason,
        details={"appeal_id": appeal.pk, "hide_entry_id": appeal.hide_entry_id},
    )
    notice_send(entry=entry, recipient_id=appeal.author_id)
    return entry
