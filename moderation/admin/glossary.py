"""Admin: the slang glossary (see __init__).

The list opens on the readers' suggestions waiting for review, the longest waiting first;
filter by status and language, search terms, variants, pinyin and explanations. Moderators
approve (both explanations needed) or reject suggestions, one on its page ("Save and approve"
takes the edits made there first) or in bulk with a confirmation page; they add terms
(approved at once), edit and delete them. Every change goes through
`moderation.services.glossary`: validated by the glossary's one rule, audited, and the reading
aids told after commit.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from translations.glossary_rules import GLOSSARY_FIELDS, GLOSSARY_LANGUAGES, glossary_term_validate
from translations.models import GlossaryStatus, GlossaryTerm

from ..models import REASON_MAX_LENGTH
from ..services import glossary as glossary_services
from .queues import WaitingFirstStatusFilter

APPROVE = "_approve"
REJECT = "_reject"


class GlossaryTermForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=capfirst(GlossaryTerm._meta.get_field("language").verbose_name), choices=()
    )
    variants = forms.CharField(
        label=capfirst(GlossaryTerm._meta.get_field("variants").verbose_name),
        required=False,
        max_length=1000,
        help_text=_(
            "Other spellings found in text (YYDS, 永遠的神, no-cap), separated by commas. "
            "The term and its variants are underlined in notes and comments in its language."
        ),
    )

    class Meta:
        model = GlossaryTerm
        fields = GLOSSARY_FIELDS
        widgets = {
            "explanation_en": forms.Textarea(attrs={"rows": 3}),
            "explanation_zh": forms.Textarea(attrs={"rows": 3}),
        }

    # Set by the admin: the moderator approves in the same step ("Save and approve").
    approving = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(GLOSSARY_LANGUAGES.items())
        if self.instance.pk and not self.is_bound:
            self.initial["variants"] = ", ".join(self.instance.variants or ())

    def clean(self):
        data = super().clean()
        entry = self.instance if self.instance.pk else None
        require_both = (
            entry is None or entry.status == GlossaryStatus.APPROVED or type(self).approving
        )
        try:
            self.glossary_fields = glossary_term_validate(
                entry=entry,
                require_both_explanations=require_both,
                **{name: data.get(name, "") for name in GLOSSARY_FIELDS},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return data
        data.update(self.glossary_fields)
        return data


class GlossaryRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )


class GlossaryStatusFilter(WaitingFirstStatusFilter):
    """Status, suggested by default: the list opens on the suggestions waiting for review."""

    statuses = GlossaryStatus
    waiting = GlossaryStatus.SUGGESTED


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    form = GlossaryTermForm
    list_display = (
        "term",
        "language",
        "pinyin",
        "explanation_en_short",
        "explanation_zh_short",
        "status",
        "suggested_by",
        "reviewed_by",
        "created_at",
    )
    list_filter = (GlossaryStatusFilter, "language")
    list_select_related = ("suggested_by", "reviewed_by")
    search_fields = ("term", "variants", "pinyin", "explanation_en", "explanation_zh")
    ordering = ("created_at", "id")
    actions = ("approve", "reject")
    readonly_fields = (
        "status",
        "suggested_by",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    )
    change_form_template = "admin/moderation/glossary/change_form.html"

    # --- Columns -----------------------------------------------------------------------------

    @admin.display(description=_("explanation in English"))
    def explanation_en_short(self, entry: GlossaryTerm) -> str:
        return Truncator(entry.explanation_en).chars(80) or "—"

    @admin.display(description=_("explanation in Chinese"))
    def explanation_zh_short(self, entry: GlossaryTerm) -> str:
        return Truncator(entry.explanation_zh).chars(50) or "—"

    # --- Saving through the services ---------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class per request: the form asks for both explanations when approving.
        return type(form.__name__, (form,), {"approving": APPROVE in request.POST})

    def save_model(self, request, obj, form, change) -> None:
        fields = form.glossary_fields
        if change:
            entry = GlossaryTerm.objects.get(pk=obj.pk)
            glossary_services.glossary_edit(moderator=request.user, entry=entry, **fields)
            if APPROVE in request.POST and entry.status != GlossaryStatus.APPROVED:
                glossary_services.glossary_approve(moderator=request.user, entry=entry)
            obj.refresh_from_db()
        else:
            entry = glossary_services.glossary_add(moderator=request.user, **fields)
            obj.pk = entry.pk
            obj.refresh_from_db()

    def delete_model(self, request, obj) -> None:
        glossary_services.glossary_delete(moderator=request.user, entry=obj)

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset:
            glossary_services.glossary_delete(moderator=request.user, entry=entry)

    # --- Decisions ---------------------------------------------------------------------------

    def has_decide_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def _decide_many(self, request, queryset, *, approve: bool):
        wrong_status = GlossaryStatus.APPROVED if approve else GlossaryStatus.REJECTED
        entries = list(queryset.exclude(status=wrong_status).select_related("suggested_by"))
        form = GlossaryRejectForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and (approve or form.is_valid()):
            reason = "" if approve else form.cleaned_data["reason"]
            done, failed = glossary_services.glossary_decide_many(
                moderator=request.user, entries=entries, approve=approve, reason=reason
            )
            text = (
                ngettext("Approved %(n)d term.", "Approved %(n)d terms.", done)
                if approve
                else ngettext("Rejected %(n)d term.", "Rejected %(n)d terms.", done)
            )
            self.message_user(request, text % {"n": done}, messages.SUCCESS)
            if failed:
                self.message_user(request, "; ".join(failed), messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Approve glossary terms")
            if approve
            else gettext("Reject glossary terms"),
            "opts": self.opts,
            "entries": entries,
            # Rejecting asks for a reason (optional); approving needs the confirmation alone.
            "form": forms.Form() if approve else form,
            "approve": approve,
            "action": "approve" if approve else "reject",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/glossary/decide.html", context)

    @admin.action(description=_("Approve selected terms"), permissions=["decide"])
    def approve(self, request, queryset):
        return self._decide_many(request, queryset, approve=True)

    @admin.action(description=_("Reject selected terms"), permissions=["decide"])
    def reject(self, request, queryset):
        return self._decide_many(request, queryset, approve=False)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and REJECT in request.POST:
            return self._reject_one(request, object_id)
        entry = self.get_object(request, object_id)
        can_decide = entry is not None and self.has_decide_permission(request)
        extra_context = {
            **(extra_context or {}),
            "can_approve": can_decide and entry.status != GlossaryStatus.APPROVED,
            "can_reject": can_decide and entry.status != GlossaryStatus.REJECTED,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if APPROVE in request.POST:
            self.message_user(
                request,
                gettext("“%(term)s” is approved: it is shown in the glossary and underlined.")
                % {"term": obj.term},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:translations_glossaryterm_changelist"))
        return super().response_change(request, obj)

    def _reject_one(self, request, object_id):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        entry = self.get_object(request, object_id)
        if entry is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = GlossaryRejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            glossary_services.glossary_reject(moderator=request.user, entry=entry, reason=reason)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request, gettext("“%(term)s” is rejected.") % {"term": entry.term}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:translations_glossaryterm_changelist"))
