"""What notes tell the moderation registry about notes and comments (see `notes.apps`): how a
person who reports one is checked to see it, whose it is, and how the moderation desk loads
and previews it. Moderation sits below notes and reaches these only through the registry."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse

from moderation.registry import ContentPreview, PreviewImage

from . import comments_selectors, selectors
from .models import Comment, ImageStatus, Note, NoteImage, RenditionKind, Visibility


def note_visible_get(*, viewer, target_id: int) -> Note:
    """The note if `viewer` may see it, else 404 (`selectors.note_row_get_visible`)."""
    return selectors.note_row_get_visible(viewer=viewer, note_id=target_id)


def comment_visible_get(*, viewer, target_id: int) -> Comment:
    """The comment if `viewer` may see it and its note, else 404."""
    return comments_selectors.comment_get_visible(viewer=viewer, comment_id=target_id)


def notes_rows_get(ids: Iterable[int]) -> dict[int, Note]:
    """Notes by id in any state (hidden, private, processing), with author and photos: two
    queries."""
    images = Prefetch("images", queryset=NoteImage.objects.order_by("position"))
    notes = Note.objects.filter(pk__in=list(ids)).select_related("author").prefetch_related(images)
    return {note.pk: note for note in notes}


def comments_rows_get(ids: Iterable[int]) -> dict[int, Comment]:
    """Comments by id in any state, with their author and note: one query."""
    comments = Comment.objects.filter(pk__in=list(ids)).select_related("author", "note")
    return {comment.pk: comment for comment in comments}


def _grid_images(note: Note) -> list[PreviewImage]:
    return [
        PreviewImage(
            url=reverse(
                "admin:notes_note_image",
                kwargs={"note_id": note.pk, "image_id": image.pk, "kind": RenditionKind.GRID},
            ),
            alt=image.alt_text,
            width=image.grid_width,
            height=image.grid_height,
        )
        for image in note.images.all()
        if image.status == ImageStatus.READY and image.grid
    ]


def note_preview(note: Note) -> ContentPreview:
    """The note as moderators judge it: title and text as written, its language, its photos'
    grid renditions (the admin's staff-only view), whether it is hidden or not public."""
    return ContentPreview(
        title=note.title,
        text=note.body,
        language=note.language_main or note.language,
        images=_grid_images(note),
        url=note.get_absolute_url(),
        owner_id=note.author_id,
        is_hidden=note.is_hidden,
        private=note.visibility != Visibility.PUBLIC,
        details={"visibility": note.visibility, "status": note.status},
    )


def comment_preview(comment: Comment) -> ContentPreview:
    """The comment as written, its language, the note it is under."""
    return ContentPreview(
        text=comment.body,
        language=comment.language_main or comment.language,
        url=comment.get_absolute_url(),
        owner_id=comment.author_id,
        is_hidden=comment.is_hidden,
        private=comment.note.visibility != Visibility.PUBLIC,
        details={"note_id": comment.note_id, "note": comment.note.headline},
        text_part="",  # a comment's translations are of its one text
    )
