"""Reporting from the site: `/report/note/<id>/`, `/report/comment/<id>/`, `/report/user/<handle>/`.

Opened from a note's, a comment's or a profile's "Report" link: with htmx the form arrives as a
dialog and is answered in place; without JavaScript it is a page of its own, posted back to
itself. Either way the confirmation ("Thanks — the moderators will look at it") replaces the
form. The same getter, service and rate as `POST /api/v1/reports/` (`moderation.api`).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rednote.ratelimits import too_many_requests
from rednote.web import login_redirect, rate_limit_wait

from .models import REPORT_TEXT_MAX_LENGTH, ReportReason
from .services.reports import REPORTS_THROTTLE_SCOPE, report_create
from .targets import USER_KIND, target_get_visible


def _target_url(target) -> str:
    return target.get_absolute_url()


@require_http_methods(["GET", "POST"])
def report(
    request: HttpRequest, kind: str, target_id: int | None = None, handle: str = ""
) -> HttpResponse:
    """The report form for a target the person may see (404 otherwise), and filing it."""
    target = target_get_visible(viewer=request.user, kind=kind, target_id=target_id, handle=handle)
    if not request.user.is_authenticated:
        return login_redirect(request, request.get_full_path())
    form = {
        "reason": request.POST.get("reason", ""),
        "text": request.POST.get("text", ""),
        "errors": {},
    }
    context = {
        "kind": kind,
        "target": target,
        "target_url": _target_url(target),
        "is_person": kind == USER_KIND,
        "reasons": ReportReason.choices,
        "form": form,
        "text_max_length": REPORT_TEXT_MAX_LENGTH,
        "in_dialog": bool(request.htmx),
        "action_url": request.path,
    }
    status = 200
    if request.method == "POST":
        wait = rate_limit_wait(request, scope=REPORTS_THROTTLE_SCOPE)
        if wait is not None:  # nothing stored: the site's 429 (a toast for htmx)
            return too_many_requests(request, scope=REPORTS_THROTTLE_SCOPE, wait=wait)
        try:
            report_create(
                reporter=request.user, target=target, reason=form["reason"], text=form["text"]
            )
        except ValidationError as exc:
            form["errors"] = _errors_by_field(exc)
            status = 400
        else:
            template = "moderation/_report_done.html" if request.htmx else "moderation/report.html"
            return render(request, template, {**context, "done": True})
    return _render(request, context, status=status)


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("general" if field == "target" else field): [m for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    return {"general": error.messages}


def _render(request: HttpRequest, context: dict, *, status: int) -> HttpResponse:
    if not request.htmx:
        return render(request, "moderation/report.html", context, status=status)
    if request.method == "POST":
        # htmx swaps only a 2xx: the form comes back with its errors as a 200 (the comment
        # form does the same).
        return render(request, "moderation/_report_form.html", context)
    return render(request, "moderation/_report_dialog.html", context)
