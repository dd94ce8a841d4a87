"""When what was told goes away or leaves a reader: blocks and mutes take a person out of an
inbox, deleted notes and comments take their entries along, hidden or narrowed notes and
suspended people keep theirs (filtered on read) but have their recipients' counts redone."""

from django.db import transaction

from notes.models import Comment, Note

from ..models import Notification, NotificationActor
from .grouping import entry_refresh
from .reading import unread_counts_forget


@transaction.atomic
def notifications_forget_person(*, recipient_id: int, person_id: int) -> int:
    """`person_id` is blocked by or blocking `recipient_id`, or muted by them: take them out
    of every entry of `recipient_id`'s inbox, read or not (entries left with nobody go).
    Unblocking or unmuting brings nothing back. Returns how many entries were touched."""
    touched = NotificationActor.objects.filter(
        notification__recipient_id=recipient_id, actor_id=person_id
    ).values("notification_id")
    entries = list(Notification.objects.select_for_update().filter(pk__in=touched).order_by("pk"))
    if not entries:
        return 0
    NotificationActor.objects.filter(notification__in=entries, actor_id=person_id).delete()
    for entry in entries:
        entry_refresh(entry)
    unread_counts_forget(recipient_id)
    return len(entries)


def notifications_of_note_forget(*, note_id: int, author_id: int | None = None) -> int:
    """A note was deleted: its entries go (the rows keep its id, see `notifications.models`).
    Returns how many entries were deleted."""
    entries = Notification.objects.filter(note_id=note_id)
    recipients = set(entries.values_list("recipient_id", flat=True))
    _total, deleted = entries.delete()
    unread_counts_forget(*recipients, *([author_id] if author_id else []))
    return deleted.get(Notification._meta.label, 0)


def notifications_of_note_recount(*, note_id: int) -> None:
    """A note was hidden or narrowed: its entries stay (they show again if it comes back) but
    their recipients' unread counts are read afresh."""
    unread_counts_forget(
        *Notification.objects.filter(note_id=note_id).values_list("recipient_id", flat=True)
    )


def person_acts_recount(*, user_id: int) -> None:
    """A person was suspended or restored: the entries they are in show or hide with them, so
    the counts of everyone they reached are redone."""
    unread_counts_forget(
        *NotificationActor.objects.filter(actor_id=user_id)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )


def note_withdrawn_notify(*, note_id: int, author_id: int) -> None:
    """A note left some readers: a deleted one's entries go; a hidden or narrowed one's stay
    (filtered on read, shown again if it comes back) and their recipients' counts are redone."""
    if Note.objects.filter(pk=note_id).exists():
        notifications_of_note_recount(note_id=note_id)
    else:
        notifications_of_note_forget(note_id=note_id, author_id=author_id)


def notifications_of_comments_forget(*, note_id: int) -> int:
    """Comments under a note were deleted or hidden (a top-level one takes its replies along,
    whose ids the event does not carry): the entries about comments of that note that are gone
    go too. Returns how many entries were deleted."""
    about_comments = Notification.objects.filter(note_id=note_id, comment_id__isnull=False)
    # Hiding a comment is told with the same event: its entries stay (filtered on read, shown
    # again if unhidden), and every recipient's counts are redone.
    recipients = set(about_comments.values_list("recipient_id", flat=True))
    gone = about_comments.exclude(
        comment_id__in=Comment.objects.filter(note_id=note_id).values("pk")
    )
    _total, deleted = gone.delete()
    unread_counts_forget(*recipients)
    return deleted.get(Notification._meta.label, 0)
