"""Security headers on every page type: the Content-Security-Policy (no inline script, no eval,
frame-ancestors 'none', reports to /csp-report/), nosniff, Referrer-Policy, X-Frame-Options;
uploaded files sandboxed; HSTS in production; the violation report endpoint; and no inline
script, handler or style in the pages themselves."""

import json
import logging
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": "/csp-report/",
}


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_site_policy(response):
    policy = _policy(response)
    for directive, value in REQUIRED_DIRECTIVES.items():
        assert policy.get(directive) == [value], (directive, response["Content-Security-Policy"])
    assert "data:" in policy["img-src"] and "'self'" in policy["img-src"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# Inline code the policy would block: event handler attributes, <script> blocks other than
# json_script data (or a src), style attributes and <style> blocks, javascript: URLs.
_INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def assert_no_inline_code(html: str):
    assert not _INLINE_HANDLER.search(html), _INLINE_HANDLER.search(html).group(0)
    for match in _SCRIPT.finditer(html):
        attributes = match.group(1)
        assert "src=" in attributes or 'type="application/json"' in attributes, match.group(0)
    assert not _STYLE_ATTRIBUTE.search(html), _STYLE_ATTRIBUTE.search(html).group(0)
    assert "<style" not in html.lower()
    assert "javascript:" not in html.lower()


@pytest.fixture
def note(user):
    from notes.models import Hashtag

    note = NoteFactory(author=user, title="Dumplings #food", body="#food at home")
    note.hashtags.add(Hashtag.objects.create(name="food", display_name="food"))
    return note


def _pages(note, user):
    """(name, url, signed in) for every page type."""
    return [
        ("discover", "/", False),
        ("discover signed in", "/", True),
        ("following", "/following/", True),
        ("tag", "/tags/food/", False),
        ("note", note.get_absolute_url(), False),
        ("note signed in", note.get_absolute_url(), True),
        ("new note", "/notes/new/", True),
        ("profile", user.get_absolute_url(), False),
        ("profile signed in", user.get_absolute_url(), True),
        ("search", "/search/?q=food", False),
        ("notifications", "/notifications/", True),
        ("settings", "/settings/", True),
        ("login", reverse("account_login"), False),
        ("signup", reverse("account_signup"), False),
        ("password reset", reverse("account_reset_password"), False),
        ("admin login", "/admin/login/", False),
        ("follow requests", "/follow-requests/", True),
        ("report a note", f"/report/note/{note.pk}/", "other"),
        ("followers", f"{user.get_absolute_url()}followers/", False),
    ]


@pytest.mark.parametrize("index", range(19))
def test_every_page_type_has_the_policy_and_no_inline_code(client, note, user, index):
    name, url, signed_in = _pages(note, user)[index]
    if signed_in == "other":
        client.force_login(UserFactory())
    elif signed_in:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, name
    assert_site_policy(response)
    assert_no_inline_code(response.content.decode())


def test_the_note_overlay_fragment_has_the_policy_and_no_inline_code(client, note):
    response = client.get(note.get_absolute_url(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert_site_policy(response)
    assert_no_inline_code(response.content.decode())


def test_admin_pages_have_the_policy(admin_client, note):
    for url in (
        "/admin/",
        "/admin/dashboard/",
        "/admin/notes/note/",
        f"/admin/notes/note/{note.pk}/change/",
        "/admin/moderation/report/",
        "/admin/moderation/auditlogentry/",
        "/admin/moderation/keywordrule/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_site_policy(response)
        assert not _INLINE_HANDLER.search(response.content.decode()), url


def test_api_json_and_healthz_and_404_have_the_headers(client, note):
    for url, status in (
        ("/api/v1/feeds/discover/", 200),
        (f"/api/v1/notes/{note.pk}/", 200),
        ("/healthz/", 200),
        ("/no/such/page/", 404),
        ("/api/v1/no-such-thing/", 404),
    ):
        response = client.get(url, headers={"Accept": "application/json"})
        assert response.status_code == status, url
        assert_site_policy(response)


def test_the_browsable_api_may_style_inline_but_never_run_inline_script(client, note):
    response = client.get("/api/v1/feeds/discover/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_api_docs_load_their_script_from_a_file(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]
    for match in _SCRIPT.finditer(response.content.decode()):
        assert "src=" in match.group(1), match.group(0)


# --- Uploaded files -------------------------------------------------------------------------


def test_a_rendition_is_served_sandboxed_and_never_sniffed(client, note):
    image = note.images.get()
    response = client.get(reverse("notes:image", args=[note.pk, image.pk, "display"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = _policy(response)
    assert "sandbox" in policy
    assert policy["default-src"] == ["'none'"]


def test_the_quick_starts_media_are_served_sandboxed(client, user, settings, tmp_path):
    # /media/ is routed only under DEBUG with local storage: the view itself is what it serves.
    from rednote.security import media_serve

    (tmp_path / "avatar.webp").write_bytes(b"RIFF....WEBP")
    from django.test import RequestFactory

    request = RequestFactory().get("/media/avatar.webp")
    response = media_serve(request, "avatar.webp", document_root=str(tmp_path))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_nginx_serves_media_sandboxed_in_the_compose_stack():
    from pathlib import Path

    from django.conf import settings

    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    media = compose[compose.index("location /media/") :]
    media = media[: media.index("}")]
    assert 'add_header X-Content-Type-Options "nosniff" always' in media
    assert "add_header Content-Security-Policy \"sandbox; default-src 'none'\" always" in media


# --- HSTS and the rest in production ----------------------------------------------------------


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_SSL_REDIRECT=False,
)
def test_hsts_is_sent_over_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Never over plain HTTP, where it means nothing (and the quick start has it off).
    assert "Strict-Transport-Security" not in client.get("/")


def _settings_under(env: dict[str, str], expression: str):
    """`expression` evaluated on rednote.settings read afresh in a process with `env`."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = f"import json, rednote.settings as s; print(json.dumps({expression}))"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "AWS_"))}
    environment.update({"ENV_FILE": "", "DJANGO_SETTINGS_MODULE": "rednote.settings", **env})
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_production_settings_turn_hsts_and_secure_cookies_on():
    production = _settings_under(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60},
        "[s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']]",
    )
    assert production == [31536000, True, True, True, True, ["'self'"]]


def test_the_quick_start_has_no_hsts():
    assert _settings_under({"DEBUG": "true"}, "getattr(s, 'SECURE_HSTS_SECONDS', 0)") == 0


def test_s3_media_origins_are_allowed_for_images():
    img_src = _settings_under(
        {
            "MEDIA_STORAGE": "s3",
            "AWS_S3_ENDPOINT_URL": "https://minio.example.org:9000",
            "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
        },
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
    )
    assert "https://minio.example.org:9000" in img_src
    assert "https://media.example.org" in img_src
    assert "*" not in " ".join(img_src)
    local = _settings_under({}, "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']")
    assert local == ["'self'", "data:", "blob:"]


# --- Violation reports -------------------------------------------------------------------------


def test_a_violation_report_is_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
            "script-sample": "alert(1)",
            "original-policy": "default-src 'self'",
        }
    }
    with caplog.at_level(logging.WARNING, logger="rednote.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text and "alert(1)" in caplog.text
    assert "original-policy" not in caplog.text


def test_a_reporting_api_report_is_logged(client, caplog):
    reports = [
        {
            "type": "csp-violation",
            "body": {"documentURL": "http://testserver/", "effectiveDirective": "style-src-attr"},
        }
    ]
    with caplog.at_level(logging.WARNING, logger="rednote.csp"):
        response = client.post(
            "/csp-report/", json.dumps(reports), content_type="application/reports+json"
        )
    assert response.status_code == 204
    assert "style-src-attr" in caplog.text


def test_a_garbled_or_huge_report_is_refused_quietly(client, caplog):
    with caplog.at_level(logging.WARNING, logger="rednote.csp"):
        assert (
            client.post("/csp-report/", "{not json", content_type="text/plain").status_code == 204
        )
        big = json.dumps({"csp-report": {"blocked-uri": "x" * 20000}})
        assert client.post("/csp-report/", big, content_type="application/json").status_code == 413
        # Form bodies (parsed by the middleware before the view) are no report, and no error.
        assert client.post("/csp-report/", {"a": "b"}).status_code == 204
        form = "a=b"
        urlencoded = "application/x-www-form-urlencoded"
        assert client.post("/csp-report/", form, content_type=urlencoded).status_code == 204
    assert "CSP violation" not in caplog.text
    assert client.get("/csp-report/").status_code == 405


def test_violation_reports_are_rate_limited(client, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "csp_reports": "3/min"},
    )
    body = json.dumps({"csp-report": {"blocked-uri": "inline"}})
    statuses = [
        client.post("/csp-report/", body, content_type="application/csp-report").status_code
        for _ in range(5)
    ]
    assert statuses == [204, 204, 204, 429, 429]
    response = client.post("/csp-report/", body, content_type="application/csp-report")
    assert int(response["Retry-After"]) > 0
    # A forged X-Forwarded-For is no new client (no trusted proxy in front of the tests).
    forged = client.post(
        "/csp-report/",
        body,
        content_type="application/csp-report",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert forged.status_code == 429


def test_a_csp_report_needs_no_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = json.dumps({"csp-report": {"blocked-uri": "inline"}})
    response = client.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 204


def test_other_people_pages_have_no_inline_code(client, user):
    other = UserFactory(display_name="Mei")
    client.force_login(user)
    response = client.get(other.get_absolute_url())
    assert response.status_code == 200
    assert_no_inline_code(response.content.decode())


# --- check --deploy ------------------------------------------------------------------------------


def test_the_deploy_check_passes_on_the_projects_policy():
    from rednote.checks import content_security_policy_check

    assert content_security_policy_check() == []


def test_the_deploy_check_refuses_a_loosened_policy(settings):
    from rednote.checks import content_security_policy_check

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **directives,
            "script-src": ["'self'", "'unsafe-eval'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "frame-ancestors": ["'self'"],
        }
    }
    settings.MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'"
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "rednote.security.ContentSecurityPolicyMiddleware"
    ]
    ids = sorted(error.id for error in content_security_policy_check())
    assert ids == ["rednote.E001", "rednote.E003", "rednote.E003", "rednote.E004", "rednote.E005"]


def test_check_deploy_runs_the_policy_check():
    from django.core.checks.registry import registry

    assert any(
        check.__name__ == "content_security_policy_check"
        for check in registry.get_checks(include_deployment_checks=True)
    )
