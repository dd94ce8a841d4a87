"""The shell's fixed parts (`{% shell_fragment %}` in base.html) are rendered once per process:
a page read after others — another path, another person, signed out, another language — is
byte for byte the page rendered afresh, and marks its own navigation entry as current."""

import re

import pytest
from django.conf import settings
from django.test import Client

from rednote.templatetags.site_nav import shell_fragments_forget
from tests.factories import NoteFactory, UserFactory
from tests.test_i18n import compiled_messages  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return _TOKEN.sub(r"\1TOKEN", response.content.decode())


def _current_entries(html: str) -> list[str]:
    return re.findall(r'aria-current="page" data-nav="(\w+)"', html)


@pytest.mark.usefixtures("compiled_messages")
def test_shell_parts_are_the_fresh_rendering_for_every_reader_and_path():
    alice, bob = UserFactory(handle="alice"), UserFactory(handle="bob")
    note = NoteFactory(author=bob)
    # A message cookie keeps the signed-out pages out of the visitors' page cache.
    visitor = Client()
    visitor.cookies["messages"] = "x"
    chinese = Client()
    chinese.cookies["messages"] = "x"
    chinese.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    readers = {"visitor": visitor, "chinese visitor": chinese}
    for person in (alice, bob):
        client = Client()
        client.force_login(person)
        readers[person.handle] = client
    paths = ["/", "/following/", "/notes/new/", "/@alice/", "/@bob/", note.get_absolute_url()]
    expected_current = {
        "/": ["discover"],
        "/following/": ["following"],
        "/notes/new/": ["post"],
        "/@alice/": ["me"],
        "/@bob/": ["me"],
    }
    for name, client in readers.items():
        for path in paths:
            if name.endswith("visitor") and path in ("/following/", "/notes/new/"):
                continue  # sign-in pages
            cached = _page(client, path)
            shell_fragments_forget()
            assert cached == _page(client, path), (name, path)
            mine = expected_current.get(path, [])
            if path.startswith("/@") and path != f"/@{name}/":
                mine = []  # someone else's profile is not "Me"
            assert _current_entries(cached) == mine, (name, path)
    assert "发现" in _page(chinese, "/") and "发现" not in _page(visitor, "/")
