"""The browser-facing security policy: the Content-Security-Policy's few exceptions, the
endpoint its violation reports go to, and the headers every uploaded file is served with.

The policy itself is `CONTENT_SECURITY_POLICY` in settings (django-csp): scripts and styles
from this site's files only. Our own pages need nothing more; two pages made by libraries do:
DRF's browsable API and the Swagger UI at /api/docs/ set a few inline `style` attributes, so
their HTML answers may use inline styles (never inline scripts).
"""

import json
import logging
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.static import serve

from rednote.web import rate_limit_wait

logger = logging.getLogger("rednote.csp")

# Paths whose HTML is a library's (DRF's browsable API, Swagger UI): inline styles allowed.
_LIBRARY_HTML_PREFIXES = ("/api/",)

# The most of a report that is read and logged: reports are small; anything bigger is noise.
_REPORT_MAX_BYTES = 16 * 1024
_REPORT_FIELDS = (
    "document-uri",
    "documentURL",
    "violated-directive",
    "effective-directive",
    "effectiveDirective",
    "blocked-uri",
    "blockedURL",
    "source-file",
    "sourceFile",
    "line-number",
    "lineNumber",
    "script-sample",
    "sample",
    "disposition",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; a library's HTML page under /api/ may use inline styles."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and request.path_info.startswith(_LIBRARY_HTML_PREFIXES)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts


def media_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Headers for an uploaded file (a photo's rendition, an avatar): never sniffed into
    another type, and were it ever opened as a document, a sandboxed one that may load and run
    nothing. django-csp keeps a policy already set."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = settings.MEDIA_CONTENT_SECURITY_POLICY
    return response


def media_serve(request: HttpRequest, path: str, document_root: Any = None) -> HttpResponseBase:
    """/media/ in the quick start (DEBUG, local storage): Django's static `serve` with the
    uploaded-file headers, as nginx adds them in the compose stack."""
    response = serve(request, path, document_root=document_root)
    media_headers(response)
    return response


def _report_summary(body: bytes) -> list[dict[str, Any]]:
    """The reports in a body: `application/csp-report` (`{"csp-report": {...}}`) or the
    Reporting API's `application/reports+json` (`[{"type": "csp-violation", "body": {...}}]`);
    only the fields worth logging, each cut short."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    if isinstance(data, dict):
        items = [data.get("csp-report")]
    elif isinstance(data, list):
        items = [item.get("body") for item in data if isinstance(item, dict)]
    else:
        items = []
    return [
        {key: str(item[key])[:300] for key in _REPORT_FIELDS if key in item}
        for item in items
        if isinstance(item, dict)
    ]


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """`POST /csp-report/`: a browser reports a Content-Security-Policy violation. Logged as a
    warning (nothing stored); counted per client like the API's visitors (`csp_reports`
    scope), so a flood costs a log line a second at most: past the limit, 429."""
    wait = rate_limit_wait(request, scope="csp_reports")
    if wait is not None:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(wait)
        return response
    body = request.read(_REPORT_MAX_BYTES + 1)
    if len(body) > _REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    for report in _report_summary(body):
        logger.warning("CSP violation: %s", json.dumps(report, sort_keys=True))
    return HttpResponse(status=204)
