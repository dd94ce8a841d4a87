"""Reads for comments: a note's thread for a viewer, a comment's replies, one comment.

One rule decides what a viewer sees (`Comment.objects.shown_to`: not hidden, by an active
author, nobody in a block with the viewer either way — a reply only while its top-level comment
is shown), checked after the note's own (`note_visible_q`); the viewer's flags come in the same
query (`annotate_viewer`: `viewer_liked`, and `collapsed` for a muted author's comments, which
are shown folded rather than left out, as RedNote does). Pages, the API and the selectors the
translations will batch over all read through here.

Order. Top-level comments come newest first (`created_at`, then id): a conversation under a
note moves, and a newcomer's comment should be seen by the next reader — RedNote's "hot" order
would bury it under the first hour's comments. Replies come in the order they were written
(oldest first, by id), as a conversation is read. Each top-level comment brings its first
REPLY_PREVIEW replies and the number of the others it has for this viewer ("expand N
replies"), which page in REPLIES_PAGE_SIZE.

Every page costs a constant number of queries, whatever its size: the page of top-level comments
with their counts and flags (one), their previews (one, a window over the replies of the page).
"""

from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404

from rednote.cursors import cursor_encode
from rednote.pagination import cursor_page

from .models import Comment, Note

THREAD_PAGE_SIZE = 20
REPLIES_PAGE_SIZE = 10
REPLY_PREVIEW = 2
# Replies are paged oldest first through the descending keyset of `rednote.pagination`, on
# this number minus the id (above any id a comment will have).
_SEQUENCE_TOP = 2**62


def comments_shown(*, viewer, under_shown: bool = False) -> QuerySet:
    """Comments `viewer` may see under a note they may see, with what a comment shows (its
    author, the person it answers) and the viewer's flags (`viewer_liked`, `collapsed`).
    `under_shown`: only top-level comments, or replies under a top-level comment already
    checked, will be asked for (`CommentQuerySet.shown_under`)."""
    comments = Comment.objects.all()
    shown = comments.shown_under(viewer) if under_shown else comments.shown_to(viewer)
    return shown.annotate_viewer(viewer).select_related("author", "reply_to")


def comment_get_visible(*, viewer, comment_id: int) -> Comment:
    """The comment if `viewer` may see it and its note, else 404 (missing, hidden, blocked
    and forbidden alike); with its note (`comment.note`) and the viewer's flags."""
    comment = (
        comments_shown(viewer=viewer)
        .filter(pk=comment_id, note__in=Note.objects.visible_to(viewer).values("pk"))
        .select_related("note")
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    return comment


def _hidden_own(viewer) -> QuerySet:
    return (
        Comment.objects.filter(author=viewer, is_hidden=True)
        .filter(note__in=Note.objects.visible_to(viewer).values("pk"))
        .annotate_viewer(viewer)
        .select_related("author", "reply_to", "note")
    )


def comment_get_hidden_own(*, viewer, comment_id: int) -> Comment | None:
    """`viewer`'s own comment if moderators hid it, under a note they may see, else None: its
    author still sees it, marked hidden, and may appeal; for anyone else it is a 404."""
    if viewer is None or not viewer.is_authenticated:
        return None
    return _hidden_own(viewer).filter(pk=comment_id).first()


def comments_hidden_own(*, viewer, note: Note) -> list[Comment]:
    """`viewer`'s comments on `note` that moderators hid, oldest first (shown to them alone,
    above the thread, each with the reason and its appeal): one query, none for a visitor."""
    if viewer is None or not viewer.is_authenticated:
        return []
    return list(_hidden_own(viewer).filter(note=note).order_by("created_at", "pk"))


def _replies_shown_count(viewer) -> Coalesce:
    shown = (
        Comment.objects.shown_under(viewer)
        .filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(shown), Value(0))


@dataclass(frozen=True)
class ThreadPage:
    """A page of a note's top-level comments, each with `previews` (its first replies) and
    `more_replies` (how many others this viewer may expand) and `replies_cursor` (where the
    expansion starts); `next_cursor` the next page's."""

    comments: list[Comment]
    next_cursor: str | None


def note_thread(
    *, viewer, note: Note, cursor: str | None = None, size: int = THREAD_PAGE_SIZE
) -> ThreadPage:
    """A page of `note`'s thread as `viewer` sees it (the caller got `note` through
    `note_get_visible`). Two queries. Raises InvalidCursor for a bad cursor."""
    top = (
        comments_shown(viewer=viewer, under_shown=True)
        .filter(note_id=note.pk, parent__isnull=True)
        .annotate(shown_replies=_replies_shown_count(viewer))
    )
    page = cursor_page(top, cursor=cursor, key="created_at", size=size)
    comments = page.items
    by_id = {c.pk: c for c in comments}
    for comment in comments:
        comment.previews = []
    if comments:
        previews = (
            comments_shown(viewer=viewer, under_shown=True)
            .filter(parent_id__in=list(by_id))
            .annotate(
                position=Window(RowNumber(), partition_by=[F("parent_id")], order_by=F("id").asc())
            )
            .filter(position__lte=REPLY_PREVIEW)
            .order_by("parent_id", "id")
        )
        for reply in previews:
            by_id[reply.parent_id].previews.append(reply)
    for comment in comments:
        comment.more_replies = max(comment.shown_replies - len(comment.previews), 0)
        last = comment.previews[-1].pk if comment.previews else None
        comment.replies_cursor = _reply_cursor(last) if last is not None else None
    return ThreadPage(comments=comments, next_cursor=page.next_cursor)


def _reply_cursor(reply_id: int) -> str:
    """The position after reply `reply_id` in a replies page (ascending id, read as a
    descending keyset on `sequence` = _SEQUENCE_TOP − id: cursor scores are not negative)."""
    return cursor_encode(_SEQUENCE_TOP - reply_id, reply_id)


@dataclass(frozen=True)
class RepliesPage:
    replies: list[Comment]
    next_cursor: str | None


def comment_replies(
    *, viewer, comment: Comment, cursor: str | None = None, size: int = REPLIES_PAGE_SIZE
) -> RepliesPage:
    """A page of the replies under top-level `comment` that `viewer` may see, oldest first
    (the caller got `comment` through `comment_get_visible`). One query. Raises InvalidCursor
    for a bad cursor."""
    replies = (
        comments_shown(viewer=viewer, under_shown=True)
        .filter(parent_id=comment.pk)
        .annotate(
            sequence=ExpressionWrapper(
                Value(_SEQUENCE_TOP) - F("id"), output_field=BigIntegerField()
            )
        )
    )
    page = cursor_page(replies, cursor=cursor, key="sequence", tiebreak="id", size=size)
    return RepliesPage(replies=page.items, next_cursor=page.next_cursor)
