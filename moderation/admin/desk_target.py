"""The moderation desk's page for one reported target (see `desk`): its preview (photos,
title and text as written, the language stored for it, and its translation into the moderator's
interface language), its reports and audit history, and a form per decision that fits it."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from rednote.languages import LANGUAGE_NAMES, content_languages_for_ui
from translations.services import TranslationRequest, translations_get_many

from ..models import Report, ReportReason, ReportStatus
from ..registry import ContentPreview
from ..selectors import target_audit, target_reports
from ..targets import target_kind, target_placeholder, target_preview, targets_get
from .desk_decisions import DECISIONS, DecisionForm, decide_many, desk_permission, report_outcome


class ReportTargetPages:
    """The target page of the report queue's admin (`ReportQueueAdmin`, a ModelAdmin): its URL,
    a report's own page sending there, and the page itself."""

    def get_urls(self):
        return [
            path(
                "target/<int:type_id>/<int:target_id>/",
                self.admin_site.admin_view(self.target_view),
                name="moderation_report_target",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A report's page is its target's page."""
        if not desk_permission(request, act=False):
            raise PermissionDenied
        report = Report.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if report is None:
            raise Http404
        return HttpResponseRedirect(
            reverse(
                "admin:moderation_report_target",
                kwargs={"type_id": report.target_type_id, "target_id": report.target_id},
            )
        )

    def target_view(self, request, type_id: int, target_id: int):
        """Preview, reports and history of one target, and a form per decision."""
        if not desk_permission(request, act=request.method == "POST"):
            raise PermissionDenied
        try:
            content_type = ContentType.objects.get_for_id(type_id)
        except ContentType.DoesNotExist:
            raise Http404 from None
        model = content_type.model_class()
        if model is None or (model is not User and target_kind_safe(model) is None):
            raise Http404
        target = targets_get(content_type, [target_id]).get(target_id)
        reports = list(target_reports(content_type=content_type, target_id=target_id))
        if target is None and not reports:
            raise Http404
        queue_url = reverse("admin:moderation_report_changelist")
        forms_by_decision = {}
        for decision in self._decisions_for(target):
            bound = request.method == "POST" and request.POST.get("decision") == decision
            forms_by_decision[decision] = DecisionForm(
                request.POST if bound else None, decision=decision, prefix=decision
            )
        if request.method == "POST":
            decision = request.POST.get("decision", "")
            form = forms_by_decision.get(decision)
            if form is None:
                raise PermissionDenied
            if form.is_valid():
                subject = (
                    target if target is not None else target_placeholder(content_type, target_id)
                )
                try:
                    outcome = decide_many(request, decision, [subject], form)
                except ValidationError as exc:  # the reason, refused before any target
                    form.add_error(None, exc)
                else:
                    report_outcome(self, request, decision, outcome, [])
                    if not outcome.failed:
                        return HttpResponseRedirect(queue_url)
        preview = target_preview(target) if target is not None else None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reported %(what)s")
            % {"what": content_type.model_class()._meta.verbose_name},
            "opts": self.opts,
            "target": target,
            "kind": target_kind(model) if target is not None else "",
            "preview": preview,
            "language_name": _language_name(preview.language) if preview else "",
            "translation": _translation(request, preview, target) if preview else None,
            "reports": reports,
            "open_count": sum(1 for r in reports if r.status == ReportStatus.OPEN),
            "history": list(target_audit(content_type=content_type, target_id=target_id)[:20]),
            "forms": [(d, DECISIONS[d], f) for d, f in forms_by_decision.items()],
            "can_act": desk_permission(request, act=True),
            "queue_url": queue_url,
            "reason_labels": dict(ReportReason.choices),
        }
        return TemplateResponse(request, "admin/moderation/report/target.html", context)

    def _decisions_for(self, target) -> list[str]:
        if target is None:
            return ["dismiss"]
        if isinstance(target, User):
            return ["dismiss", "warn", "suspend"]
        hidden = target_preview(target).is_hidden
        return ["dismiss", "unhide" if hidden else "hide", "delete", "warn", "suspend"]


def target_kind_safe(model):
    try:
        return target_kind(model)
    except LookupError:
        return None


def _language_name(code: str) -> str:
    if not code:
        return gettext("unknown")
    if code == "mixed":
        return gettext("mixed languages")
    return str(LANGUAGE_NAMES.get(code, code))


def _translation(request, preview: ContentPreview, content):
    """The preview's title and text in the moderator's interface language: a dict with the
    texts and the provider, or what stands in the way (not set up, pending, same language).
    A community translation of the note or comment (`content`) wins, as for readers; reading
    it here is not serving a reader (not counted on the dashboard)."""
    codes = content_languages_for_ui(translation.get_language() or "")
    target = codes[0] if codes else "en"
    source = preview.language or None
    parts = [(preview.title_part, preview.title), (preview.text_part, preview.text)]
    parts = [(part, text) for part, text in parts if text]
    if not parts:
        return None
    if source == target:
        return {"same": True, "target": _language_name(target)}
    requests = [
        TranslationRequest(
            text=text,
            source=None if source == "mixed" else source,
            private=preview.private,
            content=content,
            part=part,
        )
        for part, text in parts
    ]
    results = translations_get_many(
        requests=requests, target=target, user=request.user, served=False
    )
    done = [r for r in results if r.is_done]
    return {
        "target": _language_name(target),
        "texts": [r.text for r in done],
        "provider": done[0].provider if done else "",
        "community": bool(done) and done[0].kind == "community",
        "pending": any(r.is_pending for r in results),
        "unavailable": next((r.detail for r in results if r.is_unavailable), ""),
        "source": _language_name(
            next((r.source_language for r in done if r.source_language), "") or ""
        ),
    }
