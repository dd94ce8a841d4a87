"""Admin: the moderation desk — the queue of open reports, one row per reported target, and each
target's page (see __init__).

The queue (the Report changelist) shows every target with open reports once, through its
oldest open report (`selectors.report_queue`): what it is and whose, how many reports it has
and for which reasons, most reported first, then the longest waiting. Its bulk actions and the
target page's buttons are the same decisions — dismiss, hide, unhide, delete, warn the author,
suspend the author (1, 7 or 30 days, or for good) — each taken through
`moderation.services.actions` (never a model save here), one audit entry per target.

The target page previews the content for a moderator who may read only one of its languages:
photos (grid renditions), title and text as written, the language stored for it, and its
translation into the moderator's interface language (`translations.services`).

Permissions are checked in one place, `desk_permission`: viewing needs `view_report`, acting
`change_report`; the admin site itself sends non-staff to its login.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from rednote.languages import LANGUAGE_NAMES, content_languages_for_ui
from translations.services import TranslationRequest, translations_get_many

from ..models import REASON_MAX_LENGTH, Report, ReportReason, ReportStatus
from ..registry import ContentPreview
from ..selectors import report_queue, report_queue_details, target_audit, target_reports
from ..services import actions as action_services
from ..targets import USER_KIND, target_kind, target_placeholder, target_preview, targets_get


def desk_permission(request, *, act: bool) -> bool:
    """May this person see the desk (`act` False) or take its decisions (`act` True)? The
    one check behind the queue, its bulk actions and the target page."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perm("moderation.change_report" if act else "moderation.view_report")


# --- Decisions --------------------------------------------------------------------------------

SUSPEND_PERIODS = {
    "1d": (_("1 day"), timedelta(days=1)),
    "7d": (_("7 days"), timedelta(days=7)),
    "30d": (_("30 days"), timedelta(days=30)),
    "forever": (_("Permanently"), None),
}
DECISIONS = {
    "dismiss": _("Dismiss the reports"),
    "hide": _("Hide the content"),
    "unhide": _("Unhide the content"),
    "delete": _("Delete the content"),
    "warn": _("Warn the author"),
    "suspend": _("Suspend the author"),
}
# The width of a note's cover in the queue, in CSS pixels.
QUEUE_THUMB = 48
# Decisions that only make sense for a note or a comment, not for a person.
CONTENT_ONLY = {"hide", "unhide", "delete"}
REASON_OPTIONAL = {"dismiss", "unhide"}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Kept in the audit log; the person concerned is told it (not for a dismissal)."
        ),
    )
    period = forms.ChoiceField(
        label=_("Suspend for"),
        required=False,
        choices=[(key, label) for key, (label, _delta) in SUSPEND_PERIODS.items()],
    )

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["reason"].required = decision not in REASON_OPTIONAL
        if decision != "suspend":
            del self.fields["period"]
        else:
            self.fields["period"].required = True

    def until(self):
        _label, delta = SUSPEND_PERIODS[self.cleaned_data["period"]]
        return timezone.now() + delta if delta is not None else None


def _decide_many(request, decision: str, targets: list, form: DecisionForm):
    """Run `decision` on each target through the services; a BulkOutcome."""
    moderator, reason = request.user, form.cleaned_data["reason"]
    if decision == "dismiss":
        return action_services.reports_dismiss_many(
            moderator=moderator, targets=targets, reason=reason
        )
    if decision == "warn":
        return action_services.target_owners_warn_many(
            moderator=moderator, targets=targets, reason=reason
        )
    if decision == "suspend":
        return action_services.target_owners_suspend_many(
            moderator=moderator, targets=targets, until=form.until(), reason=reason
        )
    run = {
        "hide": action_services.content_hide_many,
        "unhide": action_services.content_unhide_many,
        "delete": action_services.content_delete_many,
    }[decision]
    return run(moderator=moderator, targets=targets, reason=reason)


