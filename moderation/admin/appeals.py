"""Admin: appeals against hides (see __init__).

The queue opens on the open appeals, the longest waiting first, each with the content (text,
and on its page the photos), the decision appealed (its reason and moderator) and the author's
appeal. Grant (the content is shown again) and deny (it stays hidden) go through
`moderation.services.appeals`, single and bulk alike, each writing its audit entry and telling
the author.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import REASON_MAX_LENGTH, Appeal, AppealStatus
from ..services import appeals as appeal_services
from ..targets import target_preview
from .queues import TargetQueueAdmin, WaitingFirstStatusFilter


class AppealDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author. Required to deny an appeal."),
    )


class AppealStatusFilter(WaitingFirstStatusFilter):
    """Status, open by default: the queue opens on what waits for a decision."""

    statuses = AppealStatus
    waiting = AppealStatus.OPEN


@admin.register(Appeal)
class AppealAdmin(TargetQueueAdmin):
    list_display = (
        "preview",
        "kind",
        "author",
        "hide_reason",
        "hide_moderator",
        "appeal_text",
        "still_hidden",
        "status",
        "created_at",
    )
    list_filter = (AppealStatusFilter, "target_type")
    list_select_related = ("author", "target_type", "hide_entry", "hide_entry__moderator")
    search_fields = ("author__handle", "text", "hide_entry__reason")
    ordering = ("created_at", "id")
    actions = ("grant", "deny")
    fields = (
        "kind",
        "author",
        "content",
        "hide_reason",
        "hide_moderator",
        "hidden_at",
        "text",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    )
    readonly_fields = fields
    decide_permission = "moderation.change_appeal"
    change_form_template = "admin/moderation/appeal/change_form.html"

    # --- Columns -----------------------------------------------------------------------------

    @admin.display(description=_("reason for hiding"))
    def hide_reason(self, appeal: Appeal) -> str:
        return appeal.hide_entry.reason or "—"

    @admin.display(description=_("hidden by"))
    def hide_moderator(self, appeal: Appeal) -> str:
        entry = appeal.hide_entry
        return entry.moderator_handle or (entry.moderator.handle if entry.moderator else "—")

    @admin.display(description=_("hidden"))
    def hidden_at(self, appeal: Appeal):
        return appeal.hide_entry.created_at

    @admin.display(description=_("still hidden"), boolean=True)
    def still_hidden(self, appeal: Appeal) -> bool | None:
        """Whether the content is hidden now (a moderator may have shown it meanwhile)."""
        target = appeal.target
        return bool(getattr(target, "is_hidden", False)) if target is not None else None

    @admin.display(description=_("appeal"))
    def appeal_text(self, appeal: Appeal) -> str:
        return Truncator(appeal.text).chars(120)

    @admin.display(description=_("content"))
    def content(self, appeal: Appeal) -> str:
        """The content as moderators judge it: text as written, language, photos, a link."""
        target = appeal.target
        if target is None:
            return gettext("(deleted)")
        preview = target_preview(target)
        text = "\n".join(part for part in (preview.title, preview.text) if part)
        images = format_html_join(
            "",
            '<img src="{}" alt="{}" width="{}" loading="lazy" class="appeal-photo">',
            ((image.url, image.alt, 160) for image in preview.images),
        )
        language = format_html(
            '<p class="help">{}: {}</p>', gettext("Language"), preview.language or "—"
        )
        link = (
            format_html('<p><a href="{}">{}</a></p>', preview.url, gettext("View on the site"))
            if preview.url
            else ""
        )
        return format_html(
            '<div class="appeal-text" data-testid="appeal-content">{}</div>{}<div>{}</div>{}',
            text,
            language,
            images,
            link,
        )

    # --- Decisions ---------------------------------------------------------------------------

    def _decide_many(self, request, queryset, *, grant: bool):
        open_appeals = list(queryset.filter(status=AppealStatus.OPEN))
        form = AppealDecisionForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            if not grant and not reason.strip():
                form.add_error("reason", gettext("Give a reason: the author is told it."))
            else:
                done, failed = 0, []
                decide = appeal_services.appeal_grant if grant else appeal_services.appeal_deny
                for appeal in open_appeals:
                    try:
                        decide(moderator=request.user, appeal=appeal, reason=reason)
                        done += 1
                    except ValidationError as exc:
                        failed.append(f"{appeal.pk}: {' '.join(exc.messages)}")
                text = (
                    ngettext("Granted %(n)d appeal.", "Granted %(n)d appeals.", done)
                    if grant
                    else ngettext("Denied %(n)d appeal.", "Denied %(n)d appeals.", done)
                )
                self.message_user(request, text % {"n": done}, messages.SUCCESS)
                if failed:
                    self.message_user(request, "; ".join(failed), messages.WARNING)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Grant appeals") if grant else gettext("Deny appeals"),
            "opts": self.opts,
            "appeals": open_appeals,
            "form": form,
            "grant": grant,
            "action": "grant" if grant else "deny",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/appeal/decide.html", context)

    @admin.action(
        description=_("Grant selected appeals (show the content again)"), permissions=["decide"]
    )
    def grant(self, request, queryset):
        return self._decide_many(request, queryset, grant=True)

    @admin.action(
        description=_("Deny selected appeals (keep the content hidden)"), permissions=["decide"]
    )
    def deny(self, request, queryset):
        return self._decide_many(request, queryset, grant=False)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and ("_grant" in request.POST or "_deny" in request.POST):
            return self._decide_one(request, object_id)
        appeal = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_decide": appeal is not None
            and appeal.status == AppealStatus.OPEN
            and self.has_decide_permission(request),
            "decision_form": AppealDecisionForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide_one(self, request, object_id):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        appeal = self.get_object(request, object_id)
        if appeal is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = AppealDecisionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        grant = "_grant" in request.POST
        try:
            if grant:
                appeal_services.appeal_grant(moderator=request.user, appeal=appeal, reason=reason)
            else:
                appeal_services.appeal_deny(moderator=request.user, appeal=appeal, reason=reason)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        message = (
            gettext("Granted: the content is shown again, and its author was told.")
            if grant
            else gettext("Denied: the content stays hidden, and its author was told why.")
        )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:moderation_appeal_changelist"))
