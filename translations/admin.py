"""Admin: the machine-translation cache (to inspect failures), community translations (hide,
show) and readers' translation feedback (the moderators' queue)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CommunityTranslation, MachineTranslation, TranslationFeedback
from .services import community_translation_changed_send, community_translations_hide


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

    # The change form and deletion write the rows directly: announce them as the services do,
    # so that pages showing the translation are refreshed.
    def save_model(self, request, obj: CommunityTranslation, form, change) -> None:
        if change:
            before = (
                CommunityTranslation.objects.filter(pk=obj.pk)
                .values_list("content_type_id", "object_id")
                .first()
            )
            if before is not None and before != (obj.content_type_id, obj.object_id):
                community_translation_changed_send(content_type_id=before[0], object_id=before[1])
        super().save_model(request, obj, form, change)
        community_translation_changed_send(
            content_type_id=obj.content_type_id, object_id=obj.object_id
        )

    def delete_model(self, request, obj: CommunityTranslation) -> None:
        target = (obj.content_type_id, obj.object_id)
        super().delete_model(request, obj)
        community_translation_changed_send(content_type_id=target[0], object_id=target[1])

    def delete_queryset(self, request, queryset) -> None:
        targets = set(queryset.values_list("content_type_id", "object_id"))
        super().delete_queryset(request, queryset)
        for content_type_id, object_id in sorted(targets):
            community_translation_changed_send(content_type_id=content_type_id, object_id=object_id)


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
