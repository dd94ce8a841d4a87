"""Rate limits for page views, counted exactly as the API counts them.

`rate_limited(scope)` runs the API's `ScopedRateThrottle` (`rednote.throttling`, through
`rednote.web.rate_limit_wait`) for a Django view: the scope's rate, its rules (writes only or
reads too, everyone or visitors) and its counter in the cache, keyed by the person (or, for
visitors, by `client_address`). A page and the API endpoint that do the same thing therefore
share one budget: switching between the form and the API doubles nothing. Over the limit the
view does not run, so nothing is stored, and the answer is a 429 with `Retry-After` in the
shape the caller reads (`too_many_requests`).

allauth's own limits (login, sign-up, password reset, e-mail) answer through
`too_many_requests_page`, ROOT_URLCONF's `handler429`, with a `Retry-After` of their own; the
API's sign-in and sign-up count against them too (`allauth_limit_wait`).
"""

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import get_rates
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django_htmx.http import trigger_client_event

from .api import is_api_request
from .throttling import throttled_message
from .web import is_safe_redirect, rate_limit_wait, safe_next, wants_json


def too_many_requests(
    request: HttpRequest, *, scope: str | None, wait: int, json: bool = False
) -> HttpResponse:
    """The 429 for a person past the limit of `scope`, with `Retry-After: wait`.

    A script asking for JSON (or an API path, or an endpoint that only speaks JSON: `json`)
    gets the API's error shape; htmx gets the
    sentence as text and as a `rednote:message` toast (whatever was typed stays on the page);
    a plain form post gets a page saying it, with a link back.
    """
    text = throttled_message(scope, wait)
    response: HttpResponse
    if json or wants_json(request) or is_api_request(request):
        response = JsonResponse({"detail": text, "errors": {}}, status=429)
    elif getattr(request, "htmx", None):
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
        trigger_client_event(response, "rednote:message", {"level": "error", "text": text})
    else:
        context = {"message": text, "back_url": _back_url(request)}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _back_url(request: HttpRequest) -> str:
    """Where the 429 page links back to: `next`, else the page the form was on, else home;
    each only when it is on this site."""
    referer = request.headers.get("Referer", "")
    if not is_safe_redirect(request, referer):
        referer = "/"
    return safe_next(request, referer)


def rate_limited(scope: str, *, json: bool = False) -> Callable:
    """Decorate a Django view: requests that `scope` counts (`rednote.throttling.RATE_SCOPES`)
    are counted against it before the view runs, and past the limit get `too_many_requests`
    (always JSON with `json`, for an endpoint only scripts call). Put it under
    `login_required` so a visitor sent to log in is not counted."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            wait = rate_limit_wait(request, scope=scope)
            if wait is not None:
                return too_many_requests(request, scope=scope, wait=wait, json=json)
            return view(request, *args, **kwargs)

        return limited

    return decorator


# --- allauth's limits -----------------------------------------------------------------------

# allauth's actions per page (URL name); its 429 does not say which one refused.
_ALLAUTH_ACTIONS = {
    "account_login": ("login", "login_failed"),
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password",),
    "account_reset_password_from_key": ("reset_password_from_key",),
    "account_email": ("manage_email", "confirm_email"),
    "account_change_password": ("change_password",),
    "account_set_password": ("change_password",),
    "account_reauthenticate": ("reauthenticate",),
    "account_confirm_email": ("confirm_email",),
    "account_email_verification_sent": ("confirm_email",),
    "account_request_login_code": ("request_login_code",),
}


def allauth_limit_wait(request: HttpRequest, *, action: str) -> int | None:
    """Count this request against allauth's limit `action` (its rates and counter: the API's
    sign-in and sign-up spend the same budget as allauth's forms): None when it may go on, else
    the seconds to wait."""
    if ratelimit.consume(request, action=action):
        return None
    return allauth_retry_after(request, actions=(action,))


def allauth_retry_after(request: HttpRequest, *, actions: tuple[str, ...] | None = None) -> int:
    """Seconds after which allauth's limits `actions` (default: those of this page) have
    certainly let go: the longest window among their rates (of all of allauth's rates on a page
    not known here). allauth does not say when its window frees up; this is the bound."""
    if actions is None:
        match = getattr(request, "resolver_match", None)
        actions = _ALLAUTH_ACTIONS.get(match.url_name if match else "")
    config = _allauth_rate_config()
    if actions is None:
        actions = tuple(config)
    windows = [
        rate.duration
        for action in actions
        for rate in get_rates(app="allauth.account", action=action, config=config)
    ]
    return max(1, math.ceil(max(windows, default=60)))


def _allauth_rate_config() -> dict[str, str]:
    from allauth.account import app_settings

    return {action: rates for action, rates in app_settings.RATE_LIMITS.items() if rates}


def too_many_requests_page(
    request: HttpRequest,
    exception: Exception | None = None,
    *,
    actions: tuple[str, ...] | None = None,
) -> HttpResponse:
    """ROOT_URLCONF's `handler429`, which allauth answers its rate limits with: the site's 429
    page, with `Retry-After` for allauth's `actions` (default: those of this page)."""
    wait = allauth_retry_after(request, actions=actions)
    context = {
        "message": gettext("Too many attempts in a short time; please wait a moment."),
        "back_url": _back_url(request),
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
