"""Likes of notes."""

from django.db import transaction
from django.db.models import F

from accounts.models import User

from ..models import Note, NoteLike


@transaction.atomic
def note_like(*, user: User, note: Note) -> bool:
    """Like a note; liking twice is one like. Returns whether a like was added."""
    _, created = NoteLike.objects.get_or_create(user=user, note=note)
    if created:
        Note.objects.filter(pk=note.pk).update(like_count=F("like_count") + 1)
    return created


@transaction.atomic
def note_unlike(*, user: User, note: Note) -> bool:
    deleted, _rows = NoteLike.objects.filter(user=user, note=note).delete()
    if deleted:
        Note.objects.filter(pk=note.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return bool(deleted)
