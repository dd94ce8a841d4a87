"""Web views for account control: asking for and downloading a data export, and closing the
account. Thin: they call `accounts.services.exports` / `.deletion` and the export selectors.
"""

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rednote.security import media_headers

from . import selectors
from .services.deletion import account_delete
from .services.exports import ExportThrottled, data_export_request
from .views import _settings_page as settings_page


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """POST /settings/export/: ask for an archive; the settings page shows how it goes. A
    refusal re-renders the settings page with the reason: 400 while one is being prepared,
    429 with Retry-After over the limit."""
    try:
        data_export_request(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.message_dict.get("export", exc.messages)))
        return settings_page(request, status=400)
    except ExportThrottled as exc:
        messages.error(request, str(exc))
        response = settings_page(request, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    messages.success(
        request, gettext("We are preparing your archive. We will tell you when it is ready.")
    )
    return redirect(reverse("accounts:settings") + "#export")


def export_file_response(export) -> HttpResponse:
    """The archive as a download; a private, never-cached response."""
    filename = export.archive.name.rsplit("/", 1)[-1]
    response = FileResponse(export.archive.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    media_headers(response)  # an uploaded-file download: nosniff and a sandboxing policy
    return response


@never_cache
@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    """GET /settings/export/<id>/download/: the owner's archive; 404 for anyone else, 410 once
    expired (or deleted)."""
    export = selectors.data_export_get_own(user=request.user, export_id=export_id)
    if not export.is_downloadable:
        return render(request, "accounts/export_gone.html", {"export": export}, status=410)
    return export_file_response(export)


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account, notes, comments and photos will be deleted for good."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """`/settings/delete/`: after re-entering the password (allauth's reauthentication, within
    ACCOUNT_REAUTHENTICATION_TIMEOUT), a confirmation closes the account at once."""
    if request.method != "POST":
        return render(request, "accounts/delete.html", {"form": AccountDeleteForm()})
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    account_delete(user=request.user)
    logout(request)
    messages.success(request, gettext("Your account is closed and your content is being deleted."))
    return redirect("/")
