"""Helpers every app's web views share: where to go back to, the login detour, how a service's
refusal is shown, how form errors travel as JSON, and the API's rate limits applied to a page
endpoint (`rate_limit_wait`; the decorator and the 429s are `rednote.ratelimits`).

Services raise Django `ValidationError`s keyed by field; forms put them back on their fields with
`ServiceErrorsMixin.add_service_errors`, so a page, a script asking for JSON and the API
(`rednote.api`) all show the same messages.
"""

import logging
import math
from types import SimpleNamespace
from typing import TYPE_CHECKING, ClassVar, cast
from urllib.parse import unquote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event
from redis.exceptions import RedisError
from rest_framework.request import Request

from .throttling import ScopedRateThrottle

logger = logging.getLogger(__name__)

# --- Where to go ---------------------------------------------------------------------------


def next_page_url(request: HttpRequest, cursor: str | None) -> str | None:
    """This page's address with `cursor` for the next page (its other parameters kept), or
    None when there is no next page."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


def invalid_cursor_response() -> HttpResponse:
    """A page link whose cursor this site did not make (`rednote.cursors.InvalidCursor`)."""
    return HttpResponseBadRequest(
        gettext("This page link is not valid; start again from the first page."),
        content_type="text/plain; charset=utf-8",
    )


def is_safe_redirect(request: HttpRequest, url: str | None) -> bool:
    """Whether `url` may be redirected to: a path on this site, or an absolute address on this
    very host (https when the request came over https). The one test every `next`, allauth's
    and the language switcher's included, goes through.

    Django's `url_has_allowed_host_and_scheme` refuses `//evil.tld`, `/\\evil.tld`,
    `javascript:`, other schemes and hosts, and control characters. On top of it: a backslash
    anywhere is refused (browsers read it as a slash; nothing of ours has one), and so is a
    URL whose percent-decoded form would be refused (`/%2F%2Fevil.tld`, `%2F%2Fevil.tld`):
    such a link is never one this site made, and a proxy or a script that decodes it once
    would send the person elsewhere.
    """
    if not url:
        return False
    decoded = unquote(url)
    if "\\" in url or "\\" in decoded:
        return False
    return all(
        url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        for candidate in {url, decoded}
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to after an action: `next` (posted, else in the query), else the page
    htmx sent the request from — each only when it stays on this site — else `default`."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    htmx = getattr(request, "htmx", None)
    if htmx:
        candidates.append(htmx.current_url_abs_path)
    for url in candidates:
        if url and is_safe_redirect(request, url):
            return url
    return default


def login_redirect(request: HttpRequest, next_url: str) -> HttpResponse:
    """Send an anonymous visitor to log in and come back to `next_url` (which the caller has
    made safe); for htmx a client-side redirect, since a swapped-in login page helps nobody."""
    login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
    return HttpResponseClientRedirect(login) if getattr(request, "htmx", None) else redirect(login)


def service_refusal(request: HttpRequest, error: ValidationError, back: str) -> HttpResponse:
    """A service said no to an action: for htmx a 400 whose text is also raised as a
    `rednote:message` toast; otherwise an error message and a redirect to `back`."""
    text = " ".join(error.messages)
    if getattr(request, "htmx", None):
        response = HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
        return trigger_client_event(response, "rednote:message", {"level": "error", "text": text})
    messages.error(request, text)
    return redirect(back)


# --- Rate limits ---------------------------------------------------------------------------


def rate_limit_wait(request: HttpRequest, *, scope: str) -> int | None:
    """Count this request against the API throttle `scope`, when the scope counts it (its
    methods, its people: `rednote.throttling.RATE_SCOPES`), and say whether it may go on: None,
    or the seconds to wait. Pages use it through `rednote.ratelimits.rate_limited`.

    It is the API's `ScopedRateThrottle` itself — the rate of `scope` in the API's throttle
    rates, counted in the cache under the same key (the person, or for a visitor
    `client_address`) — so a page endpoint and the API endpoint that do the same thing share
    one budget. A cache that cannot be reached lets the request through (logged): a limit that
    cannot be counted is no reason to refuse a write.
    """
    throttle = ScopedRateThrottle()
    view = SimpleNamespace(throttle_scope=scope)
    try:
        # The throttle reads only `method`, `user` and `META`, which a Django request has too.
        allowed = throttle.allow_request(cast(Request, request), view)
    except RedisError:
        logger.warning("rate limit %r not counted: the cache is unreachable", scope, exc_info=True)
        return None
    if allowed:
        return None
    return max(1, math.ceil(throttle.wait() or 0))


# --- Forms ---------------------------------------------------------------------------------


def wants_json(request: HttpRequest) -> bool:
    """The page's script asked for JSON (`Accept: application/json`) instead of a page."""
    return "application/json" in request.headers.get("Accept", "")


def form_errors_json(form: forms.BaseForm, status: int = 400) -> JsonResponse:
    """A form's errors in the API's error shape: `{"detail": <first message>, "errors":
    {<field>: [<message>, ...]}}` (errors above the form under `__all__`)."""
    errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
    first = next(iter(errors.values()), [gettext("Please check the form.")])
    return JsonResponse({"detail": first[0], "errors": errors}, status=status)


# The mixin goes before a form class; to the type checker it is one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class ServiceErrorsMixin(_FormBase):
    """For forms: put a service's ValidationError on the fields it names.

    `service_field_aliases` maps a service's field name to the form field that shows it (e.g.
    the service's `media_ids` to the form's `photos`). Errors about a field the form does not
    show go above the form, as their messages alone (each names its problem).
    """

    service_field_aliases: ClassVar[dict[str, str]] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.service_field_aliases.get(name, name)
            if field in self.fields:
                self.add_error(field, errors)
            else:
                self.add_error(None, [ValidationError(m) for e in errors for m in e.messages])
