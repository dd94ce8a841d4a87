"""The web helpers every app's views share (rednote/web.py)."""

import json

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from rednote.web import (
    ServiceErrorsMixin,
    form_errors_json,
    login_redirect,
    safe_next,
    service_refusal,
    wants_json,
)


def _request(method="get", path="/", data=None, htmx_from=None, **headers):
    if htmx_from is not None:
        headers["HTTP_HX_REQUEST"] = "true"
        headers["HTTP_HX_CURRENT_URL"] = htmx_from
    request = getattr(RequestFactory(), method)(path, data or {}, **headers)
    request.htmx = HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    ("method", "data", "htmx_from", "expected"),
    [
        ("post", {"next": "/notes/7/"}, None, "/notes/7/"),
        ("get", {"next": "/tags/cats/"}, None, "/tags/cats/"),
        ("post", {}, "http://testserver/@alice/", "/@alice/"),
        ("post", {"next": "https://evil.example/"}, None, "/default/"),
        ("post", {"next": "//evil.example/x"}, None, "/default/"),
        ("post", {}, "https://evil.example/page", "/default/"),
        ("post", {}, None, "/default/"),
    ],
)
def test_safe_next_stays_on_this_site(method, data, htmx_from, expected):
    request = _request(method, data=data, htmx_from=htmx_from)

    assert safe_next(request, "/default/") == expected


def test_login_redirect_plain_and_htmx():
    plain = login_redirect(_request(), "/notes/7/")
    htmx = login_redirect(_request(htmx_from="http://testserver/"), "/notes/7/")

    assert plain.status_code == 302
    assert plain["Location"] == "/accounts/login/?next=%2Fnotes%2F7%2F"
    assert htmx["HX-Redirect"] == "/accounts/login/?next=%2Fnotes%2F7%2F"


def test_service_refusal_is_a_toast_for_htmx_and_a_message_otherwise():
    error = ValidationError({"board": ["The Saved board cannot be deleted."]})
    htmx = service_refusal(_request("post", htmx_from="http://testserver/"), error, "/back/")
    plain_request = _request("post")
    plain = service_refusal(plain_request, error, "/back/")

    assert htmx.status_code == 400
    assert htmx.content.decode() == "The Saved board cannot be deleted."
    trigger = json.loads(htmx["HX-Trigger"])
    assert trigger["rednote:message"]["text"] == "The Saved board cannot be deleted."
    assert plain.status_code == 302 and plain["Location"] == "/back/"
    assert [str(m) for m in plain_request._messages] == ["The Saved board cannot be deleted."]


def test_wants_json_reads_the_accept_header():
    assert wants_json(_request(HTTP_ACCEPT="application/json"))
    assert not wants_json(_request(HTTP_ACCEPT="text/html"))


class _PhotoForm(ServiceErrorsMixin, forms.Form):
    service_field_aliases = {"media_ids": "photos"}

    title = forms.CharField(required=False)
    photos = forms.CharField(required=False)


def _valid_form() -> _PhotoForm:
    form = _PhotoForm({"title": "t", "photos": "p"})
    assert form.is_valid()
    return form


def test_service_errors_land_on_fields_aliases_and_above_the_form():
    form = _valid_form()

    form.add_service_errors(
        ValidationError(
            {
                "title": ["The title is too long."],
                "media_ids": ["Add at least one photo."],
                "language": ["Unknown language."],
            }
        )
    )

    assert form.errors["title"] == ["The title is too long."]
    assert form.errors["photos"] == ["Add at least one photo."]
    assert form.non_field_errors() == ["Unknown language."]
    assert "title" not in form.cleaned_data


def test_service_error_without_fields_goes_above_the_form():
    form = _valid_form()

    form.add_service_errors(ValidationError("Try again later."))

    assert form.non_field_errors() == ["Try again later."]


def test_form_errors_json_has_the_api_error_shape():
    form = _valid_form()
    form.add_service_errors(ValidationError({"media_ids": ["Add at least one photo."]}))

    response = form_errors_json(form)

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "Add at least one photo.",
        "errors": {"photos": ["Add at least one photo."]},
    }
