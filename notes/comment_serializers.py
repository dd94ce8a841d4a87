"""API shapes for comments: one output serializer per resource (a comment looks the same in a
thread, a replies page and an answer to a write), one input serializer for posting.

The querysets come from `notes.comments_selectors`, which load the author, the person answered
and the viewer's flags (`viewer_liked`, `collapsed`); `can_delete` needs the note's author id,
passed in the context as `note_author_id` (or read from `comment.note` when loaded).
"""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .models import COMMENT_MAX_LENGTH, Comment
from .serializers import NoteAuthorSerializer, NoteMentionSerializer

_MAX_ID = 2**63 - 1


class CommentSerializer(serializers.ModelSerializer):
    note_id = serializers.IntegerField(read_only=True)
    author = NoteAuthorSerializer(read_only=True)
    parent_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The top-level comment a reply is filed under; null for a top-level one."),
    )
    reply_to = NoteMentionSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The person a reply answers (“Reply @name”); null for a top-level comment."),
    )
    liked = serializers.SerializerMethodField(help_text=_("You liked this comment."))
    can_delete = serializers.SerializerMethodField(
        help_text=_("You may delete it: your comment, or a comment on your note.")
    )
    collapsed = serializers.SerializerMethodField(
        help_text=_("By someone you muted: show it folded.")
    )
    moderation = serializers.SerializerMethodField(
        help_text=_(
            'For your own comment only: `{"held": true}` when a keyword rule held it for '
            "review (only you see it until moderators approve it); for a hidden one, why it "
            "was hidden and its appeal. Null otherwise."
        )
    )

    class Meta:
        model = Comment
        fields = (
            "id",
            "note_id",
            "author",
            "body",
            "language",
            "parent_id",
            "reply_to",
            "created_at",
            "like_count",
            "reply_count",
            "liked",
            "can_delete",
            "collapsed",
            "moderation",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_moderation(self, comment: Comment) -> dict | None:
        return {"held": True} if comment.is_held else None

    def get_liked(self, comment: Comment) -> bool:
        return bool(getattr(comment, "viewer_liked", False))

    def get_collapsed(self, comment: Comment) -> bool:
        return bool(getattr(comment, "collapsed", False))

    def get_can_delete(self, comment: Comment) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        note_author_id = self.context.get("note_author_id")
        if note_author_id is None:
            note_author_id = comment.note.author_id
        return user.pk in (comment.author_id, note_author_id)


class ThreadCommentSerializer(CommentSerializer):
    """A top-level comment in a note's thread, with its first replies."""

    replies = serializers.SerializerMethodField(help_text=_("Its first replies, oldest first."))
    more_replies = serializers.SerializerMethodField(
        help_text=_("How many more replies you may expand (`replies_url`).")
    )
    replies_url = serializers.SerializerMethodField(
        help_text=_("The page of the replies after those shown; null when there are none.")
    )

    class Meta(CommentSerializer.Meta):
        fields = (*CommentSerializer.Meta.fields, "replies", "more_replies", "replies_url")
        read_only_fields = fields

    @extend_schema_field(CommentSerializer(many=True))
    def get_replies(self, comment: Comment) -> list:
        return CommentSerializer(comment.previews, many=True, context=self.context).data

    def get_more_replies(self, comment: Comment) -> int:
        return comment.more_replies

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_replies_url(self, comment: Comment) -> str | None:
        if not comment.more_replies:
            return None
        url = reverse("api:comment-replies", kwargs={"comment_id": comment.pk})
        if comment.replies_cursor:
            url = f"{url}?cursor={comment.replies_cursor}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_serializer(component_name="CommentCreate")
class CommentCreateInputSerializer(serializers.Serializer):
    # Stripped, measured and checked by the service (`comment_body_clean`), which names `body`.
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=format_lazy(
            _("The comment's text, with @mentions; at most {} characters."), COMMENT_MAX_LENGTH
        ),
    )
    parent_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=_MAX_ID,
        help_text=_(
            "Reply to this comment of the note (a reply to a reply is filed under its "
            "top-level comment and answers that reply's author)."
        ),
    )
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=16,
        help_text=_("The language you wrote in (BCP 47), if you want to say; else detected."),
    )
