"""Who may read a note, and the events that tell higher apps when that changes.

A note is in circulation when someone other than its author may see it: published, not hidden,
and public or followers-only. These helpers decide which of `notes.events` a change sends; they
only queue events (after commit) and must be called inside the write's transaction.
"""

from rednote.events import send_on_commit

from .. import events
from ..models import Note, NoteHashtag, NoteStatus, Visibility

# How far each visibility reaches: widening goes up this order, narrowing down.
_REACH = {Visibility.PRIVATE.value: 0, Visibility.FOLLOWERS.value: 1, Visibility.PUBLIC.value: 2}


def note_in_circulation(*, status: str, is_hidden: bool, visibility: str) -> bool:
    return status == NoteStatus.PUBLISHED and not is_hidden and visibility != Visibility.PRIVATE


def note_tag_links_follow(*, note_id: int) -> None:
    """Copy the note's status, visibility, hidden flag and publication time onto its hashtag
    links (`NoteHashtag`), which tag pages filter and sort by. Every service that writes one
    of those columns calls this after the write, in its transaction."""
    NoteHashtag.objects.follow_notes([note_id])


def published_send(*, note: Note, mentions: bool) -> None:
    """The note entered circulation (`note` as saved): `note_published`, and `note_mentioned`
    for everyone it mentions when `mentions` (they were never told)."""
    send_on_commit(
        events.note_published,
        sender=Note,
        note_id=note.pk,
        author_id=note.author_id,
        visibility=note.visibility,
    )
    if mentions:
        user_ids = list(
            note.mentions.exclude(pk=note.author_id).order_by("pk").values_list("pk", flat=True)
        )
        mentioned_send(note=note, user_ids=user_ids)


def withdrawn_send(
    *, note_id: int, author_id: int, visibility: str | None, hashtag_ids: list[int] | None = None
) -> None:
    """The note left some readers; `visibility` is who may still read it (None: no one).
    `hashtag_ids`, for a deleted note only: the tags it carried (its row is gone)."""
    extra = {} if hashtag_ids is None else {"hashtag_ids": list(hashtag_ids)}
    send_on_commit(
        events.note_withdrawn,
        sender=Note,
        note_id=note_id,
        author_id=author_id,
        visibility=visibility,
        **extra,
    )


def mentioned_send(*, note: Note, user_ids: list[int]) -> None:
    if user_ids:
        send_on_commit(
            events.note_mentioned,
            sender=Note,
            note_id=note.pk,
            author_id=note.author_id,
            user_ids=list(user_ids),
        )


def edit_send(
    *, note: Note, old_visibility: str, new_mention_ids: list[int], tags_added: bool = False
) -> None:
    """Events of an edit of a published note (`note` as saved, `old_visibility` before).

    Widening publishes to the newly allowed readers, narrowing withdraws from those who lost
    access; a public note that stays public and gained a hashtag (`tags_added`) is published
    again, since that tag's followers are newly reached (receivers are idempotent); people
    newly mentioned are announced while the note circulates (all its mentions when it leaves
    "private", since those were never announced).
    """
    if note.status != NoteStatus.PUBLISHED or note.is_hidden:
        return
    new_visibility = note.visibility
    if _REACH[new_visibility] > _REACH[old_visibility]:
        published_send(note=note, mentions=old_visibility == Visibility.PRIVATE)
        if old_visibility == Visibility.PRIVATE:
            return
    elif _REACH[new_visibility] < _REACH[old_visibility]:
        withdrawn_send(note_id=note.pk, author_id=note.author_id, visibility=new_visibility)
    elif tags_added and new_visibility == Visibility.PUBLIC:
        published_send(note=note, mentions=False)
    if new_visibility != Visibility.PRIVATE:
        mentioned_send(note=note, user_ids=new_mention_ids)
