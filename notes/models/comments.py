"""Comments on notes (two levels, as on RedNote), the rule for showing one, and their likes."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import blocked_either_way, muted_by

from .notes import Note

COMMENT_MAX_LENGTH = 500


def comment_shown_q(viewer, *, prefix: str = "") -> Q:
    """The one rule for "this comment may be shown to `viewer`", as a condition on comments
    (`prefix` the path to a comment, e.g. "parent__"): not hidden by moderators, not held for
    review (unless the viewer wrote it), by an active author, and the author not in a block
    with the viewer either way. The note's own visibility is checked before
    (`note_get_visible`): a thread is read only for a note the viewer may see."""
    author = f"{prefix}author_id"
    # Held by a keyword rule: shown to its author only, until a moderator approves it.
    released = Q(**{f"{prefix}is_held": False})
    if viewer is not None and viewer.is_authenticated:
        released |= Q(**{author: viewer.pk})
    return (
        Q(**{f"{prefix}is_hidden": False, f"{prefix}author__is_active": True})
        & released
        & ~Q(blocked_either_way(viewer, user=author))
    )


class CommentQuerySet(models.QuerySet):
    def shown_to(self, viewer):
        """Comments `viewer` may see under a note they may see (`comment_shown_q`). A reply
        is shown only while its top-level comment is: a block with the person who opened the
        thread hides the whole thread."""
        return self.shown_under(viewer).exclude(
            Q(parent__isnull=False) & ~Q(comment_shown_q(viewer, prefix="parent__"))
        )

    def shown_under(self, viewer):
        """`shown_to` for comments whose top-level comment is known to be shown (or that are
        top-level themselves): the comment's own conditions only, so a thread page walks its
        index without joining each row's parent."""
        return self.filter(comment_shown_q(viewer))

    def annotate_viewer(self, viewer):
        """Add `viewer_liked` (the viewer liked it) and `collapsed` (its author is muted by
        the viewer: shown folded, as RedNote does) — in the same query as the comments."""
        false = models.Value(False, output_field=models.BooleanField())
        if viewer is None or not viewer.is_authenticated:
            return self.annotate(viewer_liked=false, collapsed=false)
        return self.annotate(
            viewer_liked=models.Exists(
                CommentLike.objects.filter(user=viewer, comment=models.OuterRef("pk"))
            ),
            collapsed=muted_by(viewer, user="author_id"),
        )


class Comment(models.Model):
    """A comment on a note, in two levels as on RedNote: a top-level comment (`parent` null)
    and its replies (`parent` the top-level comment). A reply to a reply is filed under the
    same top-level comment and records the person answered in `reply_to` ("Reply @name").

    Counters are kept by `notes.services.comments` with F() updates in the writing transaction:
    `like_count` (CommentLike rows), `reply_count` (replies of a top-level comment, hidden ones
    included), and the note's `comment_count` (every comment, replies included)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person a reply answers (shown as “Reply @name”)."),
    )
    body = models.TextField(
        _("comment"),
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("BCP 47 code of the language the comment is written in; 'mixed' for several."),
    )
    language_main = models.CharField(
        _("main language"),
        max_length=16,
        blank=True,
        help_text=_(
            "BCP 47 code of the comment's main language: the language itself, or for mixed text "
            "the one most of it is written in; empty when unknown."
        ),
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in_comments", blank=True
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    # Held by a keyword rule (`moderation.services.holds`): in the thread for its author only,
    # uncounted and unannounced until a moderator approves it.
    is_held = models.BooleanField(_("waiting for review"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A thread's top-level comments, newest first. Partial: PostgreSQL does not take
            # `parent IS NULL` as fixing a column of a (note, parent, ...) index for the order.
            models.Index(
                fields=["note", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="comment_top_level",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="comment_like_count_gte_0"),
            models.CheckConstraint(
                condition=Q(reply_count__gte=0), name="comment_reply_count_gte_0"
            ),
            # Only a reply answers someone.
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(reply_to__isnull=True),
                name="comment_reply_to_only_on_replies",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40] or f"Comment {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.note.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ comment {self.comment_id}"
