"""Discover (`/` and `GET /api/v1/feeds/discover/`): a share of each page from the other side,
labelled, with stable pages and no duplicates; the visibility rules; the query budget; the JSON
shape; and the note page as an overlay fragment."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feeds import ranking
from feeds.discover import discover_page, reader_languages
from notes.models import Note
from rednote.cursors import cursor_encode
from tests.factories import BlockFactory, FollowFactory, MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/v1/feeds/discover/"


def _notes(n: int, language: str, *, start_hours: float = 0, **kwargs) -> list[Note]:
    now = timezone.now()
    return [
        NoteFactory(
            language=language,
            published_at=now - timedelta(hours=start_hours + i * 0.5),
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.fixture
def both_sides(db):
    """40 English and 40 Chinese notes, ranked, interleaved in time."""
    english = _notes(40, "en")
    chinese = _notes(40, "zh-Hans", start_hours=0.25)
    ranking.discover_ranks_recompute(since=None)
    return {"en": english, "zh-Hans": chinese}


def _walk_api(client, page_size: int) -> list[list[dict]]:
    pages, path, params = [], API, {"page_size": page_size}
    while path:
        body = client.get(path, params).json()
        pages.append(body["results"])
        path, params = body["next"], None
    return pages


def _card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="note-card" data-note-id="(\d+)"', html)]


# --- The other side --------------------------------------------------------------------------


def test_a_reader_of_english_gets_30_percent_chinese_per_page(both_sides, auth_api_client, user):
    assert user.reads == ["en"]
    pages = _walk_api(auth_api_client, 20)
    chinese = {n.pk for n in both_sides["zh-Hans"]}
    for page in pages:
        assert len(page) == 20
        assert {n["id"] for n in page if n["other_side"]} <= chinese
        assert all(n["language"] == "en" for n in page if not n["other_side"])
    # 6 of 20 from the other side; when the English notes run dry, Chinese ones fill the pages.
    assert [sum(n["other_side"] for n in page) for page in pages] == [6, 6, 8, 20]
    # Every note exactly once, all pages together.
    seen = [n["id"] for page in pages for n in page]
    assert len(seen) == len(set(seen)) == 80


def test_each_side_keeps_its_rank_order_and_is_spread_through_the_page(both_sides, user):
    page = discover_page(viewer=user, reads=["en"], cursor=None, size=10)
    own = [n for n in page.items if not n.other_side]
    other = [n for n in page.items if n.other_side]
    assert [n.pk for n in own] == [n.pk for n in both_sides["en"][:7]]
    assert [n.pk for n in other] == [n.pk for n in both_sides["zh-Hans"][:3]]
    positions = [i for i, n in enumerate(page.items) if n.other_side]
    assert positions == [3, 6, 9]


def test_pages_do_not_repeat_while_new_notes_arrive(both_sides, user):
    first = discover_page(viewer=user, reads=["en"], cursor=None, size=24)
    _notes(5, "en")
    _notes(5, "zh-Hans")
    ranking.discover_ranks_recompute(since=None)
    second = discover_page(viewer=user, reads=["en"], cursor=first.next_cursor, size=24)
    assert {n.pk for n in first.items}.isdisjoint(n.pk for n in second.items)
    assert len(second.items) == 24


def test_the_page_labels_notes_from_the_other_side(both_sides, client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert html.count('data-testid="note-card"') == 24
    assert html.count('data-testid="other-side"') == 7  # round(24 × 0.3)
    assert "From the other side" in html
    next_url = re.search(r'href="(/\?cursor=[^"]+)" data-testid="load-more"', html)
    part = client.get(next_url.group(1).replace("&amp;", "&"), **HTMX).content.decode()
    assert "<html" not in part and part.count('data-testid="other-side"') == 7
    assert set(_card_ids(html)).isdisjoint(_card_ids(part))


def test_a_visitor_reads_the_interface_language(both_sides, api_client):
    english = {n.pk for n in both_sides["en"]}
    page = api_client.get(API, HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["results"]
    others = [n["id"] for n in page if n["other_side"]]
    assert len(others) == 6 and set(others) <= english
    page = api_client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert {n["id"] for n in page if n["other_side"]}.isdisjoint(english)


def test_reader_languages():
    visitor = None
    assert reader_languages(visitor, "zh-hans") == ["zh-Hans"]
    assert reader_languages(visitor, "en-us") == ["en"]
    reader = UserFactory(languages=["zh-Hans"], read_languages=[])
    assert reader_languages(reader, "en") == ["zh-Hans"]
    silent = UserFactory(languages=[], read_languages=[])
    assert reader_languages(silent, "zh-hans") == ["zh-Hans"]


def test_a_reader_of_both_languages_has_no_other_side(both_sides, auth_api_client, user):
    user.read_languages = ["en", "zh-Hans"]
    user.save()
    page = auth_api_client.get(API).json()["results"]
    assert len(page) == 20 and not any(n["other_side"] for n in page)


def test_unknown_and_mixed_languages_are_on_the_own_side(auth_api_client):
    notes = _notes(2, "") + _notes(2, "mixed")
    page = auth_api_client.get(API).json()["results"]
    assert {n["id"] for n in page} == {n.pk for n in notes}
    assert not any(n["other_side"] for n in page)


def test_the_share_is_configurable(both_sides, auth_api_client, settings):
    settings.DISCOVER_OTHER_SIDE_SHARE = 0.5
    page = auth_api_client.get(API).json()["results"]
    assert sum(n["other_side"] for n in page) == 10
    settings.DISCOVER_OTHER_SIDE_SHARE = 0
    page = auth_api_client.get(API).json()["results"]
    assert not any(n["other_side"] for n in page)


# --- What a reader must not see ----------------------------------------------------------------


def test_hidden_private_blocked_and_muted_never_appear(user, other_user, client, auth_api_client):
    muted, blocker, blocked, stranger = (UserFactory() for _ in range(4))
    MuteFactory(muter=user, muted=muted)
    BlockFactory(blocker=blocker, blocked=user)
    BlockFactory(blocker=user, blocked=blocked)
    FollowFactory(follower=user, followee=other_user)
    hidden_ones = []
    for language in ("en", "zh-Hans"):
        shown = NoteFactory(author=stranger, language=language)
        hidden_ones += [
            NoteFactory(author=stranger, language=language, is_hidden=True),
            NoteFactory(author=stranger, language=language, visibility="private"),
            NoteFactory(author=stranger, language=language, visibility="followers"),
            NoteFactory(author=muted, language=language),
            NoteFactory(author=blocker, language=language),
            NoteFactory(author=blocked, language=language),
            NoteFactory(author=stranger, language=language, processing=True),
        ]
        followed = NoteFactory(author=other_user, language=language, visibility="followers")
        assert shown and followed
    ranking.discover_ranks_recompute(since=None)
    seen = {n["id"] for page in _walk_api(auth_api_client, 3) for n in page}
    assert seen.isdisjoint(n.pk for n in hidden_ones)
    assert len(seen) == 4
    client.force_login(user)
    assert set(_card_ids(client.get("/").content.decode())) == seen


def test_a_forged_cursor_moves_the_position_only(auth_api_client):
    NoteFactory(visibility="private", language="zh-Hans")
    public = NoteFactory(language="zh-Hans")
    position = cursor_encode(2**62, 10**12)
    body = auth_api_client.get(API, {"cursor": f"~.{position}"}).json()
    assert [n["id"] for n in body["results"]] == [public.pk]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        ".",
        "~.~",
        "MS4x",  # a plain single-stream cursor
        "a.b",
        "MS4x.MS4x.MS4x",
        cursor_encode(1, 1, backwards=True) + ".~",
        "x" * 200,
    ],
)
def test_bad_cursors_are_400(cursor, client, api_client):
    assert client.get("/", {"cursor": cursor}).status_code == 400
    response = api_client.get(API, {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


# --- Query budget and shape --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", API])
def test_query_count_does_not_grow_with_the_page(path, client, user, django_assert_max_num_queries):
    from notes import services

    client.force_login(user)

    def add(n):
        for language in ("en", "zh-Hans"):
            for note in _notes(n, language, images=2):
                services.note_like(user=user, note=note)
                note.hashtags.create(name=f"t{note.pk}", display_name=f"T{note.pk}")
        ranking.discover_ranks_recompute(since=None)

    add(3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(path).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path)
    if path == "/":
        assert response.content.decode().count('data-testid="note-card"') == 24
    else:
        assert len(response.json()["results"]) == 20
    # Session, user (and the user's last activity, once an hour), two queries per stream (its
    # ranked notes, then the unranked ones when the ranked end within the page), the photos;
    # for the API the tags and mentions too.
    assert len(few.captured_queries) <= (10 if path == "/" else 12)


def test_api_item_is_the_note_json_with_other_side(auth_api_client):
    note = NoteFactory(language="zh-Hans")
    body = auth_api_client.get(API).json()
    assert set(body) == {"next", "previous", "results"}
    assert body["next"] is None and body["previous"] is None
    (item,) = body["results"]
    detail = auth_api_client.get(f"/api/v1/notes/{note.pk}/").json()
    assert item == {**detail, "other_side": True}


def test_api_page_size_and_next(auth_api_client):
    _notes(5, "en")
    body = auth_api_client.get(API, {"page_size": 2}).json()
    assert len(body["results"]) == 2 and "cursor=" in body["next"]
    assert body["next"].startswith("http://testserver/api/v1/feeds/discover/?")
    rest = auth_api_client.get(body["next"]).json()
    assert len(rest["results"]) == 2


# --- The note overlay ------------------------------------------------------------------------


def test_note_page_is_a_fragment_for_htmx_and_a_page_otherwise(client):
    note = NoteFactory(title="Lanterns at dusk")
    full = client.get(f"/notes/{note.pk}/")
    part = client.get(f"/notes/{note.pk}/", **HTMX)
    assert full.status_code == part.status_code == 200
    full_html, part_html = full.content.decode(), part.content.decode()
    assert "<html" in full_html and 'data-testid="tabbar"' in full_html
    assert "<html" not in part_html and 'data-testid="tabbar"' not in part_html
    for html in (full_html, part_html):
        assert 'data-testid="note-detail"' in html and "Lanterns at dusk" in html
    assert 'data-overlay-title="Lanterns at dusk"' in part_html
    # One address, two answers: caches must keep them apart.
    for response in (full, part):
        assert "HX-Request" in response["Vary"]


def test_note_fragment_keeps_the_rules(client):
    note = NoteFactory(visibility="private")
    assert client.get(f"/notes/{note.pk}/", **HTMX).status_code == 404


def test_discover_grid_opens_notes_in_the_overlay(client):
    NoteFactory()
    html = client.get("/").content.decode()
    assert "data-note-overlay" in html and "js/note-overlay" in html
    # Other grids keep plain links.
    assert "data-note-overlay" not in client.get("/following/", follow=True).content.decode()
