"""Likes of notes."""

from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import User
from rednote.events import send_on_commit

from .. import events
from ..models import Note, NoteLike


@transaction.atomic
def note_like(*, user: User, note: Note) -> bool:
    """Like a note; liking twice is one like. Returns whether a like was added."""
    if NoteLike.objects.filter(user=user, note=note).exists():
        return False
    try:
        with transaction.atomic():
            NoteLike.objects.create(user=user, note=note)
    except IntegrityError:
        # A concurrent like of the same person added it first and counted it (a concurrent
        # unlike may even have taken it back already): nothing more to do here.
        return False
    Note.objects.filter(pk=note.pk).update(like_count=F("like_count") + 1)
    send_on_commit(
        events.note_liked,
        sender=Note,
        note_id=note.pk,
        user_id=user.pk,
        author_id=note.author_id,
    )
    return True


@transaction.atomic
def note_unlike(*, user: User, note: Note) -> bool:
    """Take back a like; returns whether there was one."""
    deleted, _rows = NoteLike.objects.filter(user=user, note=note).delete()
    if deleted:
        Note.objects.filter(pk=note.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
        send_on_commit(
            events.note_unliked,
            sender=Note,
            note_id=note.pk,
            user_id=user.pk,
            author_id=note.author_id,
        )
    return bool(deleted)
