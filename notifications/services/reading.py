"""The reader's side of the inbox: marking entries read, and dropping cached unread counts
(the badges) whenever an entry changes."""

from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import selectors
from ..models import Notification


def unread_counts_forget(*user_ids: int) -> None:
    """Drop these people's cached unread counts, now and once the current transaction
    commits, so the next page reads them afresh."""
    keys = [selectors.unread_counts_key(user_id) for user_id in set(user_ids)]
    if keys:
        # Now, for the rest of this request (the page that marked its tab read shows the new
        # badge), and again after commit: a reader who cached the old counts in between loses
        # them.
        cache.delete_many(keys)
        transaction.on_commit(partial(cache.delete_many, keys))


@transaction.atomic
def notifications_read(
    *, recipient: User, tab: str | None = None, ids: list[int] | None = None
) -> int:
    """Mark `recipient`'s unread entries read: all of them, one tab's, or those `ids` (others'
    ids are ignored). A person who acts again afterwards opens a new entry. Returns how many
    were marked."""
    entries = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if tab is not None:
        entries = entries.filter(tab=tab)
    if ids is not None:
        entries = entries.filter(pk__in=ids)
    marked = entries.update(read_at=timezone.now())
    if marked:
        unread_counts_forget(recipient.pk)
    return marked
