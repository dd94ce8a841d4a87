"""Admin for feeds: who follows which tag, and the tags moderators keep out of trending.

Moderators keep a tag out of trending from the hashtag list (actions "Keep out of trending" /
"Allow in trending", added here to the notes app's hashtag admin, since notes may not know
about feeds) or from the list of excluded tags. Every way goes through
`feeds.tags.trending_exclude` / `trending_include`, so the cached trending list forgets the tag
at once.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notes.admin import HashtagAdmin as NotesHashtagAdmin
from notes.models import Hashtag

from . import tags
from .models import HashtagFollow, TrendingExclusion


def _tags_may_trend_message(count: int) -> str:
    return ngettext("%(count)d tag may trend again.", "%(count)d tags may trend again.", count) % {
        "count": count
    }


if admin.site.is_registered(Hashtag):
    admin.site.unregister(Hashtag)


@admin.register(Hashtag)
class HashtagAdmin(NotesHashtagAdmin):
    """The notes app's hashtag admin, with whether each tag may trend and the actions to keep
    it out of trending or let it back in."""

    list_display = (*NotesHashtagAdmin.list_display, "in_trending")
    actions = (*NotesHashtagAdmin.actions, "keep_out_of_trending", "allow_in_trending")

    def get_queryset(self, request):
        excluded = TrendingExclusion.objects.filter(hashtag=OuterRef("pk"))
        return super().get_queryset(request).annotate(kept_out=Exists(excluded))

    @admin.display(description=_("may trend"), boolean=True, ordering="kept_out")
    def in_trending(self, tag: Hashtag) -> bool:
        return not tag.kept_out

    @admin.action(description=_("Keep the selected tags out of trending"))
    def keep_out_of_trending(self, request, queryset) -> None:
        count = 0
        for tag in queryset:
            tags.trending_exclude(hashtag=tag, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d tag is kept out of trending.",
                "%(count)d tags are kept out of trending.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Allow the selected tags in trending"))
    def allow_in_trending(self, request, queryset) -> None:
        count = sum(tags.trending_include(hashtag=tag) for tag in queryset)
        self.message_user(request, _tags_may_trend_message(count), messages.SUCCESS)


@admin.register(HashtagFollow)
class HashtagFollowAdmin(admin.ModelAdmin):
    """Read-only: people follow and unfollow tags themselves."""

    list_display = ("user", "hashtag", "created_at")
    list_select_related = ("user", "hashtag")
    search_fields = ("user__handle", "hashtag__name", "hashtag__display_name")
    ordering = ("-created_at", "-id")
    fields = ("user", "hashtag", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrendingExclusion)
class TrendingExclusionAdmin(admin.ModelAdmin):
    """Tags kept out of trending: add one (the tag is found as you type) with a reason; delete
    it, or use the action, to let the tag trend again."""

    list_display = ("hashtag", "reason", "created_by", "created_at")
    list_select_related = ("hashtag", "created_by")
    search_fields = ("hashtag__name", "hashtag__display_name", "reason")
    autocomplete_fields = ("hashtag",)
    ordering = ("-created_at",)
    fields = ("hashtag", "reason", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    actions = ("allow_in_trending",)

    def get_readonly_fields(self, request, obj=None):
        # The tag of an existing exclusion is its identity; only the reason can change.
        return (*self.readonly_fields, "hashtag") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        tags.trending_exclude(hashtag=obj.hashtag, by=request.user, reason=obj.reason)

    def delete_model(self, request, obj) -> None:
        tags.trending_include(hashtag=obj.hashtag)

    def delete_queryset(self, request, queryset) -> None:
        for exclusion in queryset.select_related("hashtag"):
            tags.trending_include(hashtag=exclusion.hashtag)

    @admin.action(description=_("Allow the selected tags in trending again"))
    def allow_in_trending(self, request, queryset) -> None:
        count = 0
        for exclusion in queryset.select_related("hashtag"):
            count += tags.trending_include(hashtag=exclusion.hashtag)
        self.message_user(request, _tags_may_trend_message(count), messages.SUCCESS)
