"""Admin: keyword rules and the review queue of the content they held (see __init__).

Rules are written through `moderation.services.keywords` (their author recorded, the cached
rules dropped); decisions on held content through `moderation.services.holds` (approve lets it
out, reject hides it with a reason), single and bulk alike, each writing its audit entry.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rednote.languages import LANGUAGE_NAMES, content_language_choices
from translations.services import translations_cached

from ..keywords import ORIGINAL
from ..models import REASON_MAX_LENGTH, HeldContent, HoldStatus, KeywordRule
from ..services import holds as hold_services
from ..services.keywords import (
    keyword_rule_clean,
    keyword_rule_create,
    keyword_rule_update,
    keyword_rules_deactivate,
)
from .queues import TargetQueueAdmin, WaitingFirstStatusFilter, text_of


def _language_label(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code)) if code else gettext("Any language")


class KeywordRuleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), required=False, choices=())

    class Meta:
        model = KeywordRule
        fields = ("term", "language", "action", "message", "is_active")
        help_texts = {
            "term": _(
                "A word or phrase. Case, full-width letters and Traditional/Simplified "
                "characters do not matter; Latin-script terms match whole words, Chinese, "
                "Japanese and Korean ones anywhere."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *content_language_choices()]
        self.fields["language"].help_text = _(
            "With a language, the rule screens text written in it and the translation of "
            "text in other languages into it."
        )

    def clean(self):
        data = super().clean()
        try:
            self.rule_fields = keyword_rule_clean(
                term=data.get("term", ""),
                language=data.get("language", ""),
                action=data.get("action", ""),
                message=data.get("message", ""),
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return data


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    form = KeywordRuleForm
    list_display = ("term", "language_name", "action", "message", "is_active", "created_by")
    list_filter = ("is_active", "action", "language")
    search_fields = ("term", "message")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("created_by",)
    actions = ("deactivate",)

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, rule: KeywordRule) -> str:
        return _language_label(rule.language)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: the holds it made keep their rule

    def save_model(self, request, obj, form, change) -> None:
        fields = {**form.rule_fields, "is_active": form.cleaned_data.get("is_active", False)}
        if change:
            keyword_rule_update(rule=obj, **fields)
        else:
            rule = keyword_rule_create(moderator=request.user, **fields)
            obj.pk, obj.created_by, obj.created_at = rule.pk, rule.created_by, rule.created_at

    @admin.action(description=_("Deactivate selected rules"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        count = keyword_rules_deactivate(rule_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("Deactivated %(n)d rule.", "Deactivated %(n)d rules.", count) % {"n": count},
            messages.SUCCESS,
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author. Empty: the rule's message."),
    )


class HoldStatusFilter(WaitingFirstStatusFilter):
    """Status, pending by default: the queue opens on what waits for review."""

    statuses = HoldStatus
    waiting = HoldStatus.PENDING


def _where(hold: HeldContent) -> str:
    if not hold.matched_in or hold.matched_in == ORIGINAL:
        return gettext("Original text")
    return gettext("Translation into %(language)s") % {"language": _language_label(hold.matched_in)}


@admin.register(HeldContent)
class HeldContentAdmin(TargetQueueAdmin):
    """The review queue: newest first, pending ones by default (filter by status)."""

    list_display = (
        "preview",
        "kind",
        "author",
        "matched_term",
        "where",
        "status",
        "created_at",
    )
    list_filter = (HoldStatusFilter, "target_type", "matched_in")
    list_select_related = ("author", "rule", "target_type")
    search_fields = ("matched_term", "author__handle")
    ordering = ("-created_at", "-id")
    actions = ("approve", "reject")
    fields = (
        "kind",
        "author",
        "content",
        "language",
        "translation",
        "rule",
        "matched_term",
        "where",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    )
    readonly_fields = fields
    decide_permission = "moderation.change_heldcontent"
    change_form_template = "admin/moderation/heldcontent/change_form.html"

    @admin.display(description=_("matched in"), ordering="matched_in")
    def where(self, hold: HeldContent) -> str:
        return _where(hold)

    @admin.display(description=_("content"))
    def content(self, hold: HeldContent) -> str:
        target = hold.target
        if target is None:
            return gettext("(deleted)")
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        text = text_of(target)
        if url:
            return format_html(
                '<div class="held-text">{}</div><p><a href="{}">{}</a></p>',
                text,
                url,
                gettext("View on the site"),
            )
        return format_html('<div class="held-text">{}</div>', text)

    @admin.display(description=_("language"))
    def language(self, hold: HeldContent) -> str:
        target = hold.target
        code = getattr(target, "language", "") if target is not None else ""
        return _language_label(code) if code else "—"

    @admin.display(description=_("translation"))
    def translation(self, hold: HeldContent) -> str:
        """The text's translation the term was found in (from the cache, no provider call)."""
        target = hold.target
        if target is None or not hold.matched_in or hold.matched_in == ORIGINAL:
            return "—"
        source = getattr(target, "language", "") or None
        texts = [t for t in (getattr(target, "title", ""), getattr(target, "body", "")) if t]
        answers = translations_cached(
            texts=[(t, None if source == "mixed" else source) for t in texts],
            target=hold.matched_in,
        )
        found = [answer for answer in answers if answer]
        return "\n".join(found) if found else gettext("(not in the cache any more)")

    # --- Decisions ---------------------------------------------------------------------------

    @admin.action(description=_("Approve selected held content"), permissions=["decide"])
    def approve(self, request, queryset) -> None:
        count = hold_services.holds_approve(
            moderator=request.user, holds=list(queryset.filter(status=HoldStatus.PENDING))
        )
        self.message_user(
            request,
            ngettext("Approved %(n)d item.", "Approved %(n)d items.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject selected held content"), permissions=["decide"])
    def reject(self, request, queryset):
        pending = list(queryset.filter(status=HoldStatus.PENDING))
        form = RejectForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            count = hold_services.holds_reject(
                moderator=request.user, holds=pending, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                ngettext("Rejected %(n)d item.", "Rejected %(n)d items.", count) % {"n": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject held content"),
            "opts": self.opts,
            "holds": pending,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/heldcontent/reject.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and ("_approve" in request.POST or "_reject" in request.POST):
            return self._decide(request, object_id)
        hold = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_decide": hold is not None
            and hold.status == HoldStatus.PENDING
            and self.has_decide_permission(request),
            "reject_form": RejectForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, object_id):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        hold = self.get_object(request, object_id)
        if hold is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if "_approve" in request.POST:
            done = hold_services.hold_approve(moderator=request.user, hold=hold)
            message = gettext("Approved: it is public now.")
        else:
            form = RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            done = hold_services.hold_reject(moderator=request.user, hold=hold, reason=reason)
            message = gettext("Rejected: it is hidden, and its author was told why.")
        if done:
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, gettext("This was decided already."), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:moderation_heldcontent_changelist"))
