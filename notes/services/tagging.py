"""Hashtags and mentions of a note, parsed from its title and text."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import User

from ..models import Hashtag, Note
from ..parsing import hashtags_parse, mentions_parse


def tags_and_mentions_set(note: Note) -> None:
    tags = hashtags_parse(note.title, note.body)
    existing = {t.name: t for t in Hashtag.objects.filter(name__in=list(tags))}
    for name, display in tags.items():
        if name not in existing:
            try:
                with transaction.atomic():
                    existing[name] = Hashtag.objects.create(name=name, display_name=display)
            except IntegrityError:  # created concurrently by another note
                existing[name] = Hashtag.objects.get(name=name)
    note.hashtags.set([existing[name] for name in tags])

    handles = mentions_parse(note.title, note.body)
    users = []
    if handles:
        any_handle = Q()
        for handle in handles:
            any_handle |= Q(handle__iexact=handle)
        by_handle = {u.handle.lower(): u for u in User.objects.active().filter(any_handle)}
        users = [by_handle[h.lower()] for h in handles if h.lower() in by_handle]
    note.mentions.set(users)
