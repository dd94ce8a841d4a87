"""`GET /api/v1/dictionary/?q=`: both directions, an unknown word, 400 naming `q` for a missing,
empty or overlong query, cache headers; and the `reading` rate limit the dictionary page, its
API and the reading API share (visitors only)."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from rednote.throttling import RATE_SCOPES
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dictionary/"


def test_route_name():
    assert reverse("api:dictionary") == URL


def test_chinese_word(api_client):
    response = api_client.get(URL, {"q": "银行"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "银行" and data["direction"] == "zh-en"
    assert data["entries"][0] == {
        "simplified": "银行",
        "traditional": "銀行",
        "pinyin": "yín háng",
        "senses": ["bank", "CL:家[jia1],個|个[ge4]"],
    }


def test_traditional_word(api_client):
    data = api_client.get(URL, {"q": "銀行"}).json()
    assert data["direction"] == "zh-en"
    assert data["entries"][0]["simplified"] == "银行"


def test_english_word_finds_chinese_entries(api_client):
    data = api_client.get(URL, {"q": "  bank "}).json()
    assert data["query"] == "bank" and data["direction"] == "en-zh"
    assert data["entries"]
    assert data["entries"][0]["simplified"] == "银行"
    assert all(
        set(entry) == {"simplified", "traditional", "pinyin", "senses"} for entry in data["entries"]
    )
    assert len(data["entries"]) <= 20


def test_english_lemma_from_a_reading_segment(api_client):
    # A reading segment's gloss_id for "banks" is "bank": a valid q.
    assert api_client.get(URL, {"q": "bank"}).json()["entries"]


def test_unknown_word_has_no_entries(api_client):
    response = api_client.get(URL, {"q": "qwxzvvq"})
    assert response.status_code == 200
    assert response.json()["entries"] == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "bank " * 200}])
def test_bad_query_is_a_400_naming_q(api_client, params):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == ["q"]
    assert "max-age" not in response.get("Cache-Control", "")


def test_answer_is_cacheable_by_anyone(api_client):
    response = api_client.get(URL, {"q": "银行"})
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]


# --- The `reading` rate limit ---------------------------------------------------------------

_addresses = (f"203.0.113.{n % 250}" for n in itertools.count(1))


@pytest.fixture
def reading_rate(monkeypatch):
    def set_rate(rate: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle,
            "THROTTLE_RATES",
            {**SimpleRateThrottle.THROTTLE_RATES, "reading": rate},
        )

    return set_rate


def test_reading_scope_counts_visitors_reads_only():
    rules = RATE_SCOPES["reading"]
    assert rules.reads and rules.visitors_only
    assert api_settings.DEFAULT_THROTTLE_RATES["reading"] == "120/min"


def test_visitors_share_one_reading_budget_across_page_and_api(reading_rate):
    reading_rate("3/min")
    note = NoteFactory(body="银行", language="zh-Hans")
    page, api = Client(), APIClient()
    assert page.get("/dictionary/", {"q": "银行"}).status_code == 200
    assert api.get(URL, {"q": "bank"}).status_code == 200
    assert api.get(f"/api/v1/notes/{note.pk}/reading/").status_code == 200
    refused = api.get(URL, {"q": "银行"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "looked up" in refused.json()["detail"]
    assert page.get("/dictionary/", {"q": "银行"}, HTTP_HX_REQUEST="true").status_code == 429
    assert api.get(f"/api/v1/notes/{note.pk}/reading/").status_code == 429
    # Another address has its own budget.
    assert Client(REMOTE_ADDR="192.0.2.77").get("/dictionary/", {"q": "银行"}).status_code == 200


def test_signed_in_people_have_the_per_user_rate_instead(reading_rate, user):
    reading_rate("1/min")
    api = APIClient()
    api.force_authenticate(user)
    assert [api.get(URL, {"q": "银行"}).status_code for _ in range(3)] == [200] * 3
    page = Client()
    page.force_login(user)
    assert [page.get("/dictionary/", {"q": "银行"}).status_code for _ in range(3)] == [200] * 3
