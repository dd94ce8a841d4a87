"""Deployment checks of the browser security policy (`manage.py check --deploy`, run by
`make check` and CI): the Content-Security-Policy is installed and strict — no inline script
or style, no eval, no framing — and uploaded files are sandboxed. A setting or middleware
change that would loosen it fails the check instead of shipping."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

CSP_MIDDLEWARE = "rednote.security.ContentSecurityPolicyMiddleware"
_LOOSE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")


@register(Tags.security, deploy=True)
def content_security_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            Error(
                f"{CSP_MIDDLEWARE} is not in MIDDLEWARE: no Content-Security-Policy is sent.",
                id="rednote.E001",
            )
        )
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    for name in ("default-src", "script-src", "style-src", "object-src", "base-uri"):
        sources = directives.get(name)
        if not sources:
            errors.append(Error(f"The Content-Security-Policy has no {name}.", id="rednote.E002"))
            continue
        loose = [source for source in sources if source in _LOOSE]
        if loose:
            errors.append(
                Error(
                    f"The Content-Security-Policy's {name} allows {', '.join(loose)}.",
                    hint="Move inline code to static files (see rednote/security.py).",
                    id="rednote.E003",
                )
            )
    if directives.get("frame-ancestors") != ["'none'"]:
        errors.append(
            Error("The Content-Security-Policy must say frame-ancestors 'none'.", id="rednote.E004")
        )
    if "sandbox" not in getattr(settings, "MEDIA_CONTENT_SECURITY_POLICY", ""):
        errors.append(
            Error("MEDIA_CONTENT_SECURITY_POLICY must sandbox uploaded files.", id="rednote.E005")
        )
    return errors
