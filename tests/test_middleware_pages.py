"""Middleware only pages need, skipped on API reads (`rednote.middleware.api_read`)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse

from rednote.middleware import PageMessageMiddleware, api_read


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/notes/", True),
        ("head", "/api/v1/notes/6/", True),
        ("options", "/api/v1/feeds/home/", True),
        ("post", "/api/v1/auth/token/", False),  # allauth queues its messages here
        ("delete", "/api/v1/notes/6/like/", False),
        ("get", "/", False),
        ("get", "/notes/6/", False),
        ("get", "/apiary/", False),
    ],
)
def test_api_read_is_a_safe_method_under_the_api(rf, method, path, expected):
    assert api_read(getattr(rf, method)(path)) is expected


def test_message_storage_is_made_for_pages_and_api_writes_not_api_reads(rf):
    middleware = PageMessageMiddleware(lambda request: HttpResponse())
    for request, made in (
        (rf.get("/api/v1/notes/"), False),
        (rf.post("/api/v1/auth/token/"), True),
        (rf.get("/"), True),
    ):
        request.session = {}
        middleware(request)
        assert hasattr(request, "_messages") is made


def _messages_cookie(rf, text: str) -> str:
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


@pytest.mark.django_db
def test_a_queued_message_survives_an_api_read_and_shows_on_the_next_page(client, rf):
    client.cookies[CookieStorage.cookie_name] = _messages_cookie(rf, "Board saved.")
    response = client.get("/api/v1/notes/")
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "_messages")
    assert CookieStorage.cookie_name not in response.cookies  # neither read nor cleared
    page = client.get("/")
    assert hasattr(page.wsgi_request, "_messages")
    assert "Board saved." in page.content.decode()
    assert client.cookies[CookieStorage.cookie_name].value == ""  # shown, so cleared
