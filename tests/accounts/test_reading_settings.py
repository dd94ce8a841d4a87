"""The reader's reading-aids settings: "Reading aids" (on for the languages I'm learning, or
off) and "Languages I'm learning", on the settings page and `GET/PATCH /api/v1/me/`; bad values
are refused naming the field and nothing is stored; both are in the data export."""

import json

import pytest
from django.urls import reverse

from accounts.services.exports import accounts_export

pytestmark = pytest.mark.django_db


class _NoFiles:
    def add_file(self, arcname, *, storage, name) -> bool:
        return False


def _form(user, **changes) -> dict:
    """The settings form as the page sends it for `user`, with `changes`."""
    form = {
        "display_name": user.display_name,
        "handle": user.handle,
        "ui_language": user.ui_language,
        "reading_aids": user.reading_aids,
        "learning_languages": list(user.learning_languages),
    }
    form.update(changes)
    return form


def test_defaults(user):
    assert user.reading_aids == "learning"
    assert user.learning_languages == []


def test_settings_page_shows_both_settings(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert "Reading aids" in html
    assert 'name="reading_aids" value="learning"' in html
    assert 'name="reading_aids" value="off"' in html
    assert "Languages I&#x27;m learning" in html or "Languages I'm learning" in html
    assert 'name="learning_languages" value="zh-Hans"' in html
    assert "Empty: every language you do not read." in html
    # The stored choice is the one checked.
    checked = html.split('name="reading_aids" value="learning"')[1].split(">")[0]
    assert "checked" in checked


def test_settings_page_saves_them(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:settings"),
        _form(user, reading_aids="off", learning_languages=["zh-Hans", "zh-Hant"]),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.reading_aids == "off"
    assert user.learning_languages == ["zh-Hans", "zh-Hant"]

    # Unticking every language empties the list; the switch back on.
    form = _form(user, reading_aids="learning")
    del form["learning_languages"]
    assert client.post(reverse("accounts:settings"), form).status_code == 302
    user.refresh_from_db()
    assert (user.reading_aids, user.learning_languages) == ("learning", [])


def test_settings_form_without_the_switch_leaves_it(client, user):
    user.reading_aids = "off"
    user.save(update_fields=["reading_aids"])
    client.force_login(user)
    form = _form(user)
    del form["reading_aids"]
    assert client.post(reverse("accounts:settings"), form).status_code == 302
    user.refresh_from_db()
    assert user.reading_aids == "off"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"reading_aids": "always"}, "reading_aids"),
        ({"learning_languages": ["tlh"]}, "learning_languages"),
    ],
)
def test_settings_page_refuses_bad_values_and_stores_nothing(client, user, changes, field):
    client.force_login(user)
    response = client.post(
        reverse("accounts:settings"), _form(user, display_name="Changed", **changes)
    )
    assert response.status_code == 400
    assert response.context["profile_form"].errors.get(field)
    user.refresh_from_db()
    assert (user.display_name, user.reading_aids, user.learning_languages) == (
        "Alice",
        "learning",
        [],
    )


def test_me_api_reads_and_changes_them(auth_api_client, user):
    data = auth_api_client.get("/api/v1/me/").json()
    assert data["reading_aids"] == "learning"
    assert data["learning_languages"] == []

    response = auth_api_client.patch(
        "/api/v1/me/",
        {"reading_aids": "off", "learning_languages": ["zh-Hant"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["reading_aids"] == "off"
    assert response.json()["learning_languages"] == ["zh-Hant"]
    user.refresh_from_db()
    assert (user.reading_aids, user.learning_languages) == ("off", ["zh-Hant"])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reading_aids": "sometimes"}, "reading_aids"),
        ({"reading_aids": None}, "reading_aids"),
        ({"learning_languages": ["xx"]}, "learning_languages"),
        ({"learning_languages": ["en", "en"]}, "learning_languages"),
        ({"learning_languages": "zh-Hans"}, "learning_languages"),
        ({"learning_languages": [1]}, "learning_languages"),
    ],
)
def test_me_api_refuses_bad_values_naming_the_field_and_stores_nothing(
    auth_api_client, user, body, field
):
    response = auth_api_client.patch(
        "/api/v1/me/", {"display_name": "Changed", **body}, format="json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["detail"]
    assert list(data["errors"]) == [field]
    user.refresh_from_db()
    assert (user.display_name, user.reading_aids, user.learning_languages) == (
        "Alice",
        "learning",
        [],
    )


def test_export_has_them(user):
    user.reading_aids = "off"
    user.learning_languages = ["zh-Hans"]
    user.save(update_fields=["reading_aids", "learning_languages"])
    profile = accounts_export(user=user, archive=_NoFiles())["profile"]
    assert profile["reading_aids"] == "off"
    assert profile["learning_languages"] == ["zh-Hans"]
    json.dumps(profile)  # JSON-able as the archive writes it
