"""allauth's login page, answering its failed-login limit as every other limit is answered.

Past allauth's `login_failed` limit (per address, and per handle or e-mail) its form says "Too
many failed login attempts" with a 200. Here that answer is a 429 with `Retry-After`, like
allauth's other limits, the API's sign-in and the admin login, which count against the same
counters (`rednote.admin`, `accounts.api.TokenObtainApi`).
"""

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter

from rednote.ratelimits import allauth_retry_after


class LoginView(allauth_views.LoginView):
    def form_invalid(self, form):
        response = super().form_invalid(form)
        limited = str(get_adapter(self.request).error_messages["too_many_login_attempts"])
        if limited in form.non_field_errors():
            response.status_code = 429
            wait = allauth_retry_after(self.request, actions=("login_failed",))
            response["Retry-After"] = str(wait)
        return response


login = LoginView.as_view()
