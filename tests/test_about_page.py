"""The About page, `/about/`: what the site is, how the reading aids work offline, and the
credits of the dictionary and libraries with their licences; linked from every page's
navigation, the settings page and the dictionary."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_about_page_credits_the_dictionary_and_libraries_with_their_licences(client):
    assert reverse("about") == "/about/"
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="about-reading-aids"' in html
    assert "nothing you read is sent anywhere" in html
    credits = html.split('data-testid="about-credits"')[1]
    for name, licence, link in [
        ("CC-CEDICT", "CC BY-SA 4.0", "https://www.mdbg.net/chinese/dictionary?page=cc-cedict"),
        ("OpenCC", "Apache License 2.0", "https://github.com/BYVoid/OpenCC"),
        ("pypinyin", "MIT License", "https://github.com/mozillazg/python-pinyin"),
        ("jieba", "MIT License", "https://github.com/fxsjy/jieba"),
    ]:
        section = credits.split(f">{name}</a></dt>")[1].split("</dd>")[0]
        assert licence in section, name
        assert f'href="{link}"' in credits, name
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in credits
    assert f'href="{reverse("translations:dictionary")}"' in html


def test_about_is_linked_from_the_navigation_for_visitors_and_people(client, user):
    assert 'href="/about/"' in client.get("/dictionary/").content.decode()
    client.force_login(user)
    assert 'href="/about/"' in client.get("/dictionary/").content.decode()
    # On a phone the sidebar is hidden: the settings page links it too.
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert settings_page.count('href="/about/"') == 2


def test_about_page_in_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get("/about/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
