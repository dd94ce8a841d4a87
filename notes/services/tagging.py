"""Hashtags and mentions of a note, parsed from its title and text."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User, blocked_either_way

from ..limits import ALT_TEXT_LENGTH, length_problems
from ..models import Hashtag, Note
from ..parsing import (
    MAX_HASHTAGS_PER_NOTE,
    MAX_MENTIONS_PER_NOTE,
    has_control_characters,
    hashtags_parse,
    mentions_parse,
)


def control_character_problems(value: str, *, line_breaks: bool = False) -> list[str]:
    """The message for a field holding a control character (`parsing.has_control_characters`:
    NUL, escape...), or nothing; such text never reaches the database."""
    if has_control_characters(value, line_breaks=line_breaks):
        return [_("Remove the control characters from this field.")]
    return []


def alt_text_problems(text: str) -> list[str]:
    """What is wrong with a photo's description (already stripped): too long, or holding a
    control character. The upload, the composer and a note's edit all ask this."""
    return length_problems(ALT_TEXT_LENGTH, text) or control_character_problems(text)


def note_text_problems(*, title: str, body: str, location: str) -> dict[str, list[str]]:
    """What parsing refuses in a note's text, by field: control characters (NUL, escape...;
    tab and line breaks are fine in the text), and more hashtags or mentions than a note may
    have — reported on "body", or on "title" when the text has none of them."""
    errors: dict[str, list[str]] = {}
    for name, value, line_breaks in (
        ("title", title, False),
        ("body", body, True),
        ("location", location, False),
    ):
        if problems := control_character_problems(value, line_breaks=line_breaks):
            errors[name] = problems
    if errors:
        return errors
    tags = len(hashtags_parse(title, body))
    if tags > MAX_HASHTAGS_PER_NOTE:
        field = "body" if hashtags_parse(body) else "title"
        errors[field] = [
            _("A note can have at most %(max)s hashtags; this one has %(n)s.")
            % {"max": MAX_HASHTAGS_PER_NOTE, "n": tags}
        ]
    mentions = len(mentions_parse(title, body))
    if mentions > MAX_MENTIONS_PER_NOTE:
        field = "body" if mentions_parse(body) else "title"
        errors.setdefault(field, []).append(
            _("A note can mention at most %(max)s people; this one mentions %(n)s.")
            % {"max": MAX_MENTIONS_PER_NOTE, "n": mentions}
        )
    return errors


def tags_and_mentions_set(note: Note, *, held: bool = False, announced: bool = True) -> list[int]:
    """Record the hashtags and mentions of the note's saved text (checked by
    `note_text_problems`). Returns the ids of the people it mentions now and did not before,
    the author aside, in order of appearance (`mentions_set`; none for a `held` write). Call
    inside atomic()."""
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
    return mentions_set(note, held=held, announced=announced)


def mentions_set(note: Note, *, held: bool = False, announced: bool = True) -> list[int]:
    """Record whom the note's saved text mentions; the ids of the people it mentions now and
    did not before, the author aside, in order of appearance — the people to announce.

    A `held` write (a keyword rule holds it, or the note is waiting for review) records no
    one new, only drops those its text no longer mentions: the newcomers are recorded, and so
    announced, when a moderator approves it (`screening.note_release` calls this again), never
    while it is held, and those mentioned before the edit are not announced twice. When the
    mentions recorded so far were never `announced` (the note was private), a held write
    keeps none of them, so that approval announces them all, as widening a private note does.
    Call inside atomic()."""
    users = _mentionable(note.author, mentions_parse(note.title, note.body))
    before = set(note.mentions.values_list("pk", flat=True))
    if held:
        note.mentions.set([u for u in users if u.pk in before] if announced else [])
        return []
    note.mentions.set(users)
    return [u.pk for u in users if u.pk not in before and u.pk != note.author_id]


def _mentionable(author: User, handles: list[str]) -> list[User]:
    """The active people behind `handles`, in order, leaving out anyone in a block with the
    author either way: a block stops mentions both ways."""
    if not handles:
        return []
    any_handle = Q()
    for handle in handles:
        any_handle |= Q(handle__iexact=handle)
    people = User.objects.active().filter(any_handle).exclude(blocked_either_way(author))
    by_handle = {u.handle.lower(): u for u in people}
    return [by_handle[h.lower()] for h in handles if h.lower() in by_handle]