def _usable_targets(decision: str, found: list, gone: list) -> tuple[list, list[str]]:
    """What `decision` can act on, and why the others are skipped."""
    skipped = []
    targets = list(found)
    if decision == "dismiss":
        targets += gone
    elif gone:
        skipped.append(
            ngettext(
                "%(n)d reported item is gone; only its reports can be dismissed.",
                "%(n)d reported items are gone; only their reports can be dismissed.",
                len(gone),
            )
            % {"n": len(gone)}
        )
    if decision in CONTENT_ONLY:
        people = [t for t in targets if isinstance(t, User)]
        if people:
            skipped.append(
                ngettext(
                    "%(n)d person skipped: people are warned or suspended, not hidden or deleted.",
                    "%(n)d people skipped: people are warned or suspended, not hidden or deleted.",
                    len(people),
                )
                % {"n": len(people)}
            )
            targets = [t for t in targets if not isinstance(t, User)]
    return targets, skipped


def _report_outcome(admin_view, request, decision: str, outcome, skipped: list[str]) -> None:
    if outcome.done:
        admin_view.message_user(
            request,
            ngettext(
                "%(decision)s: done for %(n)d reported item.",
                "%(decision)s: done for %(n)d reported items.",
                outcome.done,
            )
            % {"decision": DECISIONS[decision], "n": outcome.done},
            messages.SUCCESS,
        )
    for target, why in outcome.failed:
        admin_view.message_user(request, f"{target}: {why}", messages.ERROR)
    for line in skipped:
        admin_view.message_user(request, line, messages.WARNING)


# --- The queue --------------------------------------------------------------------------------


