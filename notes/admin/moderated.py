"""The base for admins of content moderators hide, unhide and delete (notes, comments)."""

from django.contrib import admin
from django.utils.translation import gettext

from moderation.services.actions import content_delete, content_hide, content_unhide


class RegistryModeratedAdmin(admin.ModelAdmin):
    """Hiding, unhiding and deleting through the moderation services (`moderation.services.
    actions`, which act through the registry): the same notes services, events and feeds as
    everywhere else, plus the audit-log entry (which an appeal hangs on), the author's notice
    and the target's open reports closed; each change also in the admin's history. These
    actions give a standard reason; the moderation desk asks for one. The model's admin
    declares its own actions (their wording) and calls `_moderate`."""

    def has_moderate_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def _moderate(self, request, queryset, *, hide: bool) -> int:
        if hide:
            act, reason, log = content_hide, gettext("Hidden by a moderator."), gettext("Hidden")
        else:
            act, reason, log = content_unhide, "", gettext("Unhidden")
        done = 0
        for target in queryset.filter(is_hidden=not hide):
            act(moderator=request.user, target=target, reason=reason)
            self.log_change(request, target, log)
            done += 1
        return done

    def delete_model(self, request, obj) -> None:
        content_delete(
            moderator=request.user, target=obj, reason=gettext("Deleted by a moderator.")
        )

    def delete_queryset(self, request, queryset) -> None:
        reason = gettext("Deleted by a moderator.")
        for target in queryset:
            content_delete(moderator=request.user, target=target, reason=reason)
