"""Admin: the machine-translation cache (to inspect failures), community translations (hide,
show) and readers' translation feedback (the moderators' queue)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CommunityTranslation, MachineTranslation, TranslationFeedback
from .services import community_translations_hide


@admin.register(MachineTranslation)
class MachineTranslationAdmin(admin.ModelAdmin):
    list_display = (
        "text_hash_short",
        "source_language",
        "target_language",
        "provider",
        "status",
        "attempts",
        "updated_at",
    )
    list_filter = ("status", "provider", "target_language")
    search_fields = ("text_hash", "translation")
    readonly_fields = [f.name for f in MachineTranslation._meta.fields]
    ordering = ("-updated_at",)

    @admin.display(description=_("text hash"))
    def text_hash_short(self, obj: MachineTranslation) -> str:
        return obj.text_hash[:12]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CommunityTranslation)
class CommunityTranslationAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "language",
        "author",
        "upvote_count",
        "is_accepted",
        "is_hidden",
        "created_at",
    )
    list_filter = ("is_hidden", "is_accepted", "language", "content_type")
    search_fields = ("text", "author__handle")
    raw_id_fields = ("author",)
    readonly_fields = ("upvote_count", "source_hash", "created_at", "updated_at")
    actions = ("hide", "show")

    @admin.action(description=_("Hide the selected community translations"))
    def hide(self, request, queryset) -> None:
        community_translations_hide(ids=queryset.values_list("pk", flat=True), hidden=True)

    @admin.action(description=_("Show the selected community translations again"))
    def show(self, request, queryset) -> None:
        community_translations_hide(ids=queryset.values_list("pk", flat=True), hidden=False)


@admin.register(TranslationFeedback)
class TranslationFeedbackAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "language",
        "detected_language",
        "provider",
        "reporter",
        "is_resolved",
        "created_at",
    )
    list_filter = ("is_resolved", "kind", "language", "provider")
    search_fields = ("translation_text", "comment", "reporter__handle")
    raw_id_fields = ("reporter", "machine_translation", "community_translation")
    readonly_fields = (
        "content_type",
        "object_id",
        "kind",
        "language",
        "detected_language",
        "provider",
        "machine_translation",
        "community_translation",
        "translation_text",
        "comment",
        "reporter",
        "created_at",
    )
    actions = ("resolve",)
    ordering = ("is_resolved", "-created_at")

    @admin.action(description=_("Mark the selected feedback as resolved"))
    def resolve(self, request, queryset) -> None:
        queryset.update(is_resolved=True)

    def has_add_permission(self, request) -> bool:
        return False