class QueueChangeList(ChangeList):
    """The changelist, with each row's reasons and target loaded for the whole page at once."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        details = report_queue_details(rows)
        for row in rows:
            row.queue = details[(row.target_type_id, row.target_id)]
        self.result_list = rows


class KindFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("note", _("Notes")), ("comment", _("Comments")), (USER_KIND, _("People"))]

    def queryset(self, request, queryset):
        from ..targets import target_model

        model = target_model(self.value()) if self.value() else None
        if model is None:
            return queryset
        return queryset.filter(target_type=ContentType.objects.get_for_model(model))


@admin.register(Report)
class ReportQueueAdmin(admin.ModelAdmin):
    list_display = ("target_summary", "kind", "person", "report_count", "reasons", "waiting_since")
    list_display_links = None
    list_filter = (KindFilter,)
    list_per_page = 50
    show_full_result_count = False
    sortable_by = ()
    actions = (
        "dismiss_reports",
        "hide_content",
        "unhide_content",
        "delete_content",
        "warn_authors",
        "suspend_authors",
    )

    # --- Permissions (one place: desk_permission) ----------------------------------------

    def has_view_permission(self, request, obj=None) -> bool:
        return desk_permission(request, act=False)

    def has_moderate_permission(self, request) -> bool:
        return desk_permission(request, act=True)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # reports are read-only; decisions are the desk's actions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # --- The list ----------------------------------------------------------------------------

    def get_queryset(self, request):
        return report_queue()

    def changelist_view(self, request, extra_context=None):
        title = gettext("Moderation queue: what people reported, most reported first")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _target_url(self, row: Report) -> str:
        return reverse(
            "admin:moderation_report_target",
            kwargs={"type_id": row.target_type_id, "target_id": row.target_id},
        )

    @admin.display(description=_("reported"))
    def target_summary(self, row: Report) -> str:
        target = row.queue.target
        cover = ""
        if target is None:
            label = gettext("(gone)")
        elif isinstance(target, User):
            label = f"{target.name} (@{target.handle})"
        else:
            preview = target_preview(target)
            label = Truncator(preview.title or preview.text).chars(80) or str(target)
            if preview.is_hidden:
                label = f"{label} · {gettext('hidden')}"
            if preview.images:
                image = preview.images[0]
                height = (
                    round(QUEUE_THUMB * image.height / image.width)
                    if image.width and image.height
                    else QUEUE_THUMB
                )
                cover = format_html(
                    '<img src="{}" alt="" width="{}" height="{}" loading="lazy"> ',
                    image.url,
                    QUEUE_THUMB,
                    height,
                )
        return format_html(
            '<a href="{}" data-testid="queue-target">{}{}</a>',
            self._target_url(row),
            cover,
            label,
        )

    @admin.display(description=_("what"))
    def kind(self, row: Report) -> str:
        model = row.target_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model is not None else "—"

    @admin.display(description=_("whose"))
    def person(self, row: Report) -> str:
        owner = row.target_owner
        return f"@{owner.handle}" if owner is not None else "—"

    @admin.display(description=_("reports"))
    def report_count(self, row: Report) -> int:
        return row.report_count

    @admin.display(description=_("reasons"))
    def reasons(self, row: Report) -> str:
        labels = dict(ReportReason.choices)
        return ", ".join(f"{labels.get(reason, reason)} ({n})" for reason, n in row.queue.reasons)

    @admin.display(description=_("waiting since"))
    def waiting_since(self, row: Report):
        return row.created_at

    # --- Bulk actions ------------------------------------------------------------------------

    def _targets_of(self, rows) -> tuple[list, list]:
        """The targets the selected rows stand for (found, and stand-ins for those gone)."""
        by_type: dict[int, set[int]] = {}
        for row in rows:
            by_type.setdefault(row.target_type_id, set()).add(row.target_id)
        found, gone = [], []
        for type_id, ids in by_type.items():
            content_type = ContentType.objects.get_for_id(type_id)
            rows_found = targets_get(content_type, ids)
            for target_id in sorted(ids):
                if target_id in rows_found:
                    found.append(rows_found[target_id])
                else:
                    gone.append(target_placeholder(content_type, target_id))
        return found, gone

    def _bulk(self, request, queryset, decision: str):
        rows = list(queryset)
        confirmed = "confirm" in request.POST
        form = DecisionForm(request.POST if confirmed else None, decision=decision)
        if confirmed and form.is_valid():
            found, gone = self._targets_of(rows)
            targets, skipped = _usable_targets(decision, found, gone)
            outcome = _decide_many(request, decision, targets, form)
            _report_outcome(self, request, decision, outcome, skipped)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": DECISIONS[decision],
            "opts": self.opts,
            "rows": rows,
            "form": form,
            "decision": decision,
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/report/decide.html", context)

    @admin.action(description=_("Dismiss the reports of selected items"), permissions=["moderate"])
    def dismiss_reports(self, request, queryset):
        return self._bulk(request, queryset, "dismiss")

    @admin.action(description=_("Hide selected content"), permissions=["moderate"])
    def hide_content(self, request, queryset):
        return self._bulk(request, queryset, "hide")

    @admin.action(description=_("Unhide selected content"), permissions=["moderate"])
    def unhide_content(self, request, queryset):
        return self._bulk(request, queryset, "unhide")

    @admin.action(description=_("Delete selected content"), permissions=["moderate"])
    def delete_content(self, request, queryset):
        return self._bulk(request, queryset, "delete")

    @admin.action(description=_("Warn the authors of selected items"), permissions=["moderate"])
    def warn_authors(self, request, queryset):
        return self._bulk(request, queryset, "warn")

    @admin.action(description=_("Suspend the authors of selected items"), permissions=["moderate"])
    def suspend_authors(self, request, queryset):
        return self._bulk(request, queryset, "suspend")

    # --- A target's page ---------------------------------------------------------------------

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
                    outcome = _decide_many(request, decision, [subject], form)
                except ValidationError as exc:  # the reason, refused before any target
                    form.add_error(None, exc)
                else:
                    _report_outcome(self, request, decision, outcome, [])
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
