"""Settings come from the environment; each case loads them afresh in a subprocess."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = """
import importlib, json, os
before = dict(os.environ)
importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
environ_changed = sorted(
    k for k in set(os.environ) | set(before) if os.environ.get(k) != before.get(k)
)
import django
django.setup()
from django.conf import settings as s
from rednote.celery import app
print(json.dumps({
    "DEBUG": s.DEBUG,
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION"),
    "database": s.DATABASES["default"]["ENGINE"],
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "email": s.EMAIL_BACKEND,
    "verification": s.ACCOUNT_EMAIL_VERIFICATION,
    "media_storage": s.STORAGES["default"]["BACKEND"],
    "static_storage": s.STORAGES["staticfiles"]["BACKEND"],
    "ssl_redirect": getattr(s, "SECURE_SSL_REDIRECT", False),
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "link_protocol": s.ACCOUNT_DEFAULT_HTTP_PROTOCOL,
    "throttle_rates": s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "drf_num_proxies": s.REST_FRAMEWORK["NUM_PROXIES"],
    "allauth_proxy_count": s.ALLAUTH_TRUSTED_PROXY_COUNT,
    "hashers": s.PASSWORD_HASHERS,
    "media_root": str(s.MEDIA_ROOT),
    "private_media_root": str(s.PRIVATE_MEDIA_ROOT),
    "environ_changed": environ_changed,
}))
"""


def run(
    args: list[str], settings_module: str = "rednote.settings", **env: str
) -> subprocess.CompletedProcess:
    """Run Python in a fresh environment: only `env` on top of the quick start's defaults.

    Nothing is inherited from this process (CI's DATABASE_URL, pytest's markers) nor read from
    a .env file.
    """
    base = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "ENV_FILE": "",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://rednote:secret@db.example.org:5432/rednote",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    }


def probe(settings_module: str = "rednote.settings", **env: str) -> dict:
    result = run(["-c", PROBE], settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_quick_start_needs_no_services():
    loaded = probe()

    assert loaded["DEBUG"] is True
    assert loaded["database"] == "django.db.backends.sqlite3"
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["eager"] is True
    assert loaded["broker"] == "memory://"
    assert loaded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["verification"] == "optional"
    assert loaded["media_storage"] == "django.core.files.storage.FileSystemStorage"


def test_settings_redis_url_switches_cache_and_broker_and_stops_eager():
    loaded = probe(REDIS_URL="redis://127.0.0.1:6379/4")

    assert loaded["cache"] == "rednote.cache.RedisCache"
    assert loaded["cache_location"] == "redis://127.0.0.1:6379/4"
    assert loaded["broker"] == "redis://127.0.0.1:6379/4"
    assert loaded["eager"] is False


def test_settings_production_is_strict():
    loaded = probe(**production_env())

    assert loaded["DEBUG"] is False
    assert loaded["database"] == "django.db.backends.postgresql"
    assert loaded["verification"] == "mandatory"
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert loaded["ssl_redirect"] is True
    assert loaded["session_cookie_secure"] is True
    assert loaded["link_protocol"] == "https"


def test_settings_links_in_emails_follow_site_url_scheme():
    # The compose stack serves plain http://localhost: its verification links must work.
    assert probe(**production_env(), SITE_URL="http://localhost:8000")["link_protocol"] == "http"
    assert probe(**production_env(), SITE_URL="https://notes.example.org")["link_protocol"] == (
        "https"
    )


def test_settings_production_without_secret_key_refuses_to_start():
    env = production_env()
    del env["SECRET_KEY"]

    result = run(["-c", PROBE], **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_s3_media_storage():
    loaded = probe(MEDIA_STORAGE="s3", AWS_S3_ENDPOINT_URL="http://minio:9000")

    assert loaded["media_storage"] == "storages.backends.s3.S3Storage"


def test_settings_under_pytest_run_tasks_eagerly_with_fast_hashing():
    # This process: whatever DATABASE_URL/REDIS_URL say, tests run tasks in-process.
    assert settings.SETTINGS_MODULE == "tests.settings"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert str(settings.MEDIA_ROOT) != str(settings.BASE_DIR / "media")


def test_settings_have_no_test_only_branches_even_under_pytest():
    # The project's settings ignore that pytest runs them (PYTEST_VERSION, an xdist worker)
    # and never write the environment; test needs live in tests/settings.py only.
    loaded = probe(
        PYTEST_VERSION="9.2.0", PYTEST_XDIST_WORKER="gw3", REDIS_URL="redis://127.0.0.1:6379/6"
    )

    assert loaded["environ_changed"] == []
    assert loaded["cache_location"] == "redis://127.0.0.1:6379/6"
    assert loaded["eager"] is False
    assert loaded["verification"] == "optional"
    assert "MD5PasswordHasher" not in " ".join(loaded["hashers"])
    assert loaded["media_root"] == str(settings.BASE_DIR / "media")


def test_test_settings_give_each_xdist_worker_its_redis_database_and_media():
    loaded = probe(
        "tests.settings", PYTEST_XDIST_WORKER="gw3", REDIS_URL="redis://127.0.0.1:6379/6"
    )

    assert loaded["cache_location"] == "redis://127.0.0.1:6379/9"
    assert loaded["broker"] == "redis://127.0.0.1:6379/9"
    assert loaded["eager"] is True
    assert loaded["verification"] == "mandatory"
    assert "gw3" in loaded["media_root"]
    assert not loaded["media_root"].startswith(str(settings.BASE_DIR))
    assert loaded["private_media_root"].startswith(loaded["media_root"].rsplit("/", 1)[0])
    assert loaded["environ_changed"] == []


def test_test_settings_redis_database_wraps_at_sixteen():
    from tests.settings import redis_url_for_worker

    assert redis_url_for_worker("redis://h:6379/14", "gw3") == "redis://h:6379/1"
    assert redis_url_for_worker("redis://h:6379", "gw2") == "redis://h:6379/2"
    assert redis_url_for_worker("redis://h:6379/5", "") == "redis://h:6379/5"
    assert redis_url_for_worker("", "gw1") == ""


def test_settings_api_throttle_rates_override_only_the_scopes_named():
    defaults = probe()["throttle_rates"]

    rates = probe(API_THROTTLE_RATES="anon=1000/min,uploads=5/min")["throttle_rates"]

    assert rates == {**defaults, "anon": "1000/min", "uploads": "5/min"}
    assert set(defaults) >= {"anon", "user", "auth_token", "auth_signup", "uploads"}


def test_settings_trusted_proxy_count_drives_drf_and_allauth():
    default = probe()
    assert (default["drf_num_proxies"], default["allauth_proxy_count"]) == (0, 0)

    loaded = probe(TRUSTED_PROXY_COUNT="1")

    assert (loaded["drf_num_proxies"], loaded["allauth_proxy_count"]) == (1, 1)


def test_check_deploy_passes_with_production_env():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [
        ("SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
    ],
)
def test_check_deploy_catches_a_weakened_production_env(variable, value, warning):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production_env(),
        **{variable: value},
    )

    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_every_api_throttle_scope_has_a_rate():
    # A scope without a rate makes DRF raise ImproperlyConfigured on the view's first request.
    from rednote.api_urls import urlpatterns

    scopes = {
        scope
        for pattern in urlpatterns
        if (scope := getattr(getattr(pattern.callback, "view_class", None), "throttle_scope", None))
    }
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert scopes, "no API view names a throttle scope"
    assert scopes <= set(rates), scopes - set(rates)
