"""The dictionary page, `/dictionary/?q=`: both directions, an unknown word, an empty or overlong
query (400, saying so), the query and the entries escaped, the credit of CC-CEDICT, cache
headers, and the small fragment htmx asks for (the gloss popover of notes and comments)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/dictionary/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_dictionary_route_name():
    assert reverse("translations:dictionary") == URL


def test_chinese_word_gives_pinyin_and_english_senses(client):
    response = client.get(URL, {"q": "银行"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dictionary-entry"' in html
    assert "银行" in html and "銀行" in html  # both scripts of the headword
    assert "yín háng" in html
    assert "<li>bank</li>" in html
    assert "Chinese → English" in html


def test_traditional_headword_is_found_too(client):
    html = client.get(URL, {"q": "銀行"}).content.decode()
    assert "yín háng" in html and "<li>bank</li>" in html


def test_english_word_gives_chinese_entries_with_pinyin(client):
    response = client.get(URL, {"q": "bank"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "English → Chinese" in html
    assert 'lang="zh-Hans">银行</span>' in html
    assert "yín háng" in html
    # Each Chinese word links to its own entry.
    assert f'href="{URL}?q=%E9%93%B6%E8%A1%8C"' in html


def test_unknown_word_says_so(client):
    response = client.get(URL, {"q": "qwxzvvq"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dictionary-empty"' in html
    assert "No entry for “qwxzvvq”." in html
    assert 'data-testid="dictionary-entry"' not in html


def test_no_query_shows_the_search_box_alone(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dictionary-form"' in html and 'name="q"' in html
    assert 'data-testid="dictionary-prompt"' in html
    assert 'data-testid="dictionary-error"' not in html


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_is_a_400_saying_so(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="dictionary-error"' in html
    assert "Type a word to look up." in html
    assert 'aria-invalid="true"' in html


def test_overlong_query_is_a_400_saying_so(client):
    response = client.get(URL, {"q": "bank " * 200})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is too long to look up" in html
    assert 'data-testid="dictionary-entries"' not in html


def test_the_query_is_escaped_everywhere(client):
    query = '<script>alert("x")</script>&'
    response = client.get(URL, {"q": query})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    fragment = client.get(URL, {"q": query}, **HTMX).content.decode()
    assert "<script>alert" not in fragment
    assert "&lt;script&gt;" in fragment


def test_senses_from_the_dictionary_are_escaped(client):
    # CC-CEDICT senses hold characters such as "|" and "[ ]"; they are shown as text: the
    # measure word line of 银行 comes through with its bar, not as markup.
    html = client.get(URL, {"q": "银行"}).content.decode()
    assert "CL:家[jia1],個|个[ge4]" in html


def test_credits_cc_cedict_and_links_the_about_page(client):
    html = client.get(URL, {"q": "银行"}).content.decode()
    assert 'data-testid="dictionary-credit"' in html
    assert "CC-CEDICT" in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    assert f'href="{reverse("about")}"' in html


def test_page_is_cached_privately_and_varies_on_language_and_htmx(client):
    response = client.get(URL, {"q": "银行"})
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "max-age=86400" in cache_control
    assert "public" not in cache_control
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"hx-request", "accept-language", "cookie"} <= vary


def test_errors_are_not_cached(client):
    response = client.get(URL, {"q": ""})
    assert "max-age" not in response.get("Cache-Control", "")


def test_htmx_gets_the_fragment_only(client):
    response = client.get(URL, {"q": "银行"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "dictionary-form" not in html
    assert 'data-testid="gloss-card"' in html
    assert 'lang="zh-Hans">银行</span>' in html
    assert "yín háng" in html
    assert "<li>bank</li>" in html
    assert f'href="{URL}?q=%E9%93%B6%E8%A1%8C"' in html and "More in the dictionary" in html
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=86400" in cache_control
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"hx-request", "accept-language", "cookie"} <= vary


def test_fragment_shows_a_few_senses_of_a_few_entries(client):
    full = client.get(URL, {"q": "bank"}).content.decode()
    fragment = client.get(URL, {"q": "bank"}, **HTMX).content.decode()
    assert full.count('data-testid="dictionary-entry"') > 3
    assert fragment.count('data-testid="gloss-entry"') == 3
    for entry in fragment.split('data-testid="gloss-entry"')[1:]:
        assert entry.count("<li>") <= 3


def test_fragment_for_an_unknown_word(client):
    response = client.get(URL, {"q": "qwxzvvq"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No entry for “qwxzvvq”." in html
    assert 'data-testid="gloss-more"' in html


def test_fragment_for_a_bad_query_is_a_400(client):
    response = client.get(URL, {"q": ""}, **HTMX)
    assert response.status_code == 400
    assert "Type a word to look up." in response.content.decode()


def test_page_follows_the_interface_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for headers in ({}, HTMX):
        response = client.get(URL, {"q": "银行"}, **headers)
        assert response.status_code == 200
        assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in client.get(URL, {"q": "银行"}).content.decode()
