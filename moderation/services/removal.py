"""Removing a person's account for good, by an administrator (the user admin's delete)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.deletion import account_delete

from ..models import AuditLogEntry, ModerationAction
from .audit import audit_record


@transaction.atomic
def account_remove(*, moderator: User, user: User, reason: str = "") -> AuditLogEntry:
    """Close `user`'s account as its owner's deletion does — at once: no sign-in, sessions and
    tokens ended, profile and content gone from every page and feed; then the erase task
    removes their notes, comments, photos in storage and the account row — and write the
    audit entry. Refuses (ValidationError on "user") removing oneself this way."""
    if moderator.pk == user.pk:
        raise ValidationError({"user": [_("Close your own account from your settings.")]})
    entry = audit_record(
        moderator=moderator,
        action=ModerationAction.DELETE,
        target=user,
        target_owner=None,  # the account is going: the entry keeps its handle as text
        reason=reason,
        details={"account": user.handle},
    )
    account_delete(user=user, by_staff=True)
    return entry
