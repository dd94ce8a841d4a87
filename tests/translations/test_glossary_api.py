"""The glossary API: `GET /api/v1/glossary/?q=&language=`, `GET /api/v1/glossary/<id>/`,
`POST /api/v1/glossary/` (suggest)."""

import pytest
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from tests.api import assert_error
from translations.models import GlossaryStatus, GlossaryTerm

from .glossary_fixtures import glossary_term, suggestion_fields

pytestmark = pytest.mark.django_db

LIST = reverse("api:glossary")
TERM_KEYS = {
    "id",
    "term",
    "language",
    "variants",
    "pinyin",
    "explanation_en",
    "explanation_zh",
    "example",
    "example_translation",
    "status",
    "created_at",
    "reviewed_at",
}


def test_list_is_approved_terms_in_cursor_pages(api_client, django_assert_max_num_queries):
    yyds = glossary_term()
    glossary_term(status=GlossaryStatus.SUGGESTED, term="rizz", language="en", variants=[])
    glossary_term(status=GlossaryStatus.REJECTED, term="meh", language="en", variants=[])
    for n in range(4):
        glossary_term(term=f"term{n}", language="en", variants=[], pinyin="")
    with django_assert_max_num_queries(3):
        response = api_client.get(LIST, {"page_size": 3})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [r["term"] for r in body["results"]] == ["term3", "term2", "term1"]
    assert set(body["results"][0]) == TERM_KEYS
    rest = api_client.get(body["next"]).json()
    assert [r["term"] for r in rest["results"]] == ["term0", "yyds"]
    assert rest["next"] is None
    last = rest["results"][-1]
    assert last["id"] == yyds.pk and last["status"] == "approved"
    assert last["variants"] == ["永远的神", "永遠的神"]
    assert last["pinyin"] == "yǒngyuǎn de shén"


def test_list_searches_and_filters(api_client):
    glossary_term()
    glossary_term(term="no cap", language="en", variants=[], pinyin="", explanation_en="No lie.")
    assert [r["term"] for r in api_client.get(LIST, {"q": "NO LIE"}).json()["results"]] == [
        "no cap"
    ]
    assert [r["term"] for r in api_client.get(LIST, {"q": "永遠"}).json()["results"]] == ["yyds"]
    results = api_client.get(LIST, {"language": "zh-Hans"}).json()["results"]
    assert [r["term"] for r in results] == ["yyds"]
    assert_error(api_client.get(LIST, {"language": "fr"}), 400, "language")
    assert_error(api_client.get(LIST, {"cursor": "nonsense"}), 400, "cursor")


def test_search_puts_the_term_itself_first(api_client):
    glossary_term(term="no cap", language="en", variants=[], pinyin="", explanation_en="No lie.")
    glossary_term(term="capy", language="en", variants=[], pinyin="", explanation_en="A term.")
    glossary_term(
        term="上头", variants=[], pinyin="shàngtóu", explanation_en="So captivating you can't stop."
    )
    glossary_term(term="cap", language="en", variants=[], pinyin="", explanation_en="A lie.")
    results = api_client.get(LIST, {"q": "CAP"}).json()["results"]
    # The term itself, then terms containing it (newest first), then explanations.
    assert [r["term"] for r in results] == ["cap", "capy", "no cap", "上头"]
    page = api_client.get(LIST, {"q": "cap", "page_size": 2}).json()
    rest = api_client.get(page["next"]).json()
    assert [r["term"] for r in page["results"] + rest["results"]] == [
        "cap",
        "capy",
        "no cap",
        "上头",
    ]


def test_detail_shows_approved_terms_only(api_client):
    yyds = glossary_term()
    waiting = glossary_term(status=GlossaryStatus.SUGGESTED, term="rizz", variants=[])
    response = api_client.get(reverse("api:glossary-detail", args=[yyds.pk]))
    assert response.status_code == 200
    assert response.json()["term"] == "yyds" and set(response.json()) == TERM_KEYS
    assert_error(api_client.get(reverse("api:glossary-detail", args=[waiting.pk])), 404)
    assert_error(api_client.get(reverse("api:glossary-detail", args=[999999])), 404)


def test_suggest_stores_a_suggestion(auth_api_client, user):
    response = auth_api_client.post(LIST, suggestion_fields(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == TERM_KEYS
    assert body["status"] == "suggested" and body["term"] == "rizz"
    assert body["variants"] == ["rizzler"] and body["reviewed_at"] is None
    entry = GlossaryTerm.objects.get(pk=body["id"])
    assert entry.suggested_by == user and entry.status == GlossaryStatus.SUGGESTED
    # Not listed until a moderator approves it.
    assert auth_api_client.get(LIST).json()["results"] == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term": ""}, "term"),
        ({"language": "fr"}, "language"),
        ({"explanation_en": ""}, "explanation_en"),
        ({"explanation_zh": "not Chinese"}, "explanation_zh"),
        ({"variants": "not a list"}, "variants"),
        ({"variants": ["x" * 41]}, "variants"),
        ({"example": "x" * 301}, "example"),
        ({"pinyin": "mèilì"}, "pinyin"),
    ],
)
def test_suggest_400_names_the_field_and_stores_nothing(auth_api_client, overrides, field):
    response = auth_api_client.post(LIST, suggestion_fields(**overrides), format="json")
    assert_error(response, 400, field)
    assert not GlossaryTerm.objects.exists()


def test_suggest_refuses_a_duplicate(auth_api_client):
    glossary_term(term="rizz", language="en", variants=[], pinyin="")
    body = assert_error(
        auth_api_client.post(LIST, suggestion_fields(term="RIZZ"), format="json"), 400, "term"
    )
    assert "already in the glossary" in body["errors"]["term"][0]
    assert GlossaryTerm.objects.count() == 1


def test_visitors_cannot_suggest(api_client):
    response = api_client.post(LIST, suggestion_fields(), format="json")
    assert response.status_code in (401, 403)
    assert_error(response, response.status_code)
    assert not GlossaryTerm.objects.exists()


def test_suggesting_spends_the_contributions_budget(auth_api_client, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "contributions": "2/min"},
    )
    for term in ("one", "two"):
        response = auth_api_client.post(
            LIST, suggestion_fields(term=term, variants=[]), format="json"
        )
        assert response.status_code == 201
    response = auth_api_client.post(
        LIST, suggestion_fields(term="three", variants=[]), format="json"
    )
    assert_error(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert set(GlossaryTerm.objects.values_list("term", flat=True)) == {"one", "two"}
    assert auth_api_client.get(LIST).status_code == 200  # reading is not counted


def test_the_schema_documents_the_glossary(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/glossary/"])
    assert "get" in paths["/api/v1/glossary/{term_id}/"]
    listing = paths["/api/v1/glossary/"]["get"]
    assert {"q", "language", "cursor", "page_size"} <= {p["name"] for p in listing["parameters"]}
    suggest = paths["/api/v1/glossary/"]["post"]["responses"]
    assert {"201", "400", "401", "429"} <= set(suggest)
