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

Permissions are checked in one place, `desk_permission` (in `desk_decisions`): viewing needs
`view_report`, acting `change_report`; the admin site itself sends non-staff to its login.

The desk is three modules: the queue (this one, which registers the admin), its decisions
(`desk_decisions`: permission, form, running them) and a target's page (`desk_target`).
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import Report, ReportReason
from ..selectors import report_queue, report_queue_details
from ..targets import USER_KIND, target_placeholder, target_preview, targets_get
from .desk_decisions import (
    DECISIONS,
    DecisionForm,
    decide_many,
    desk_permission,
    report_outcome,
    usable_targets,
)
from .desk_target import ReportTargetPages

# The width of a note's cover in the queue, in CSS pixels.
QUEUE_THUMB = 48


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
class ReportQueueAdmin(ReportTargetPages, admin.ModelAdmin):
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
            targets, skipped = usable_targets(decision, found, gone)
            outcome = decide_many(request, decision, targets, form)
            report_outcome(self, request, decision, outcome, skipped)
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
