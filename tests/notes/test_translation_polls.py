"""Polling a pending machine translation (the page's block asks again every second; API clients
after a 202) spends none of the `translations` budget, which protects provider calls: a poll
(`?poll=1`) only reads and counts in the generous `translation_polls` scope, page and API
alike, while asking for a translation still counts (429 with Retry-After past it)."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from rednote.throttling import is_poll, request_scope
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import FakeProviderServer, configure, libretranslate_answer
from translations.models import MachineTranslation

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""
    settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = 20_000


@pytest.fixture
def libretranslate_server(settings):
    """A local server speaking LibreTranslate's API, set as the site's provider."""
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**scopes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


@pytest.fixture
def reader():
    return UserFactory(handle="reader", languages=["en"], read_languages=["en"])


@pytest.fixture
def notes():
    author = UserFactory(languages=["zh-Hans"], read_languages=["zh-Hans"])
    return [
        NoteFactory(author=author, title=f"大理古城{n}", body=f"牛肉面{n}", language="zh-Hans")
        for n in range(4)
    ]


def clients(user):
    page, api = Client(), APIClient()
    page.force_login(user)
    api.force_authenticate(user)
    return page, api


def page_url(note):
    return f"/notes/{note.pk}/translation/?lang=en"


def api_url(note):
    return f"/api/v1/notes/{note.pk}/translation/?lang=en"


def test_polling_a_pending_translation_spends_none_of_the_translations_budget(
    reader, notes, rates, libretranslate_server, django_capture_on_commit_callbacks
):
    rates(translations="3/min", translation_polls="1000/min")
    page, api = clients(reader)
    # Asked for once (a worker would make it: the enqueueing callback is captured, not run).
    with django_capture_on_commit_callbacks(execute=False):
        asked = page.get(page_url(notes[0]), **HTMX)
    assert asked.status_code == 202
    html = asked.content.decode()
    assert 'data-state="pending"' in html
    assert f"{page_url(notes[0])}&amp;poll=1" in html  # the block polls with ?poll=1

    # The reader waits a long while: thirty polls, page and API.
    for _ in range(15):
        polled = page.get(f"{page_url(notes[0])}&poll=1", **HTMX)
        assert polled.status_code == 202 and 'data-state="pending"' in polled.content.decode()
        polled = api.get(f"{api_url(notes[0])}&poll=1")
        assert polled.status_code == 202 and polled["Retry-After"]
    assert libretranslate_server.texts_sent() == []  # polls never reach the provider
    assert MachineTranslation.objects.count() == 2  # the title and body asked for, once

    # Asking for the next translations still has the rest of the budget...
    with django_capture_on_commit_callbacks(execute=False):
        assert page.get(page_url(notes[1]), **HTMX).status_code == 202
        assert api.get(api_url(notes[2])).status_code == 202
    # ...and past it is a 429 with Retry-After, page and API alike.
    for response in (page.get(page_url(notes[3]), **HTMX), api.get(api_url(notes[3]))):
        assert response.status_code == 429, response.content[:200]
        assert int(response["Retry-After"]) >= 1
    assert not MachineTranslation.objects.filter(pending_text__contains="3").exists()


def test_a_poll_only_reads_and_never_asks_the_provider(
    reader, notes, libretranslate_server, django_capture_on_commit_callbacks
):
    page, api = clients(reader)
    response = api.get(f"{api_url(notes[0])}&poll=true")
    assert response.status_code == 400
    assert response.json()["errors"]["poll"]
    response = page.get(f"{page_url(notes[0])}&poll=1", **HTMX)
    assert response.status_code == 200
    assert 'data-state="unavailable"' in response.content.decode()
    assert libretranslate_server.texts_sent() == []
    assert MachineTranslation.objects.count() == 0

    # Once asked for and made (the worker's turn run at once), a poll reads the translation.
    with django_capture_on_commit_callbacks(execute=True):
        assert api.get(api_url(notes[0])).status_code == 202
    assert len(libretranslate_server.texts_sent()) == 2
    polled = api.get(f"{api_url(notes[0])}&poll=1")
    assert polled.status_code == 200 and polled.json()["body"] and polled.json()["cached"]
    polled = page.get(f"{page_url(notes[0])}&poll=1", **HTMX)
    assert 'data-state="ready"' in polled.content.decode()
    assert len(libretranslate_server.texts_sent()) == 2


def test_polls_have_their_own_limit(
    reader, notes, rates, libretranslate_server, django_capture_on_commit_callbacks
):
    rates(translations="100/min", translation_polls="2/min")
    page, api = clients(reader)
    with django_capture_on_commit_callbacks(execute=False):
        assert api.get(api_url(notes[0])).status_code == 202
        assert page.get(f"{page_url(notes[0])}&poll=1", **HTMX).status_code == 202
        assert api.get(f"{api_url(notes[0])}&poll=1").status_code == 202
        limited = api.get(f"{api_url(notes[0])}&poll=1")
        assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
        limited = page.get(f"{page_url(notes[0])}&poll=1", **HTMX)
        assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
        assert api.get(api_url(notes[1])).status_code == 202  # asking is another budget


def test_only_a_read_with_poll_is_a_poll():
    factory = RequestFactory()
    assert is_poll(factory.get("/x/?poll=1")) and is_poll(factory.get("/x/?poll=TRUE"))
    assert not is_poll(factory.get("/x/?poll=0")) and not is_poll(factory.get("/x/"))
    assert not is_poll(factory.post("/x/?poll=1"))  # "Translate thread" always counts
    assert request_scope("translations", factory.get("/x/?poll=1")) == "translation_polls"
    assert request_scope("translations", factory.get("/x/")) == "translations"
    assert request_scope("search", factory.get("/x/?poll=1")) == "search"
