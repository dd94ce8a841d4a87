"""The yardstick of `bench/feeds.py`: the smallest Django site that answers each measured path
with the bytes the project answered it with, captured just before (`BENCH_STATIC_DIR/index.json`
maps a path to a body file and a content type). No middleware, no database, one URL pattern.

Served by gunicorn with the same worker count as the project: `gunicorn static_site:application`
(with `--pythonpath bench`).
"""

import json
import os
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import Http404, HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-static",  # noqa: S106 - a throw-away site that serves fixed bytes
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()

_DIR = Path(os.environ["BENCH_STATIC_DIR"])
_PAGES = {
    path: ((_DIR / entry["file"]).read_bytes(), entry["content_type"])
    for path, entry in json.loads((_DIR / "index.json").read_text()).items()
}


def captured(request, rest=""):
    """The captured bytes of this path (query string included), as the project sent them."""
    page = _PAGES.get(request.get_full_path())
    if page is None:
        raise Http404
    body, content_type = page
    return HttpResponse(body, content_type=content_type)


urlpatterns = [re_path(r"^(?P<rest>.*)$", captured)]
application = get_wsgi_application()
