"""The visitor page cache (`rednote.pagecache`, scopes in `notes.page_scopes`), through the real
views and the real cache (Redis when REDIS_URL is set, else locmem): hits cost no query, what a
visitor must no longer see is gone from the next answer, each visitor gets their own CSRF token,
language and htmx variants never mix, members are never served from it."""

import re

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import services as accounts_services
from feeds import ranking
from notes import services
from notes.services.tagging import tags_and_mentions_set
from tests.factories import BoardFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
HEADER_TOKEN_RE = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.VISITOR_PAGE_CACHE_SECONDS = 30


@pytest.fixture
def author(db):
    return UserFactory(handle="mei", display_name="Mei", likes_public=True)


@pytest.fixture
def note(author):
    note = NoteFactory(
        author=author, title="Dumplings at dawn", body="Steamed #food", language="en"
    )
    tags_and_mentions_set(note)
    ranking.discover_ranks_recompute(since=None)
    return note


def _text(response) -> str:
    return response.content.decode()


LOGOUT = 'action="/accounts/logout/"'


def _queries(client, path, **headers) -> tuple[int, str]:
    """How many queries answering `path` took, and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    return len(captured), response.content.decode()


def _assert_cached(client, path, django_assert_num_queries, **headers):
    """`path` is answered from the cache: no query."""
    with django_assert_num_queries(0):
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response


PAGES = ["/", "/tags/food/", "/@mei/", "/@mei/boards/", "/@mei/liked/", "/notes/{id}/"]


# --- Hits and misses ----------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_a_second_visitor_gets_the_page_without_a_query(page, note, django_assert_num_queries):
    path = page.format(id=note.pk)
    first = Client().get(path)
    assert first.status_code == 200
    second = _assert_cached(Client(), path, django_assert_num_queries)
    # The same page but for the CSRF token, which is each visitor's own.
    strip = re.compile(r"[A-Za-z0-9]{64}")
    assert strip.sub("", _text(second)) == strip.sub("", _text(first))
    if page not in ("/@mei/boards/", "/@mei/liked/"):
        assert "Dumplings at dawn" in _text(second)


def test_headers_are_those_of_the_rendered_page(note, client, django_assert_num_queries):
    first = Client().get("/")
    second = _assert_cached(Client(), "/", django_assert_num_queries)
    for name in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options"):
        assert second.headers.get(name) == first.headers.get(name), name
    assert "HX-Request" in second["Vary"] and "Cookie" in second["Vary"]
    # Only the reader's own CSRF cookie, never another's session or cookie.
    assert set(second.cookies) == {settings.CSRF_COOKIE_NAME}
    assert (
        second.cookies[settings.CSRF_COOKIE_NAME].value
        != first.cookies[settings.CSRF_COOKIE_NAME].value
    )


def test_the_cached_page_carries_the_readers_own_csrf_token(note):
    Client().get("/")  # stored by another visitor
    visitor = Client(enforce_csrf_checks=True)
    html = _text(visitor.get("/"))
    tokens = set(TOKEN_RE.findall(html)) | set(HEADER_TOKEN_RE.findall(html))
    assert tokens
    assert "\x00" not in html
    # The language switcher on the cached page works with the token it carries.
    response = visitor.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    # And htmx's header token, as the page gives it, is accepted too.
    html = _text(visitor.get("/"))
    response = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/"},
        HTTP_X_CSRFTOKEN=HEADER_TOKEN_RE.search(html).group(1),
    )
    assert response.status_code == 302


def test_sign_in_from_a_cached_page_works(note, user, password):
    Client().get("/@mei/")
    visitor = Client(enforce_csrf_checks=True)
    token = HEADER_TOKEN_RE.search(_text(visitor.get("/@mei/"))).group(1)
    response = visitor.post(
        "/accounts/login/",
        {"login": user.email, "password": password},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code != 403


def test_each_interface_language_has_its_own_page(note, django_assert_num_queries):
    english = _text(Client().get("/", HTTP_ACCEPT_LANGUAGE="en"))
    chinese_visitor = Client()
    chinese_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = _text(chinese_visitor.get("/"))
    assert '<html lang="zh-hans">' in chinese and '<html lang="en">' in english
    assert _text(Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans")).count('lang="zh-hans"') >= 1
    cached = _assert_cached(Client(), "/", django_assert_num_queries, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="zh-hans">' in _text(cached)
    assert cached["Content-Language"] == "zh-hans"
    cached = _assert_cached(Client(), "/", django_assert_num_queries, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in _text(cached)


def test_htmx_fragment_and_page_are_kept_apart(note, django_assert_num_queries):
    path = f"/notes/{note.pk}/"
    fragment = _text(Client().get(path, **HTMX))
    page = _text(Client().get(path))
    assert "<html" not in fragment and "<html" in page
    assert "<html" not in _text(_assert_cached(Client(), path, django_assert_num_queries, **HTMX))
    assert "<html" in _text(_assert_cached(Client(), path, django_assert_num_queries))


def test_load_more_cards_are_cached_apart_from_the_page(author, django_assert_num_queries):
    for _ in range(25):
        NoteFactory(author=author)
    html = _text(Client().get("/@mei/"))
    next_url = re.search(r'hx-get="([^"]*cursor=[^"]*)"', html).group(1).replace("&amp;", "&")
    cards = _text(Client().get(next_url, **HTMX))
    assert "<html" not in cards
    again = _assert_cached(Client(), next_url, django_assert_num_queries, **HTMX)
    assert _text(again) == cards


# --- Never cached -------------------------------------------------------------------------


def test_members_are_never_served_from_the_cache_nor_stored(note, user, client):
    Client().get("/@mei/")  # stored for visitors
    client.force_login(user)
    count, page = _queries(client, "/@mei/")
    assert count > 0 and LOGOUT in page
    # A member's page is never stored for visitors either.
    client.get("/@mei/boards/")
    count, page = _queries(Client(), "/@mei/boards/")
    assert count > 0 and LOGOUT not in page


def test_a_visitor_with_a_session_or_messages_cookie_runs_the_view(note, django_assert_num_queries):
    Client().get("/")
    for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        visitor = Client()
        visitor.cookies[name] = "anything"
        assert _queries(visitor, "/")[0] > 0, name


@pytest.mark.parametrize("query", ["?utm_source=x", "?cursor=a&cursor=b", "?tab=top&x=1"])
def test_an_unknown_query_runs_the_view(query, note):
    path = "/tags/food/" + query
    Client().get(path)
    assert _queries(Client(), path)[0] > 0


def test_a_bad_cursor_is_a_400_every_time(note):
    assert Client().get("/", {"cursor": "nonsense"}).status_code == 400
    assert Client().get("/", {"cursor": "nonsense"}).status_code == 400


def test_a_missing_page_is_not_stored(author):
    assert Client().get("/notes/999999/").status_code == 404
    NoteFactory(author=author, id=999999)
    assert Client().get("/notes/999999/").status_code == 200


def test_zero_seconds_turns_it_off(note, settings):
    settings.VISITOR_PAGE_CACHE_SECONDS = 0
    Client().get("/")
    assert _queries(Client(), "/")[0] > 0


def test_the_tab_query_is_its_own_page(note, django_assert_num_queries):
    Client().get("/tags/food/")
    assert _queries(Client(), "/tags/food/?tab=top")[0] > 0
    _assert_cached(Client(), "/tags/food/?tab=top", django_assert_num_queries)


# --- Invalidation -------------------------------------------------------------------------


def _warm(paths):
    for path in paths:
        assert Client().get(path).status_code == 200


def _visible(path, text) -> bool:
    response = Client().get(path)
    return response.status_code == 200 and text in _text(response)


def _note_pages(note):
    return ["/", "/tags/food/", "/tags/FOOD/", "/@mei/", f"/notes/{note.pk}/"]


@pytest.mark.parametrize(
    "withdraw",
    [
        lambda note: services.note_hide(target=note),
        lambda note: services.note_delete(note=note),
        lambda note: services.note_update(note=note, visibility="followers"),
        lambda note: services.note_update(note=note, visibility="private"),
    ],
    ids=["hidden", "deleted", "narrowed", "made-private"],
)
def test_a_withdrawn_note_leaves_every_cached_page(
    withdraw, note, django_capture_on_commit_callbacks
):
    pages = _note_pages(note)
    _warm(pages)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(note)
    for path in pages:
        assert not _visible(path, "Dumplings at dawn"), path


def test_a_withdrawn_note_leaves_boards_and_liked_tabs(note, django_capture_on_commit_callbacks):
    fan = UserFactory(handle="fan", likes_public=True)
    board = BoardFactory(owner=fan, name="Breakfasts")
    with django_capture_on_commit_callbacks(execute=True):
        services.note_like(user=fan, note=note)
        services.note_collect(user=fan, note=note, board=board)
    liked = "/@fan/liked/"
    _warm([liked])
    assert _visible(liked, "Dumplings at dawn")
    with django_capture_on_commit_callbacks(execute=True):
        services.note_hide(target=note)
    assert not _visible(liked, "Dumplings at dawn")


def test_a_suspended_author_leaves_every_cached_page(
    note, author, django_capture_on_commit_callbacks
):
    pages = _note_pages(note)
    _warm(pages)
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.user_suspend(user=author)
    for path in pages:
        assert not _visible(path, "Dumplings at dawn"), path
    assert Client().get("/@mei/").status_code == 404


def test_likes_made_private_close_the_liked_tab(note, django_capture_on_commit_callbacks):
    fan = UserFactory(handle="fan", likes_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_like(user=fan, note=note)
    _warm(["/@fan/liked/"])
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.profile_update(user=fan, likes_public=False)
    assert Client().get("/@fan/liked/").status_code == 404


def test_a_board_made_private_leaves_the_boards_tab(author, django_capture_on_commit_callbacks):
    board = BoardFactory(owner=author, name="Secret recipes")
    _warm(["/@mei/boards/"])
    assert _visible("/@mei/boards/", "Secret recipes")
    with django_capture_on_commit_callbacks(execute=True):
        services.board_update(board=board, is_private=True)
    assert not _visible("/@mei/boards/", "Secret recipes")


def test_a_renamed_handle_frees_the_old_address(note, author, django_capture_on_commit_callbacks):
    _warm(["/@mei/"])
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.profile_update(user=author, handle="mei2", display_name="Mei Two")
    assert Client().get("/@mei/").status_code == 404
    assert _visible("/@mei2/", "Mei Two")


def test_an_edit_shows_on_the_note_page_and_profile(note, django_capture_on_commit_callbacks):
    _warm([f"/notes/{note.pk}/", "/@mei/"])
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=note, title="Noodles at noon")
    assert _visible(f"/notes/{note.pk}/", "Noodles at noon")
    assert _visible("/@mei/", "Noodles at noon")


def test_a_tag_taken_off_a_note_leaves_that_tag_page(note, django_capture_on_commit_callbacks):
    _warm(["/tags/food/"])
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=note, body="Steamed, no tag")
    assert not _visible("/tags/food/", "Dumplings at dawn")


def test_other_pages_stay_cached_when_a_note_is_withdrawn(
    note, author, django_capture_on_commit_callbacks, django_assert_num_queries
):
    other = NoteFactory(author=UserFactory(handle="lin"), title="Tea", body="#tea")
    tags_and_mentions_set(other)
    _warm([f"/notes/{other.pk}/", "/@lin/", "/tags/tea/"])
    with django_capture_on_commit_callbacks(execute=True):
        services.note_hide(target=note)
    for path in (f"/notes/{other.pk}/", "/@lin/", "/tags/tea/"):
        _assert_cached(Client(), path, django_assert_num_queries)


def test_new_notes_show_within_the_ttl_only(note, author, django_assert_num_queries):
    _warm(["/@mei/"])
    NoteFactory(author=author, title="Fresh buns")
    # Still the stored page (new content may be late by VISITOR_PAGE_CACHE_SECONDS)...
    assert "Fresh buns" not in _text(_assert_cached(Client(), "/@mei/", django_assert_num_queries))


def test_an_evicted_scope_version_never_revives_a_stale_page(
    note, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from notes.page_scopes import note_scope
    from rednote.pagecache import _scope_key

    path = f"/notes/{note.pk}/"
    _warm([path])
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=note, title="Noodles at noon")
    cache.delete(_scope_key(note_scope(note.pk)))  # the version is evicted
    assert _visible(path, "Noodles at noon")
