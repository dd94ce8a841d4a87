"""Admin: suspended accounts (see __init__) — who is suspended, until when (or for good), why
and by whom (the latest suspension in the audit log), and lifting suspensions, single or bulk,
through `services.suspensions.account_unsuspend` (their content comes back; each lift is
logged and the person told). Suspending is done from the report desk
(`services.actions.target_owner_suspend`) or `account_suspend`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import REASON_MAX_LENGTH, AuditLogEntry, ModerationAction, SuspendedAccount
from ..services.suspensions import account_unsuspend


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person, with the news that they can sign in again."),
    )


def _latest_suspension(field: str) -> Subquery:
    entries = AuditLogEntry.objects.filter(
        action=ModerationAction.SUSPEND,
        target_type=ContentType.objects.get_for_model(User),
        target_id=OuterRef("pk"),
    ).order_by("-created_at", "-id")
    return Subquery(entries.values(field)[:1])


@admin.register(SuspendedAccount)
class SuspendedAccountAdmin(admin.ModelAdmin):
    list_display = ("handle", "display_name", "until", "suspension_reason", "suspended_by")
    search_fields = ("handle", "display_name", "email")
    ordering = ("suspended_until", "handle")
    actions = ("lift",)
    fields = ("handle", "display_name", "until", "suspension_reason", "suspended_by")
    readonly_fields = fields

    def get_queryset(self, request):
        # The reason and moderator of each one's latest suspension: two subqueries, no more.
        return (
            SuspendedAccount.objects.suspended()
            .annotate(
                suspension_reason_text=_latest_suspension("reason"),
                suspended_by_handle=_latest_suspension("moderator_handle"),
            )
            .order_by("suspended_until", "handle")
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("suspended until"), ordering="suspended_until")
    def until(self, account: SuspendedAccount):
        return account.suspended_until or gettext("Permanently")

    @admin.display(description=_("reason"))
    def suspension_reason(self, account: SuspendedAccount) -> str:
        return getattr(account, "suspension_reason_text", None) or "—"

    @admin.display(description=_("suspended by"))
    def suspended_by(self, account: SuspendedAccount) -> str:
        return getattr(account, "suspended_by_handle", None) or "—"

    def _no_longer_listed(self, request, people: list[SuspendedAccount]) -> list[User]:
        """People selected on the list who are no longer on it by the time the lift is
        confirmed (closed by their owner meanwhile, or lifted): the lift is still attempted
        so the moderator is told why by the service (`account_unsuspend` refuses), rather
        than the selection shrinking in silence."""
        listed = {str(person.pk) for person in people}
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        missing = [pk for pk in selected if pk not in listed and pk.isdigit()]
        return list(User.objects.filter(pk__in=missing).order_by("handle")) if missing else []

    @admin.action(
        description=_("Lift the suspension of the selected people"), permissions=["change"]
    )
    def lift(self, request, queryset):
        people = list(queryset)
        form = LiftForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            done, failed = 0, []
            for person in [*people, *self._no_longer_listed(request, people)]:
                try:
                    account_unsuspend(
                        moderator=request.user,
                        user=User(pk=person.pk),
                        reason=form.cleaned_data["reason"],
                    )
                    done += 1
                except ValidationError as exc:
                    failed.append(f"@{person.handle}: {' '.join(exc.messages)}")
            if done:
                self.message_user(
                    request,
                    ngettext("Lifted %(n)d suspension.", "Lifted %(n)d suspensions.", done)
                    % {"n": done},
                    messages.SUCCESS,
                )
            if failed:
                self.message_user(request, "; ".join(failed), messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Lift suspensions"),
            "opts": self.opts,
            "people": people,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/suspendedaccount/lift.html", context)
