"""Notes' part of a person's data (`accounts.personal_data`): what their export archive
holds of notes, comments, likes and boards, and how a closed account's content is erased.

Photos in the archive are the display renditions (re-encoded without metadata, as the site
serves them), not the stored originals, which may carry GPS data and are never handed out.
Erasing goes through the notes services one item at a time, so every counter, feed, search
document and notification is kept right by the same code as a person's own deletions.
"""

from django.db import transaction
from django.db.models import F

from accounts.models import User

from . import services
from .models import Board, BoardNote, Comment, CommentLike, Note, NoteImage, NoteLike
from .services.uploads import media_original_delete


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _photos(note: Note, archive) -> list[dict]:
    photos = []
    for image in note.images.all():
        name = image.display.name
        arcname = f"photos/{note.pk}/{image.position + 1}-{image.pk}.webp"
        included = bool(name) and archive.add_file(
            arcname, storage=image.display.storage, name=name
        )
        photos.append(
            {
                "file": arcname if included else None,
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
        )
    return photos


def notes_export(*, user: User, archive) -> dict:
    """The person's notes (with their photos), comments, likes and boards."""
    notes = (
        Note.objects.filter(author=user)
        .order_by("created_at", "pk")
        .prefetch_related("hashtags", "images")
    )
    comments = Comment.objects.filter(author=user).order_by("created_at", "pk")
    likes = NoteLike.objects.filter(user=user).order_by("created_at", "pk")
    comment_likes = CommentLike.objects.filter(user=user).order_by("created_at", "pk")
    boards = Board.objects.filter(owner=user).order_by("created_at", "pk")
    entries: dict[int, list[dict]] = {}
    for entry in BoardNote.objects.filter(board__owner=user).order_by("created_at", "pk"):
        entries.setdefault(entry.board_id, []).append(
            {"note_id": entry.note_id, "collected_at": _iso(entry.created_at)}
        )
    return {
        "notes": [
            {
                "id": note.pk,
                "title": note.title,
                "body": note.body,
                "hashtags": sorted(tag.name for tag in note.hashtags.all()),
                "visibility": note.visibility,
                "language": note.language,
                "location": note.location,
                "status": note.status,
                "hidden_by_moderators": note.is_hidden,
                "created_at": _iso(note.created_at),
                "published_at": _iso(note.published_at),
                "like_count": note.like_count,
                "collect_count": note.collect_count,
                "comment_count": note.comment_count,
                "photos": _photos(note, archive),
            }
            for note in notes
        ],
        "comments": [
            {
                "id": comment.pk,
                "note_id": comment.note_id,
                "parent_id": comment.parent_id,
                "body": comment.body,
                "language": comment.language,
                "created_at": _iso(comment.created_at),
            }
            for comment in comments
        ],
        "likes": [{"note_id": like.note_id, "liked_at": _iso(like.created_at)} for like in likes],
        "comment_likes": [
            {"comment_id": like.comment_id, "liked_at": _iso(like.created_at)}
            for like in comment_likes
        ],
        "boards": [
            {
                "id": board.pk,
                "name": board.label,
                "description": board.description,
                "private": board.is_private,
                "created_at": _iso(board.created_at),
                "notes": entries.get(board.pk, []),
            }
            for board in boards
        ],
    }


def notes_erase(*, user: User) -> None:
    """Remove a closed account's likes, collections, boards, comments, notes and photos."""
    for like in NoteLike.objects.filter(user=user).select_related("note"):
        services.note_unlike(user=user, note=like.note)
    for comment_like in CommentLike.objects.filter(user=user).select_related("comment"):
        services.comment_unlike(user=user, comment=comment_like.comment)
    collected = Note.objects.filter(board_entries__board__owner=user).distinct()
    for note in collected:
        services.note_uncollect(user=user, note=note)
    Board.objects.filter(owner=user).delete()
    # Top-level comments first: their replies go with them (a reply already gone is skipped).
    top_level_first = F("parent_id").asc(nulls_first=True)
    for comment in Comment.objects.filter(author=user).order_by(top_level_first, "pk"):
        services.comment_moderation_delete(target=comment)
    for note in Note.objects.filter(author=user).prefetch_related("images"):
        services.note_delete(note=note)
    # Uploads never attached to a note.
    for image in NoteImage.objects.filter(owner=user, note__isnull=True):
        with transaction.atomic():
            image.delete()
            media_original_delete(image=image)
