"""The user admin, as moderation needs it (registered in place of accounts' own).

accounts sits below moderation and cannot reach its services, so moderation takes over the
`User` admin with a subclass of accounts' `UserAdmin`: an account is suspended, and its
suspension lifted, only on the moderation desk (with a reason, in the audit log, the person
told), never by ticking "active"; deleting an account goes through the same closing as a
person's own deletion (`account_remove`: sessions, tokens, feeds, photos in storage) and is
logged; and a person's privacy is their own setting (switching it here would skip accepting
their pending follow requests), so it is shown, not edited.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User

from ..services.removal import account_remove

admin.site.unregister(User)


@admin.register(User)
class ModeratedUserAdmin(UserAdmin):
    list_display = (*UserAdmin.list_display, "suspended_until", "is_private")
    list_filter = (*UserAdmin.list_filter, "is_private")
    readonly_fields = (
        *UserAdmin.readonly_fields,
        "is_active",
        "suspended_until",
        "is_private",
        "moderation_desk",
    )
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Moderation"), {"fields": ("is_private", "suspended_until", "moderation_desk")}),
    )

    @admin.display(description=_("Moderation desk"))
    def moderation_desk(self, user: User) -> str:
        if user.pk is None:
            return "—"
        if user.is_closed:
            return gettext("Closed: the account is being erased; it cannot be reinstated.")
        if not user.is_active:
            url = reverse("admin:moderation_suspendedaccount_changelist")
            return format_html(
                '<a href="{}?q={}" data-testid="user-moderate">{}</a>',
                url,
                user.handle,
                _("Suspended: lift the suspension among the suspended accounts"),
            )
        url = reverse(
            "admin:moderation_report_target",
            kwargs={
                "type_id": ContentType.objects.get_for_model(User).pk,
                "target_id": user.pk,
            },
        )
        return format_html(
            '<a href="{}" data-testid="user-moderate">{}</a>',
            url,
            _("Warn or suspend on the moderation desk"),
        )

    def delete_model(self, request, obj: User) -> None:
        account_remove(moderator=request.user, user=obj)

    def delete_queryset(self, request, queryset) -> None:
        removed = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(
                    request, _("Close your own account from your settings."), messages.ERROR
                )
                continue
            account_remove(moderator=request.user, user=user)
            removed += 1
        if removed:
            self.message_user(
                request,
                ngettext(
                    "%(n)d account is being removed with everything in it.",
                    "%(n)d accounts are being removed with everything in them.",
                    removed,
                )
                % {"n": removed},
                messages.SUCCESS,
            )
