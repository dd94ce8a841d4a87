"""Every API error has one shape: {"detail": <sentence>, "errors": {<field>: [<message>]}}."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from rest_framework import exceptions, status

from rednote.api import exception_handler


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


# --- The handler itself -------------------------------------------------------------------


def test_exception_handler_django_validation_error_by_field():
    exc = DjangoValidationError(
        {"handle": ["This handle is already taken."], "email": ["Enter a valid e-mail address."]}
    )

    code, data = handle(exc)

    assert code == 400
    assert data["errors"] == {
        "handle": ["This handle is already taken."],
        "email": ["Enter a valid e-mail address."],
    }
    assert data["detail"] == "Invalid input: handle, email."


def test_exception_handler_django_validation_error_with_params():
    exc = DjangoValidationError(
        {
            "languages": [
                DjangoValidationError("Unknown language: %(codes)s.", params={"codes": "xx"})
            ]
        }
    )

    code, data = handle(exc)

    assert (code, data["errors"]) == (400, {"languages": ["Unknown language: xx."]})


def test_exception_handler_django_validation_error_without_field():
    code, data = handle(DjangoValidationError("Something is off."))

    assert code == 400
    assert data == {
        "detail": "Something is off.",
        "errors": {"non_field_errors": ["Something is off."]},
    }


def test_exception_handler_drf_validation_error_nested_lists_flattened():
    exc = exceptions.ValidationError({"languages": {0: ["Not a valid string."]}})

    code, data = handle(exc)

    assert code == 400
    assert data["errors"] == {"languages": ["0: Not a valid string."]}


def test_exception_handler_drf_validation_error_list_is_non_field():
    code, data = handle(exceptions.ValidationError(["Bad thing."]))

    assert (code, data) == (
        400,
        {"detail": "Bad thing.", "errors": {"non_field_errors": ["Bad thing."]}},
    )


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (Http404("No such user."), status.HTTP_404_NOT_FOUND),
        (PermissionDenied(), status.HTTP_403_FORBIDDEN),
        (exceptions.NotAuthenticated(), status.HTTP_401_UNAUTHORIZED),
        (exceptions.MethodNotAllowed("PUT"), status.HTTP_405_METHOD_NOT_ALLOWED),
        (exceptions.Throttled(wait=30), status.HTTP_429_TOO_MANY_REQUESTS),
        (exceptions.ParseError(), status.HTTP_400_BAD_REQUEST),
    ],
)
def test_exception_handler_other_errors_have_detail_and_no_fields(exc, expected):
    code, data = handle(exc)

    assert code == expected
    assert set(data) == {"detail", "errors"}
    assert data["errors"] == {}
    assert isinstance(data["detail"], str) and data["detail"]


def test_exception_handler_leaves_unexpected_errors_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None


# --- Over HTTP ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_unknown_user_404_json(api_client):
    response = api_client.get(reverse("api:user-detail", kwargs={"handle": "nobody"}))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


@pytest.mark.django_db
def test_api_anonymous_401_with_challenge(api_client):
    response = api_client.get(reverse("api:me"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"] == {}


@pytest.mark.django_db
def test_api_malformed_json_400(auth_api_client):
    response = auth_api_client.patch(
        reverse("api:me"), data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {}
    assert "JSON" in body["detail"]


@pytest.mark.django_db
def test_api_unsupported_media_type_415(auth_api_client):
    response = auth_api_client.patch(reverse("api:me"), data="bio=x", content_type="text/plain")

    assert response.status_code == 415
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_api_method_not_allowed_405(auth_api_client):
    response = auth_api_client.put(reverse("api:me"), {"bio": "x"}, format="json")

    assert response.status_code == 405
    assert response.json()["errors"] == {}


@pytest.mark.django_db
def test_api_service_validation_error_names_field(auth_api_client, user):
    response = auth_api_client.patch(reverse("api:me"), {"languages": ["xx"]}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["languages"]
    assert "xx" in body["errors"]["languages"][0]
    assert body["detail"] == "Invalid input: languages."


@pytest.mark.django_db
def test_api_throttled_429_with_retry_after(api_client, user):
    url = reverse("api:auth-token")
    for i in range(10):
        api_client.post(url, {"username": f"nobody{i}", "password": "nope"}, format="json")

    response = api_client.post(url, {"username": "alice", "password": "nope"}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"] == {}


@pytest.mark.django_db
def test_api_errors_follow_the_interface_language(api_client):
    response = api_client.get(
        reverse("api:user-detail", kwargs={"handle": "nobody"}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 404
    assert response.json()["detail"] != "Not found."


def test_schema_documents_415_for_every_operation_with_a_body(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operations = [
        operation
        for path_item in schema["paths"].values()
        for operation in path_item.values()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert operations
    for operation in operations:
        error = operation["responses"]["415"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/Error"}
    assert "Error" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_api_body_without_content_type_is_json_415(auth_api_client):
    response = auth_api_client.generic("POST", "/api/v1/me/avatar/", b"x=1", content_type="")

    assert response.status_code == 415
    assert response.json()["errors"] == {}
