"""Refuse control characters in the path, the query and form fields before any view runs.

PostgreSQL cannot store or even compare a string holding NUL, so a `%00` that reached a query
(`/tags/%00/`, `?q=%00`) was a 500. No handle, tag, search or cursor ever contains a control
character, so such a request is refused at the door: a path with one names nothing (404), a
query or form field with one is bad input (400). Tab, line feed and carriage return stay
allowed in the query and form fields, where multi-line text is legitimate.
"""

import re
from collections.abc import Callable

from django.contrib.messages.middleware import MessageMiddleware
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from rednote.api import api_error_response, api_not_found, is_api_request

# Unicode category Cc: C0 controls, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _fields_with_control_characters(data: QueryDict) -> set[str]:
    """The names of the fields holding a control character ("?" for a name that holds one)."""
    return {
        key if not _CONTROL.search(key) else "?"
        for key, values in data.lists()
        if _CONTROL.search(key) or any(_CONTROL_IN_TEXT.search(v) for v in values)
    }


class ControlCharacterMiddleware:
    """404 for a control character in the path, 400 for one in the query or a form field.

    API requests get the API's JSON error shape; pages get the site's 404/400 pages. Multipart
    bodies are left to the forms and serializers, which refuse NUL themselves and must not be
    parsed before a view chooses its upload handlers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _CONTROL.search(request.path_info):
            if is_api_request(request):
                return api_not_found(request)
            raise Http404

        found = _fields_with_control_characters(request.GET)
        if request.method == "POST" and request.content_type == _FORM_CONTENT_TYPE:
            found |= _fields_with_control_characters(request.POST)
        if found:
            fields = sorted(found)
            message = _("Control characters are not allowed.")
            if is_api_request(request):
                return api_error_response(
                    400,
                    _("Invalid input: %(fields)s.") % {"fields": ", ".join(fields)},
                    {field: [message] for field in fields},
                )
            return bad_request(request, exception=SuspiciousOperation(message))
        return self.get_response(request)


# --- Middleware that only pages need ---------------------------------------------------------

_READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


def api_read(request: HttpRequest) -> bool:
    """A read of the API (`GET`, `HEAD`, `OPTIONS` under `/api/`): no page, no sign-in."""
    return request.method in _READ_METHODS and is_api_request(request)


class PageMessageMiddleware(MessageMiddleware):
    """Django's flash messages, except on API reads, which neither show nor queue any (the
    API signs in and up by POST, where allauth's messages are queued and kept as before; the
    browsable API's context has no messages then, as for any request without them). Saves
    building the message storage (cookie and session backends) on every API read; Django's
    `process_response` already passes a request without storage by."""

    def process_request(self, request: HttpRequest) -> None:
        if not api_read(request):
            super().process_request(request)
