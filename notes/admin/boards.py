"""People's boards in the admin, read-only; deleting one runs the notes services."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Board


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """People's boards, read-only; deleting one runs `board_delete` (counts kept right)."""

    list_display = ("name", "owner", "is_private", "is_default", "note_total", "created_at")
    list_filter = ("is_private", "is_default")
    search_fields = ("name", "owner__handle")
    list_select_related = ("owner",)
    ordering = ("-created_at", "-id")
    fields = ("owner", "name", "description", "is_private", "is_default", "notes_list")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(note_total=Count("entries"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("notes"), ordering="note_total")
    def note_total(self, board: Board) -> int:
        return board.note_total

    @admin.display(description=_("notes"))
    def notes_list(self, board: Board) -> str:
        notes = board.notes.order_by("-board_entries__created_at")[:50]
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:notes_note_change", args=[n.pk]), n.headline) for n in notes),
            )
            or "—"
        )

    def delete_model(self, request, obj: Board) -> None:
        services.board_delete(board=obj)

    def delete_queryset(self, request, queryset) -> None:
        # "Saved" boards never get here: has_delete_permission refuses them first.
        for board in queryset:
            services.board_delete(board=board)
