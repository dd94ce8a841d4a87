"""Comments in the admin, read-only; moderators hide, unhide or delete them."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Comment
from .moderated import RegistryModeratedAdmin


@admin.register(Comment)
class CommentAdmin(RegistryModeratedAdmin):
    """Comments, read-only: moderators hide, unhide or delete them through the moderation
    registry (`notes.services.comments`), which keeps the counters and sends the events."""

    list_display = (
        "body_excerpt",
        "author",
        "note",
        "parent",
        "language",
        "like_count",
        "reply_count",
        "is_hidden",
        "created_at",
    )
    list_filter = ("is_hidden", "language", "created_at")
    search_fields = ("body", "author__handle")
    list_select_related = ("author", "note", "parent")
    list_per_page = 50
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    actions = ("hide_comments", "unhide_comments")
    fields = (
        "note",
        "author",
        "parent",
        "reply_to",
        "body",
        "language",
        "language_main",
        "like_count",
        "reply_count",
        "is_hidden",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"), ordering="body")
    def body_excerpt(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description=_("Hide selected comments"), permissions=["moderate"])
    def hide_comments(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=True)
        self.message_user(
            request,
            ngettext("%(n)d comment hidden.", "%(n)d comments hidden.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unhide selected comments"), permissions=["moderate"])
    def unhide_comments(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=False)
        self.message_user(
            request,
            ngettext("%(n)d comment unhidden.", "%(n)d comments unhidden.", done) % {"n": done},
            messages.SUCCESS,
        )
