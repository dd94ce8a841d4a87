"""Closing an account, by its owner (or by staff: moderation's `account_remove`).

`account_delete` acts at once: the account is marked closed (`User.deleted_at`, in the same
transaction; a closed account is never active again, whoever lifts a suspension meanwhile),
deactivated and its password made unusable (it cannot sign in; Django's session hash no longer
matches any session), every session and API token ends, the profile is a 404, and the author's
notes and comments leave every page and feed (they are read only from active authors;
`user_deleted` tells the feeds to take them out of timelines). Then a task (`account_erase`)
removes the data itself: each app's part through its own services (`accounts.personal_data`:
notes, comments, likes, collections and photos in storage, so counters, feeds and notifications
stay right), the avatar and export archives, and finally the user row, whose deletion takes
what is left (follows, blocks, mutes, e-mail addresses, notifications) by cascade. Replies of
other people under the person's top-level comments go with them, as when a comment is deleted;
moderation records keep no link to them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rednote.events import send_on_commit
from rednote.tasks import enqueue_on_commit

from .. import events
from ..models import DataExport, User
from ..personal_data import registry
from ..sessions import sessions_end
from .exports import data_export_delete_file
from .profiles import avatar_clear
from .users import auth_tokens_revoke

ERASE_TASK = "accounts.account_erase"


def account_password_check(*, user: User, password: str) -> None:
    """Re-authentication for an API client: ValidationError on `password` unless it is the
    account's current password."""
    if not password:
        raise ValidationError({"password": [_("Enter your current password.")]})
    if not user.check_password(password):
        raise ValidationError({"password": [_("This is not your current password.")]})


@transaction.atomic
def account_delete(*, user: User, by_staff: bool = False) -> None:
    """Close `user`'s account; the caller has re-authenticated them. See the module.

    `by_staff`: an administrator removes the account (moderation's `account_remove`, from the
    user admin), suspended or not; otherwise a suspended account is left to the moderators.
    Removing an account already closed keeps its closing time and enqueues the erase again
    (an erase that failed is retried)."""
    accounts = User.objects.select_for_update().filter(pk=user.pk)
    locked = (accounts if by_staff else accounts.filter(is_active=True)).first()
    if locked is None:  # already gone, or suspended and not removed by staff
        return
    user.deleted_at = locked.deleted_at or timezone.now()
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["deleted_at", "is_active", "password"])
    sessions_end(user_id=user.pk)
    auth_tokens_revoke(user=user)
    avatar_clear(user=user)  # public media: gone at once
    send_on_commit(events.user_deleted, sender=User, user_id=user.pk)
    enqueue_on_commit(ERASE_TASK, user_id=user.pk)


def account_erase(*, user: User) -> None:
    """Remove everything of a closed account (`user.is_closed`; the task loads only those),
    then the account (run by a task; safe to run again after a partial run)."""
    for part in registry.parts:
        if part.erase is not None:
            part.erase(user=user)
    for export in DataExport.objects.filter(user=user).exclude(archive=""):
        data_export_delete_file(export=export)
    avatar_clear(user=user)
    # Sessions may have been made since (none can sign in, but be thorough) and tokens too.
    sessions_end(user_id=user.pk)
    user.delete()
