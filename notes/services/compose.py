"""Flows of several steps in one request, each one service that the web view and the API share:
the plain composer (new photos and the note in one form) and making a board while collecting a
note into it. Each is all or nothing: a refusal leaves no row and no stored file behind."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..limits import photo_count_problem
from ..models import Board, Note, NoteImage, Visibility
from .boards import board_create, note_collect
from .notes import note_create, note_text_clean
from .tagging import alt_text_problems
from .uploads import (
    media_inspect,
    media_original_delete,
    media_original_store,
    media_pending_check,
)


def note_compose(
    *,
    author: User,
    files: Sequence[File] = (),
    file_alt_texts: Sequence[str] = (),
    media_ids: Sequence[int] = (),
    alt_texts: Mapping[int, str] | None = None,
    title: str = "",
    body: str = "",
    visibility: str = Visibility.PUBLIC,
    location: str = "",
    language: str = "",
) -> Note:
    """Post a note whose new photos come in the same request (the composer without
    JavaScript), after any the author uploaded before (`media_ids`, `alt_texts` by id).

    `file_alt_texts` go with `files` by position. Each file is inspected (decoded) once. Every
    problem is reported at once — a refused photo by its number and file name under "files" —
    and then nothing is stored. Otherwise the originals are stored and the note created in one
    transaction; if anything fails after that started, the stored originals are deleted again
    before the error goes on. Call it outside a transaction: a rollback of an outer one would
    leave stored originals without rows.
    """
    files = list(files)
    file_alts = [(text or "").strip() for text in file_alt_texts][: len(files)]
    file_alts += [""] * (len(files) - len(file_alts))
    errors: dict[str, list[str]] = {}
    try:
        note_text_clean(title=title, body=body, location=location, visibility=visibility)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    count_problem = photo_count_problem(len(media_ids) + len(files))
    if count_problem:
        errors["media_ids"] = [count_problem]
    alt_problems = [p for alt in file_alts for p in alt_text_problems(alt)]
    if alt_problems:
        errors["alt_texts"] = alt_problems[:1]
    infos = []
    for number, file in enumerate(files, start=1):
        try:
            infos.append(media_inspect(file))
        except ValidationError as exc:
            problem = " ".join(exc.messages)
            errors.setdefault("files", []).append(
                _("Photo %(n)s (%(name)s): %(problem)s")
                % {"n": number, "name": getattr(file, "name", ""), "problem": problem}
            )
    if not errors and files:
        media_pending_check(owner=author, adding=len(files))
    if errors:
        raise ValidationError(errors)

    stored: list[NoteImage] = []
    try:
        with transaction.atomic():
            for file, info, alt_text in zip(files, infos, file_alts, strict=True):
                stored.append(
                    media_original_store(owner=author, file=file, info=info, alt_text=alt_text)
                )
            return note_create(
                author=author,
                media_ids=[*media_ids, *(image.pk for image in stored)],
                title=title,
                body=body,
                visibility=visibility,
                location=location,
                language=language,
                alt_texts=dict(alt_texts or {}),
            )
    except BaseException:
        for image in stored:
            media_original_delete(image=image)
        raise


@transaction.atomic
def note_collect_into_new_board(
    *, user: User, note: Note, name: str, description: str = "", is_private: bool = False
) -> Board:
    """Make a board for `user` and collect `note` into it: both or neither.

    The caller has checked that `user` may see `note` (`selectors.note_get_visible`).
    """
    board = board_create(owner=user, name=name, description=description, is_private=is_private)
    note_collect(user=user, note=note, board=board)
    return board
