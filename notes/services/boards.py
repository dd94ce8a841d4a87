"""Boards, and collecting notes into them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.events import send_on_commit

from .. import events
from ..limits import (
    BOARD_DESCRIPTION_LENGTH,
    BOARD_NAME_LENGTH,
    BOARD_NAME_MISSING,
    length_problems,
)
from ..models import Board, BoardNote, Note
from .tagging import control_character_problems

MAX_BOARDS = 200


def board_get_or_create_saved(*, owner: User) -> Board:
    """The owner's default board, "Saved", created on first use."""
    board = Board.objects.filter(owner=owner, is_default=True).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            return Board.objects.create(
                owner=owner, name=_("Saved"), is_default=True, is_private=True
            )
    except IntegrityError:  # created concurrently, or a board is already called "Saved"
        board = Board.objects.filter(owner=owner, is_default=True).first()
        if board is not None:
            return board
        return Board.objects.create(
            owner=owner, name=f"{_('Saved')} ★", is_default=True, is_private=True
        )


def _board_clean(*, owner: User, name: str, description: str, exclude_id: int | None = None):
    name = (name or "").strip()
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(BOARD_NAME_MISSING)]
    elif problems := length_problems(BOARD_NAME_LENGTH, name) or control_character_problems(name):
        errors["name"] = problems
    else:
        taken = Board.objects.filter(owner=owner, name__iexact=name)
        if exclude_id:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors["name"] = [_("You already have a board with this name.")]
    if problems := length_problems(
        BOARD_DESCRIPTION_LENGTH, description
    ) or control_character_problems(description, line_breaks=True):
        errors["description"] = problems
    if errors:
        raise ValidationError(errors)
    return name, description


@transaction.atomic
def board_create(
    *, owner: User, name: str, description: str = "", is_private: bool = False
) -> Board:
    name, description = _board_clean(owner=owner, name=name, description=description)
    if Board.objects.filter(owner=owner).count() >= MAX_BOARDS:
        raise ValidationError({"name": [_("You have reached the number of boards allowed.")]})
    board_get_or_create_saved(owner=owner)
    return Board.objects.create(
        owner=owner, name=name, description=description, is_private=bool(is_private)
    )


@transaction.atomic
def board_update(
    *,
    board: Board,
    name: str | None = None,
    description: str | None = None,
    is_private: bool | None = None,
) -> Board:
    name, description = _board_clean(
        owner=board.owner,
        name=board.name if name is None else name,
        description=board.description if description is None else description,
        exclude_id=board.pk,
    )
    if board.is_default and name != board.name:
        raise ValidationError({"name": [_("The Saved board cannot be renamed.")]})
    board.name, board.description = name, description
    if is_private is not None:
        board.is_private = bool(is_private)
    board.save()
    return board


@transaction.atomic
def board_delete(*, board: Board) -> None:
    """Delete a board; notes collected only there are no longer collected."""
    if board.is_default:
        raise ValidationError({"board": [_("The Saved board cannot be deleted.")]})
    note_ids = list(board.entries.values_list("note_id", flat=True))
    owner = board.owner
    board.delete()
    still = set(
        BoardNote.objects.filter(board__owner=owner, note_id__in=note_ids).values_list(
            "note_id", flat=True
        )
    )
    gone = [n for n in note_ids if n not in still]
    if gone:
        Note.objects.filter(pk__in=gone, collect_count__gt=0).update(
            collect_count=F("collect_count") - 1
        )


def _lock_note(note: Note) -> None:
    # Serialises collects of one note so "first board of this user" is decided once.
    Note.objects.select_for_update().filter(pk=note.pk).values_list("pk", flat=True).first()


@transaction.atomic
def note_collect(*, user: User, note: Note, board: Board | None = None) -> BoardNote:
    """Collect a note into one of the user's boards ("Saved" by default). Idempotent.

    `collect_count` counts people: it rises on a person's first board holding the note.
    """
    if board is None:
        board = board_get_or_create_saved(owner=user)
    elif board.owner_id != user.pk:
        raise ValidationError({"board": [_("Unknown board.")]})
    _lock_note(note)
    already = BoardNote.objects.filter(board__owner=user, note=note).exists()
    entry, created = BoardNote.objects.get_or_create(board=board, note=note)
    if created and not already:
        Note.objects.filter(pk=note.pk).update(collect_count=F("collect_count") + 1)
    if created:
        _collect_event_send(events.note_collected, user=user, note=note, board_id=board.pk)
    return entry


@transaction.atomic
def note_uncollect(*, user: User, note: Note, board: Board | None = None) -> bool:
    """Remove a note from one board, or from all the user's boards when `board` is None."""
    if board is not None and board.owner_id != user.pk:
        raise ValidationError({"board": [_("Unknown board.")]})
    _lock_note(note)
    entries = BoardNote.objects.filter(board__owner=user, note=note)
    if board is not None:
        entries = entries.filter(board=board)
    board_ids = list(entries.values_list("board_id", flat=True))
    deleted, _rows = entries.delete()
    if deleted and not BoardNote.objects.filter(board__owner=user, note=note).exists():
        Note.objects.filter(pk=note.pk, collect_count__gt=0).update(
            collect_count=F("collect_count") - 1
        )
    for board_id in board_ids:
        _collect_event_send(events.note_uncollected, user=user, note=note, board_id=board_id)
    return bool(deleted)


def _collect_event_send(signal, *, user: User, note: Note, board_id: int) -> None:
    send_on_commit(
        signal,
        sender=Note,
        note_id=note.pk,
        user_id=user.pk,
        author_id=note.author_id,
        board_id=board_id,
    )
