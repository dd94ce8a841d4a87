"""Admin: the audit log, read-only (see __init__): who did what to which target, why and when,
for single and bulk actions alike (a bulk action's entries share `details.batch`). Filtered by
action, moderator and date, searched by target, reason and handles. Entries are written only by
the moderation services (`moderation.services.audit.audit_record`)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "moderator_handle",
        "action",
        "target_type",
        "target_repr",
        "target_owner",
        "reason_excerpt",
    )
    list_filter = ("action", ("moderator", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("target_repr", "reason", "moderator_handle", "target_owner__handle")
    date_hierarchy = "created_at"
    list_select_related = ("target_type", "target_owner")
    list_per_page = 100
    show_full_result_count = False
    fields = (
        "created_at",
        "moderator",
        "moderator_handle",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "target_owner",
        "reason",
        "details",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("reason"), ordering="reason")
    def reason_excerpt(self, entry: AuditLogEntry) -> str:
        return entry.reason[:80]
