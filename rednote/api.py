"""Shared API plumbing: one error shape for every endpoint.

Every error is `{"detail": <sentence>, "errors": {<field>: [<message>, ...]}}`; `errors` is empty
when the problem is not about a field. Django `ValidationError`s raised by services become 400s
naming their fields, so a service validates once for the form and the API alike. The same shape
answers a path under /api/ that matches no route, a JSON body nested too deep to parse, and a
request that finds the cache (Redis) down: 404, 400 and 503, never Django's HTML pages.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .throttling import throttled_message

API_PREFIX = "/api/"
# Seconds a client should wait before retrying when a backing service is down.
SERVICE_UNAVAILABLE_RETRY_AFTER = 30

# The body of every error response, for the OpenAPI schema.
ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(
            help_text=gettext_lazy("One sentence describing the problem.")
        ),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text=gettext_lazy(
                "Messages per input field; empty when the problem is not about a field."
            ),
        ),
    },
)


_ERROR_DESCRIPTIONS = {
    400: gettext_lazy("Invalid input: `errors` names each field and what is wrong with it."),
    401: gettext_lazy("Not signed in: send `Authorization: Token <token>` or a session cookie."),
    403: gettext_lazy("Not allowed (or the CSRF token is missing for a session request)."),
    404: gettext_lazy("No such resource."),
    429: gettext_lazy("Too many requests; retry after the `Retry-After` header's seconds."),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error responses an endpoint can give, for `extend_schema`."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in codes
    }


def document_common_errors(result: dict[str, Any], generator: Any, request: Any, public: bool):
    """drf-spectacular post-processing hook: errors any operation with a body can give.

    DRF answers 415 to a body whose Content-Type no parser of the view reads (none at all, or
    JSON sent to an upload); say so once here rather than on every view.
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "415",
                    {
                        "description": str(
                            _("The body's Content-Type is not one this operation reads.")
                        ),
                        "content": error,
                    },
                )
    return result


def _as_list(value) -> list[str]:
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_as_list(item))
        return out
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _as_list(v)]
    return [str(value)]


def django_validation_error_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {
                field: [str(m) for e in errs for m in e.messages]
                for field, errs in error.error_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": error.messages})


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error_response(
    status_code: int, detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """An error in the API's shape, for code that runs outside DRF (middleware, URL fallback)."""
    return JsonResponse({"detail": detail, "errors": errors or {}}, status=status_code)


@csrf_exempt  # answers every method with a 404: a CSRF 403 page would hide that
def api_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """A path under /api/ that matches no route: the API's JSON 404, not the site's page."""
    return api_error_response(404, str(exceptions.NotFound.default_detail))


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("The service is briefly unavailable; try again shortly.")
    default_code = "service_unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RedisConnectionError | RedisTimeoutError):
        # Redis is down: the throttle counters (checked before the view runs) or the cache
        # cannot be reached. Tell the client when to retry rather than answer a 500.
        exc = ServiceUnavailable()
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_error_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    elif isinstance(exc, exceptions.Throttled):
        # A scope that refused (rednote.throttling.ScopedRateThrottle) says so in its words.
        scope = getattr(context.get("view"), "throttled_scope", None)
        wait = getattr(exc, "wait", None)  # always set by DRF; not in its type stubs
        if scope and wait is not None:
            exc = exceptions.Throttled(wait, detail=throttled_message(scope, int(wait)))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(SERVICE_UNAVAILABLE_RETRY_AFTER)

    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            errors = {field: _as_list(messages) for field, messages in data.items()}
        else:
            errors = {"non_field_errors": _as_list(data)}
        fields = [f for f in errors if f != "non_field_errors"]
        if fields:
            detail = _("Invalid input: %(fields)s.") % {"fields": ", ".join(fields)}
        else:
            detail = errors["non_field_errors"][0]
        response.data = {"detail": detail, "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else _as_list(data)[0]
        response.data = {"detail": str(detail), "errors": {}}
    return response
