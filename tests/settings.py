"""Settings for the test suite: the project's settings, plus what tests need.

pytest reads this module (DJANGO_SETTINGS_MODULE in pyproject.toml). DATABASE_URL and
REDIS_URL still come from the environment (CI sets them; without them SQLite and no Redis).
On top of that, tests get fast password hashing, tasks run in-process (a test that wants a
real worker switches eager mode off itself), mandatory e-mail verification as in production,
static files served from the apps, and, per process, scratch media directories and, under
pytest-xdist, a Redis database of their own.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rednote.settings import *  # noqa: F403
from rednote.settings import CACHES, REDIS_URL, STORAGES

TESTING = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

# Tests run with DEBUG off and no collectstatic: serve static files from the apps.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# pytest-xdist names its workers gw0, gw1...; the main process (or a plain run) has none.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

# Media: a throw-away directory per process, never the quick start's media. Each xdist worker
# is its own process, so parallel workers never wipe each other's files.
_scratch = Path(tempfile.mkdtemp(prefix=f"rednote-test-{XDIST_WORKER or 'main'}-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
MEDIA_ROOT = _scratch / "media"
PRIVATE_MEDIA_ROOT = _scratch / "var" / "private"
MEDIA_STORAGE = "local"
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis database of one xdist worker: base database + worker number, mod 16.

    Tests flush their database; parallel workers sharing one would flush each other's feeds,
    cache and queues mid-test.
    """
    if not (url and worker.startswith("gw")):
        return url
    parts = urlsplit(url)
    base_db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base_db + int(worker[2:])) % 16}"))


if REDIS_URL:
    _base_redis_url = REDIS_URL
    REDIS_URL = redis_url_for_worker(REDIS_URL, XDIST_WORKER)
    # Every setting that pointed at the base database follows it (broker, feeds, cache).
    for _name, _value in list(globals().items()):
        if _name.isupper() and _value == _base_redis_url:
            globals()[_name] = REDIS_URL
    CACHES = {alias: dict(cache) for alias, cache in CACHES.items()}
    for _cache in CACHES.values():
        if _cache.get("LOCATION") == _base_redis_url:
            _cache["LOCATION"] = REDIS_URL
