"""The reader's language settings translations depend on: "Languages I read" and its default,
and "auto-translate" (accounts.User), on the settings page and `PATCH /api/v1/me/`."""

from rest_framework.test import APIClient

from tests.factories import UserFactory


def test_reads_is_the_explicit_list_first(db):
    reader = UserFactory(languages=["en"], read_languages=["zh-Hans"], ui_language="en")
    assert reader.reads == ["zh-Hans"]


def test_reads_defaults_to_the_interface_language_plus_the_languages_spoken(db):
    reader = UserFactory(languages=["en", "ja"], read_languages=[], ui_language="zh-hans")
    assert reader.reads == ["zh-Hans", "en", "ja"]
    both = UserFactory(languages=["zh-Hans", "en"], read_languages=[], ui_language="en")
    assert both.reads == ["en", "zh-Hans"]


def test_reads_follows_the_browser_when_no_interface_language_was_chosen(db):
    assert UserFactory(languages=["ko"], read_languages=[], ui_language="").reads == ["ko"]
    assert UserFactory(languages=[], read_languages=[], ui_language="").reads == []


def test_auto_translate_setting_on_the_page_and_the_api(client, user):
    client.force_login(user)
    assert 'name="auto_translate"' in client.get("/settings/").content.decode()
    form = {"display_name": "Alice", "handle": "alice", "ui_language": "", "auto_translate": "on"}
    assert client.post("/settings/", form).status_code == 302
    user.refresh_from_db()
    assert user.auto_translate
    form.pop("auto_translate")
    client.post("/settings/", form)
    user.refresh_from_db()
    assert not user.auto_translate

    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/me/").json()["auto_translate"] is False
    response = api.patch("/api/v1/me/", {"auto_translate": True}, format="json")
    assert response.status_code == 200 and response.json()["auto_translate"] is True
    user.refresh_from_db()
    assert user.auto_translate
    bad = api.patch("/api/v1/me/", {"auto_translate": "perhaps"}, format="json")
    assert bad.status_code == 400 and "auto_translate" in bad.json()["errors"]
