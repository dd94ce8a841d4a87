"""The glossary's pages: `/glossary/` (search, both explanations with the reader's language
first, pages) and `/glossary/suggest/` (signed in, per-field errors, rate limit, no JS)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from translations.models import GlossaryStatus, GlossaryTerm

from .glossary_fixtures import glossary_term, suggestion_fields

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_glossary_lists_approved_terms_with_pinyin_explanations_and_example(client):
    glossary_term()
    glossary_term(status=GlossaryStatus.SUGGESTED, term="rizz", language="en", variants=[])
    response = client.get(reverse("translations:glossary"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="glossary-entry"' in page
    for text in (
        "yyds",
        "yǒngyuǎn de shén",
        "永遠的神",
        "The greatest of all time.",
        "永远的神，形容最强。",
        "这家火锅yyds！",
        "This hotpot is the GOAT!",
    ):
        assert text in page
    assert "rizz" not in page  # waiting for review
    assert reverse("translations:glossary_suggest") in page


def test_the_readers_language_comes_first(client, settings):
    glossary_term()
    english = client.get(reverse("translations:glossary")).content.decode()
    assert english.index("The greatest of all time.") < english.index("永远的神，形容最强。")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("translations:glossary")).content.decode()
    assert chinese.index("永远的神，形容最强。") < chinese.index("The greatest of all time.")


def test_search_and_language_filter(client):
    glossary_term()
    glossary_term(term="no cap", language="en", variants=[], pinyin="", explanation_en="No lie.")
    url = reverse("translations:glossary")
    page = client.get(url, {"q": "NO CAP"}).content.decode()
    assert "no cap" in page and "yǒngyuǎn" not in page
    page = client.get(url, {"language": "zh-Hans"}).content.decode()
    assert "yǒngyuǎn" in page and "No lie." not in page
    response = client.get(url, {"q": "nothing like this"})
    assert response.status_code == 200
    assert 'data-testid="glossary-empty"' in response.content.decode()
    # An unknown language is ignored, a bad cursor is a 400 page.
    assert client.get(url, {"language": "fr"}).status_code == 200
    assert client.get(url, {"cursor": "garbage"}).status_code == 400


def test_glossary_pages_through_every_term_in_few_queries(client, django_assert_max_num_queries):
    for n in range(30):
        glossary_term(term=f"term{n}", variants=[], language="en", pinyin="")
    url = reverse("translations:glossary")
    with django_assert_max_num_queries(6):
        first = client.get(url)
    assert len(first.context["entries"]) == 24
    next_cursor = first.context["page"].next_cursor
    assert next_cursor and 'rel="next"' in first.content.decode()
    second = client.get(url, {"cursor": next_cursor})
    terms = {e.term for e in first.context["entries"]} | {e.term for e in second.context["entries"]}
    assert len(terms) == 30


def test_every_written_field_is_escaped(client):
    glossary_term(
        term=XSS[:40],
        variants=[XSS[:40]],
        pinyin=XSS,
        explanation_en=XSS + " explained",
        explanation_zh=XSS + "解释",
        example=XSS,
        example_translation=XSS,
    )
    page = client.get(reverse("translations:glossary"), {"q": XSS}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_suggest_needs_a_sign_in(client):
    url = reverse("translations:glossary_suggest")
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(url, suggestion_fields(variants="rizzler"))
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_suggest_form_without_javascript(signed_in, user):
    url = reverse("translations:glossary_suggest")
    form = signed_in.get(url, {"term": "rizz"})
    assert form.status_code == 200
    assert 'name="explanation_zh"' in form.content.decode()
    assert 'value="rizz"' in form.content.decode()  # prefilled from the glossary's "Suggest it"
    response = signed_in.post(url, suggestion_fields(variants="rizzler, RIZZLER"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("translations:glossary")
    assert "A moderator will review “rizz”" in response.content.decode()
    entry = GlossaryTerm.objects.get()
    assert (entry.term, entry.status, entry.suggested_by) == ("rizz", "suggested", user)
    assert entry.variants == ["rizzler"]


def test_suggest_errors_show_on_their_fields_and_nothing_is_stored(signed_in):
    glossary_term()
    url = reverse("translations:glossary_suggest")
    response = signed_in.post(
        url,
        suggestion_fields(
            term="YYDS",
            language="zh-Hans",
            variants="",
            explanation_en="",
            explanation_zh="",
            example_translation="Orphan translation",
            example="",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "already in the glossary" in form.errors["term"][0]
    assert set(form.errors) >= {"term"}
    page = response.content.decode()
    assert 'id="id_term_error"' in page
    assert GlossaryTerm.objects.count() == 1
    response = signed_in.post(url, suggestion_fields(explanation_en="", variants=""))
    assert response.status_code == 400
    assert "explanation_en" in response.context["form"].errors
    response = signed_in.post(url, suggestion_fields(language="xx", variants=""))
    assert response.status_code == 400
    assert "language" in response.context["form"].errors
    assert GlossaryTerm.objects.count() == 1


def test_suggest_errors_escape_what_was_typed(signed_in):
    glossary_term(term=XSS[:40], language="en", variants=[], pinyin="")
    response = signed_in.post(
        reverse("translations:glossary_suggest"),
        suggestion_fields(term=XSS[:40], variants="", explanation_en=XSS),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_suggest_is_rate_limited_with_contributions(signed_in, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "contributions": "2/min"},
    )
    url = reverse("translations:glossary_suggest")
    for term in ("one", "two"):
        assert signed_in.post(url, suggestion_fields(term=term, variants="")).status_code == 302
    response = signed_in.post(url, suggestion_fields(term="three", variants=""))
    assert response.status_code == 429
    assert "glossary suggestions" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert set(GlossaryTerm.objects.values_list("term", flat=True)) == {"one", "two"}
    # Reading the form is not counted.
    assert signed_in.get(url).status_code == 200
    assert Client().get(reverse("translations:glossary")).status_code == 200


def test_the_site_navigation_links_the_glossary(client):
    page = client.get("/").content.decode()
    assert f'href="{reverse("translations:glossary")}"' in page
