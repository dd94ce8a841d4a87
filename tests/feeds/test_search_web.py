"""The search page (`/search/?q=&type=`) and `GET /api/v1/search/`: results, tabs, empty and
error states, hostile queries (a 400 naming `q` or an empty result, never a 500), query budgets
and the page in Chinese."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds import search
from feeds.search_views import PEOPLE_PAGE_SIZE
from tests.api import assert_error
from tests.factories import BlockFactory, UserFactory
from tests.feeds.test_search import MIXED_TITLE, indexed
from tests.test_i18n import compiled_messages  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

API = "/api/v1/search/"
HTMX = {"HTTP_HX_REQUEST": "true"}

# Queries with no word in them: nothing is searched for, nothing is found.
PUNCTUATION = ['"', "'", "%", "_", "\\", "&|!:*()", "%_%", "(((", "!!!", "<>", "--"]
# Queries with operators of tsquery, LIKE or SQL around words: the words are searched for.
WORDY = ["' OR 1=1 --", "上海' & '!citywalk:*", "<script>alert(1)</script>", "a:* & b", "上" * 100]


def card_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-note-id="(\d+)"', response.content.decode())]


@pytest.fixture
def mixed():
    return indexed(title=MIXED_TITLE, body="周末去哪儿", tags=["citywalk"])


# --- API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["citywalk", "上海", "路线"])
def test_api_finds_the_mixed_note(api_client, mixed, query):
    response = api_client.get(API, {"q": query})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [note["id"] for note in body["results"]] == [mixed.pk]
    assert body["results"][0]["title"] == MIXED_TITLE
    assert body["results"][0]["hashtags"][0]["name"] == "citywalk"


def test_api_finds_people_and_tags(api_client, mixed):
    alice = UserFactory(handle="alice_w", display_name="Alice Wonder")
    people = api_client.get(API, {"q": "ali", "type": "users"}).json()["results"]
    assert [p["handle"] for p in people] == [alice.handle]
    assert set(people[0]) >= {"handle", "display_name", "url", "viewer_follows"}
    tags = api_client.get(API, {"q": "#city", "type": "tags"}).json()["results"]
    assert tags == [
        {
            "name": "citywalk",
            "display_name": "citywalk",
            "url": "http://testserver/tags/citywalk/",
            "note_count": 1,
        }
    ]


def test_api_pages_by_cursor(api_client):
    for i in range(5):
        indexed(title=f"citywalk {i}")
    first = api_client.get(API, {"q": "citywalk", "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    ids = [n["id"] for page in (first, second, third) for n in page["results"]]
    assert len(ids) == len(set(ids)) == 5
    assert third["next"] is None


def test_api_leaves_out_what_the_viewer_may_not_see(auth_api_client, user):
    blocker = UserFactory(handle="lantern_blocker")
    BlockFactory(blocker=blocker, blocked=user)
    indexed(title="lantern", author=blocker, tags=["lantern"])
    indexed(title="lantern hidden", is_hidden=True)
    for kind, query in (("notes", "lantern"), ("users", "lantern_blocker"), ("tags", "lantern")):
        response = auth_api_client.get(API, {"q": query, "type": kind})
        assert response.json()["results"] == [], kind


@pytest.mark.parametrize("query", ["", "   ", "x" * 101, "上" * 101])
@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_api_refuses_an_empty_or_long_query_naming_q(api_client, query, kind):
    assert_error(api_client.get(API, {"q": query, "type": kind}), 400, "q")


def test_api_refuses_a_missing_query_and_a_bad_type_or_cursor(api_client):
    assert_error(api_client.get(API), 400, "q")
    assert_error(api_client.get(API, {"q": "a", "type": "boards"}), 400, "type")
    assert_error(api_client.get(API, {"q": "a", "cursor": "forged"}), 400, "cursor")
    assert_error(api_client.get(API, {"q": "caf\x00e"}), 400, "q")


@pytest.mark.parametrize("query", PUNCTUATION)
@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_api_query_without_words_finds_nothing(api_client, mixed, query, kind):
    response = api_client.get(API, {"q": query, "type": kind})
    assert response.status_code == 200, response.content
    assert response.json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize("query", WORDY)
@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_api_operators_around_words_are_plain_text(api_client, mixed, query, kind):
    response = api_client.get(API, {"q": query, "type": kind})
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["results"], list)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")
def test_api_tsquery_syntax_is_searched_as_words(api_client, mixed):
    response = api_client.get(API, {"q": "上海' & '!citywalk:*"})
    assert [note["id"] for note in response.json()["results"]] == [mixed.pk]
    assert api_client.get(API, {"q": "!上海"}).json()["results"] != []  # no negation


def test_api_documents_search_in_the_schema(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "type", "cursor", "page_size"}
    assert {"200", "400"} <= set(operation["responses"])
    results = schema["components"]["schemas"]["SearchPage"]["properties"]["results"]
    assert results["items"]["$ref"] == "#/components/schemas/SearchResult"


@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_api_query_count_does_not_grow_with_results(
    auth_api_client, django_assert_max_num_queries, kind, user
):
    def count(n):
        for i in range(n):
            author = UserFactory(handle=f"lamp_{kind}_{n}_{i}")
            indexed(title=f"lamp {i}", author=author, tags=[f"lamp{n}{i}"])
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = auth_api_client.get(API, {"q": "lamp", "type": kind})
        assert response.status_code == 200
        assert len(response.json()["results"]) >= n
        return len(queries)

    auth_api_client.get(API, {"q": "warm-up"})  # the first request of a day records the visit
    few, many = count(2), count(10)
    assert few == many
    with django_assert_max_num_queries(6):
        auth_api_client.get(API, {"q": "lamp", "type": kind})


# --- Page ---------------------------------------------------------------------------------


def test_page_without_a_query_prompts(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="search-prompt"' in html
    assert 'data-tab="notes"' in html and 'aria-current="page" data-tab="notes"' in html


@pytest.mark.parametrize("query", ["citywalk", "上海", "路线"])
def test_page_shows_the_mixed_note_as_a_card(client, mixed, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert card_ids(response) == [mixed.pk]
    assert f"Results for “{query}”" in response.content.decode()


def test_page_tabs_keep_the_query(client, mixed):
    html = client.get("/search/", {"q": "上海 路线"}).content.decode()
    for kind in search.SEARCH_TYPES:
        assert f'href="?q=%E4%B8%8A%E6%B5%B7%20%E8%B7%AF%E7%BA%BF&amp;type={kind}"' in html


def test_page_people_and_tags_tabs(client, user, mixed):
    alice = UserFactory(handle="alice_w", display_name="Alice Wonder")
    client.force_login(user)
    html = client.get("/search/", {"q": "wonder", "type": "users"}).content.decode()
    assert 'data-testid="person-row"' in html and f'href="{alice.get_absolute_url()}"' in html
    assert 'data-testid="follow-button"' in html
    html = client.get("/search/", {"q": "city", "type": "tags"}).content.decode()
    assert 'data-testid="tag-row"' in html and 'href="/tags/citywalk/"' in html
    assert "1 note" in html


def test_page_people_load_more_with_htmx(client):
    for i in range(PEOPLE_PAGE_SIZE + 3):
        UserFactory(handle=f"lamp_{i:02d}")
    first = client.get("/search/", {"q": "lamp", "type": "users"})
    html = first.content.decode()
    assert html.count('data-testid="person-row"') == PEOPLE_PAGE_SIZE
    next_url = re.search(r'hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    more = client.get(next_url, **HTMX)
    part = more.content.decode()
    assert part.count('data-testid="person-row"') == 3
    assert "<html" not in part and 'hx-swap-oob="true"' in part


@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_page_empty_state(client, kind):
    response = client.get("/search/", {"q": "nothingmatches", "type": kind})
    assert response.status_code == 200
    html = response.content.decode()
    assert "nothingmatches" in html
    assert 'data-testid="search-empty"' in html or 'data-testid="grid-empty"' in html


@pytest.mark.parametrize("query", PUNCTUATION + WORDY)
@pytest.mark.parametrize("kind", [*search.SEARCH_TYPES, "bogus"])
def test_page_hostile_queries_are_answered_and_escaped(client, mixed, query, kind):
    response = client.get("/search/", {"q": query, "type": kind})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 101, "caf\x00e"])
def test_page_refuses_a_long_query_with_a_400_saying_so(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    if "\x00" not in query:
        assert 'data-testid="search-error"' in response.content.decode()
        assert "at most 100 characters" in response.content.decode()


def test_page_refuses_a_forged_cursor(client):
    UserFactory(handle="lamp")
    response = client.get("/search/", {"q": "lamp", "type": "users", "cursor": "forged"})
    assert response.status_code == 400


@pytest.mark.parametrize("kind", search.SEARCH_TYPES)
def test_page_query_count_does_not_grow_with_results(client, user, kind):
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)

    def count(n):
        for i in range(n):
            author = UserFactory(handle=f"lamp_{kind}_{n}_{i}")
            indexed(title=f"lamp {i}", author=author, tags=[f"lamp{n}{i}"], images=2)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": "lamp", "type": kind})
        assert response.status_code == 200
        return len(queries)

    client.get("/search/", {"q": "warm-up"})  # the first request of a day records the visit
    assert count(2) == count(10)


@pytest.mark.usefixtures("compiled_messages")
def test_page_in_chinese(client, mixed):
    response = client.get("/search/", {"q": "上海"}, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">笔记</a>" in html  # the Notes tab
    assert 'placeholder="搜索"' in html
    assert card_ids(response) == [mixed.pk]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=130),
    kind=st.sampled_from(search.SEARCH_TYPES),
)
def test_api_any_query_is_a_page_or_a_400_naming_q(api_client, query, kind):
    response = api_client.get(API, {"q": query, "type": kind})
    if response.status_code == 200:
        assert set(response.json()) == {"next", "previous", "results"}
    else:
        assert_error(response, 400, "q")
