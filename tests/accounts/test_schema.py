"""The accounts API's schema says what its data can be: a missing avatar is a null
`avatar_url`, and "Automatic" is an empty `ui_language`."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def components(db) -> dict:
    response = APIClient().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()["components"]["schemas"]


def _resolve(components: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    return components[ref.rsplit("/", 1)[-1]] if ref else schema


def _allowed_values(components: dict, schema: dict) -> set:
    options = schema.get("oneOf") or [schema]
    return {value for option in options for value in _resolve(components, option)["enum"]}


@pytest.mark.parametrize("component", ["UserPrivate", "UserPublic", "UserCard"])
def test_avatar_url_is_nullable(components, component):
    avatar_url = components[component]["properties"]["avatar_url"]

    assert avatar_url["nullable"] is True
    assert avatar_url["format"] == "uri"


def test_private_profile_data_agrees_with_the_schema(components, user):
    # A new account: no photo, interface language "Automatic".
    api = APIClient()
    api.force_authenticate(user)
    me = api.get(reverse("api:me")).json()
    properties = components["UserPrivate"]["properties"]

    assert me["avatar_url"] is None and properties["avatar_url"]["nullable"]
    assert me["ui_language"] == ""
    assert _allowed_values(components, properties["ui_language"]) == {"", "en", "zh-hans"}


def test_sign_up_answer_is_described(components):
    accepted = components["SignupAccepted"]

    assert set(accepted["properties"]) == {"detail", "email"}
