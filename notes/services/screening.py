"""Keyword rules on notes and comments (`moderation.keywords`, `moderation.services.holds`).

New text is screened inside the write, on its original and on the translations already cached:
a refusing rule raises the field's `ValidationError` (nothing stored), a holding rule stores it
held — a note `held` (published only once approved; a note still processing becomes `held`
instead of `published` when its photos are ready), a comment `is_held` (in the thread for its
author only, uncounted, unannounced). Both rules come from the one visibility rule of each
(`note_visible_q`: others see published notes only; `comment_shown_q`: held comments only by
their author), so feeds, tag pages, search, threads, notifications and the API follow.

Translations not cached yet are screened after commit by `notes.keyword_screen`
(`translation_screen_enqueue`), which holds what a rule matches there. Posting never waits for
the provider: a provider that is slow, down or not set up only means that part of the screening
happens later, or not at all.

Approval (`note_release`, `comment_release`, registered in `moderation.registry.held_registry`)
lets the content out as if it had never been held: a note is published and fanned out (with its
mentions announced when it was never published before, else those its held edits added: a held
write records no one newly mentioned until approval, `tagging.mentions_set`), a comment counted
and announced with the people it mentions (`comment_created_send`, as on posting).
"""

from django.db import transaction
from django.utils import timezone

from moderation.keywords import KeywordMatch, translation_matches, translation_targets
from moderation.services.holds import (
    ScreenOutcome,
    content_screen,
    hold_create,
    hold_pending,
    screen_refusal,
)
from rednote.tasks import enqueue_on_commit
from translations.bilingual import machine_translation_configured

from ..models import Note, NoteStatus, Visibility
from .circulation import (
    mentioned_send,
    note_in_circulation,
    note_tag_links_follow,
    published_send,
    withdrawn_send,
)
from .tagging import mentions_set

# Enqueued by name: the task module imports services, never the other way round.
KEYWORD_SCREEN_TASK = "notes.keyword_screen"


def text_screen(*, texts: dict[str, str], language: str) -> ScreenOutcome:
    """Screen new text inside the write: raises the refusing rule's `ValidationError` (on
    the field it matched), else says whether to hold it."""
    outcome = content_screen(texts=texts, language=language)
    if outcome.refuses and outcome.match is not None:
        raise screen_refusal(outcome.match)
    return outcome


def translation_screen_enqueue(*, kind: str, target_id: int, language: str) -> None:
    """After commit, screen the translations of new text (`kind` "note" or "comment") when a
    rule needs one and a provider is set up."""
    if machine_translation_configured() and translation_targets(language=language):
        enqueue_on_commit(KEYWORD_SCREEN_TASK, kind=kind, target_id=target_id)


def _note_locked(note: Note) -> Note | None:
    return Note.objects.select_for_update().filter(pk=note.pk).first()


@transaction.atomic
def note_hold(*, note: Note, match: KeywordMatch) -> Note:
    """Hold `note` for review: a published note leaves every reader (`held`), a processing
    one becomes `held` when its photos are ready. Locks the note."""
    current = _note_locked(note)
    if current is None:
        return note
    hold_create(target=current, author=current.author, match=match)
    if current.status == NoteStatus.PUBLISHED:
        was_circulating = note_in_circulation(
            status=current.status, is_hidden=current.is_hidden, visibility=current.visibility
        )
        current.status = NoteStatus.HELD
        current.save(update_fields=["status", "updated_at"])
        note_tag_links_follow(note_id=current.pk)
        if was_circulating:
            withdrawn_send(note_id=current.pk, author_id=current.author_id, visibility=None)
    note.status = current.status
    return note


@transaction.atomic
def note_release(*, target: Note) -> Note:
    """The hold decided (approved, or rejected and so hidden): a `held` note is published,
    reaching readers as a publication does (fan-out; all its mentions announced when it was
    never published before, else the people its held edits newly mention — `mentions_set`
    records them only now). A note still processing is published by its photos as usual (all
    its mentions announced then). Nothing is announced for a note out of circulation (hidden
    by a rejection, private). Locks the note."""
    current = _note_locked(target)
    if current is None:
        return target
    new_mention_ids = mentions_set(current)
    if current.status != NoteStatus.HELD:
        return target
    first_publication = current.published_at is None
    current.status = NoteStatus.PUBLISHED
    current.published_at = current.published_at or timezone.now()
    current.save(update_fields=["status", "published_at", "updated_at"])
    note_tag_links_follow(note_id=current.pk)
    if note_in_circulation(
        status=current.status, is_hidden=current.is_hidden, visibility=current.visibility
    ):
        published_send(note=current, mentions=first_publication)
        if not first_publication:
            mentioned_send(note=current, user_ids=new_mention_ids)
    target.status, target.published_at = current.status, current.published_at
    return target


def note_awaiting_review(note: Note) -> bool:
    """Whether a keyword rule's hold of `note` waits for a moderator."""
    return hold_pending(note) is not None


def note_held_on_ready(note: Note) -> bool:
    """For the photos' last step: whether a processing note is held (then it becomes `held`,
    not `published`)."""
    return note_awaiting_review(note)


def note_translation_screen(*, note: Note) -> bool:
    """The after-commit screening of a note's translations (`notes.keyword_screen`): holds
    the note when a rule matches. Returns whether some translation is still being made."""
    if note.is_hidden or note.status in (NoteStatus.HELD, NoteStatus.FAILED):
        return False
    screen = translation_matches(
        {"title": note.title, "body": note.body},
        language=note.language,
        private=note.visibility != Visibility.PUBLIC,
    )
    if screen.match is not None:
        note_hold(note=note, match=screen.match)
    return screen.pending
