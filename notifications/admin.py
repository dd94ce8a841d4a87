"""Notifications in the admin: to look at, not to edit (they are built from events)."""

from django.contrib import admin

from .models import Notification, NotificationActor


class NotificationActorInline(admin.TabularInline):
    model = NotificationActor
    raw_id_fields = ("actor",)
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "acted_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "recipient",
        "kind",
        "actor",
        "actor_count",
        "note",
        "updated_at",
        "read_at",
    )
    list_filter = ("kind", "tab")
    list_select_related = ("recipient", "actor", "note")
    search_fields = ("recipient__handle",)
    raw_id_fields = ("recipient", "actor", "note")
    readonly_fields = [field.name for field in Notification._meta.fields]
    inlines = [NotificationActorInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
