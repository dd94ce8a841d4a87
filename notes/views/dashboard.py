"""The community dashboard at /admin/dashboard/ (linked from the admin index)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..dashboard import DEFAULT_WINDOW, WINDOWS, dashboard_get

# Who may read it: the moderators (and superusers), as for the report queue.
DASHBOARD_PERMISSION = "moderation.view_report"


def dashboard(request: HttpRequest) -> HttpResponse:
    """Wrapped in `admin.site.admin_view` (rednote/urls.py): people who are not staff are sent
    to the admin login; staff without the permission get 403."""
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    try:
        window = int(request.GET.get("days", DEFAULT_WINDOW))
    except ValueError:
        window = DEFAULT_WINDOW
    if window not in WINDOWS:
        window = DEFAULT_WINDOW
    context = {
        **admin.site.each_context(request),
        "title": _("Community dashboard"),
        "dashboard": dashboard_get(window=window),
        "window": window,
        "windows": WINDOWS,
    }
    return render(request, "admin/dashboard.html", context)
