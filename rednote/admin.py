"""The admin site: Django's, with its login rate-limited exactly as the site's own.

The login form checks the password through allauth's adapter (`authenticate`), so failed
attempts count against allauth's `login_failed` limit — per client address and per handle,
the very counters of the site's login form and of the API's sign-in: trying passwords on one
of them does not reset the others. Every login POST also counts against allauth's `login`
limit (per address). Past either, the answer is a 429 with `Retry-After` and nobody is signed
in. It is the default site (`rednote.apps.AdminConfig`), so `admin.site` is this one.
"""

from allauth.account.adapter import get_adapter
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from .ratelimits import allauth_limit_wait, allauth_retry_after, too_many_requests_page


class AdminLoginForm(AdminAuthenticationForm):
    """Django's admin login form, with the password checked by allauth's adapter (its
    failed-login limit). `rate_limited` tells the view that the limit refused the attempt."""

    rate_limited = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = get_adapter(self.request).authenticate(
                    self.request, username=username, password=password
                )
            except ValidationError:  # allauth's "too many failed login attempts"
                self.rate_limited = True
                raise
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.method == "POST" and allauth_limit_wait(request, action="login") is not None:
            return too_many_requests_page(request, actions=("login",))
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if getattr(form, "rate_limited", False):
            response.status_code = 429
            wait = allauth_retry_after(request, actions=("login_failed",))
            response["Retry-After"] = str(wait)
        return response
