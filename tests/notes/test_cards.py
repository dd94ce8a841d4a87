"""Cached note cards (`notes.cards`, `{% note_cards %}`): byte for byte what including
`notes/_card.html` per note renders, for every variant, language and badge; rendered once and
then read from the cache; every change a card shows (likes, edits, the author's name and
avatar, visibility, the interface language) shows at once."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.services.profiles import avatar_set, profile_update
from notes import cards, selectors, services
from notes.models import ImageStatus, Note, NoteImage, NoteStatus, Visibility
from tests.factories import BoardFactory, FollowFactory, NoteFactory, UserFactory, sample_photo
from tests.test_i18n import compiled_messages  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PLAIN = '{% for note in notes %}{% include "notes/_card.html" %}{% endfor %}'
CACHED = "{% load note_cards %}{% note_cards notes %}"


@pytest.fixture(autouse=True)
def _empty_local_cards():
    cards.note_cards_forget_local()
    yield
    cards.note_cards_forget_local()


@pytest.fixture
def renders(monkeypatch):
    """How many cards were rendered (not read from a cache)."""
    calls = []
    render = cards._render_parts

    def counting(note, **kwargs):
        calls.append(note.pk)
        return render(note, **kwargs)

    monkeypatch.setattr(cards, "_render_parts", counting)
    return calls


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)"')


def _render(source: str, notes, request, name: str = "notes") -> str:
    """The rendering, with the page's CSRF token (masked afresh for every page, the same in
    each of its cards) written as TOKEN."""
    html = engines["django"].from_string(source).render({name: notes}, request)
    tokens = {token for _, token in _CSRF.findall(html)}
    assert len(tokens) <= 1, "one token per page"
    return _CSRF.sub(r'\1TOKEN"', html)


def _cards_for(viewer, ids, *, other_side=()):
    rows = selectors.notes_annotate_viewer(
        Note.objects.filter(pk__in=ids).for_cards(), viewer=viewer
    ).order_by("pk")
    notes = list(rows)
    for note in notes:
        if note.pk in other_side:
            note.other_side = True
    return notes


@pytest.fixture
def every_kind():
    """Notes covering every badge and shape a card has, by one author with an avatar and one
    without a display name; returns (ids, other-side ids, liker, author)."""
    author = UserFactory(handle="amei", display_name="阿梅 <Amei> & co")
    avatar_set(user=author, file=ContentFile(sample_photo("original")))
    plain_author = UserFactory(handle="bob", display_name="")
    liker = UserFactory(handle="liker")
    FollowFactory(follower=liker, followee=author)
    notes = [
        NoteFactory(author=author, images=3, title="Three photos <b>&", language="en"),
        NoteFactory(author=author, title="", body="\n  第一行\n第二行", language="zh-Hans"),
        NoteFactory(author=plain_author, images=0, title="", body="", language=""),
        NoteFactory(author=author, visibility=Visibility.FOLLOWERS, language="mixed"),
        NoteFactory(author=liker, visibility=Visibility.PRIVATE),
        NoteFactory(author=liker, processing=True, images=2),
        NoteFactory(author=liker, processing=True, images=1),
        NoteFactory(author=plain_author, images=2, title="Other side", language="zh-Hans"),
    ]
    Note.objects.filter(pk=notes[6].pk).update(status=NoteStatus.FAILED)
    Note.objects.filter(pk=notes[0].pk).update(like_count=12_345)
    Note.objects.filter(pk=notes[1].pk).update(like_count=999)
    for note in notes[:2] + notes[3:5]:
        services.note_like(user=liker, note=note)
    return [n.pk for n in notes], {notes[7].pk, notes[2].pk}, liker, author


@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("viewer_kind", ["visitor", "liker", "author"])
def test_cached_cards_are_byte_identical_to_the_template(every_kind, language, viewer_kind):
    ids, other_side, liker, author = every_kind
    viewer = {"visitor": AnonymousUser(), "liker": liker, "author": author}[viewer_kind]
    request = RequestFactory().get("/tags/%E7%BE%8E%E9%A3%9F/?cursor=a&x=<y>")
    request.user = viewer
    with translation.override(language):
        notes = _cards_for(viewer, ids, other_side=other_side)
        expected = _render(PLAIN, notes, request)
        first = _render(CACHED, notes, request)  # rendered and stored
        again = _render(CACHED, _cards_for(viewer, ids, other_side=other_side), request)
    assert first == expected
    assert again == expected
    assert ("来自另一边" in expected) == (language == "zh-hans")
    if viewer_kind == "liker":
        # The flags come from the viewer: liked and not-liked cards, a CSRF field each.
        assert expected.count("is-active") == 4
        assert expected.count("csrfmiddlewaretoken") == len(notes)
    if viewer_kind == "visitor":
        assert "csrfmiddlewaretoken" not in expected


def test_holes_are_filled_per_request(every_kind, renders):
    """The CSRF token and the `next` path (from the query, or a POST's `next`) are the
    request's, escaped, though the card came from the cache."""
    ids, other_side, liker, _ = every_kind
    factory = RequestFactory()
    first = factory.get("/following/")
    first.user = liker
    _render(CACHED, _cards_for(liker, ids), first)
    rendered = len(renders)
    for request in (
        factory.get("/@amei/?cursor=\"'<&>"),
        factory.post("/notes/1/like/", {"next": '/a/?b=<c>&d="e"'}),
    ):
        request.user = liker
        notes = _cards_for(liker, ids)
        assert _render(CACHED, notes, request) == _render(PLAIN, notes, request)
    assert len(renders) == rendered  # all from the cache


def test_board_owner_cards_keep_their_remove_form(user, client):
    board = BoardFactory(owner=user)
    note = NoteFactory()
    services.note_collect(user=user, note=note, board=board)
    client.force_login(user)
    html = client.get(board.get_absolute_url()).content.decode()
    assert 'data-testid="board-remove"' in html
    client.logout()
    assert 'data-testid="board-remove"' not in client.get(board.get_absolute_url()).content.decode()


def test_a_grid_renders_each_card_once(client, user, renders):
    author = UserFactory(handle="amei")
    notes = [NoteFactory(author=author) for _ in range(3)]
    client.force_login(user)  # signed in: no whole-page cache in the way
    assert client.get("/@amei/").status_code == 200
    assert sorted(renders) == sorted(n.pk for n in notes)
    client.get("/@amei/")
    cards.note_cards_forget_local()  # another process: from the shared cache
    client.get("/@amei/")
    assert len(renders) == 3


def _card(html: str, note_id: int) -> str:
    match = re.search(rf'<article [^>]*data-note-id="{note_id}".*?</article>', html, re.S)
    assert match, f"no card for note {note_id}"
    return match.group(0)


@pytest.mark.usefixtures("compiled_messages")
def test_every_change_a_card_shows_shows_at_once(client, user):
    """Likes, edits, the author's name and avatar, visibility and the interface language."""
    author = UserFactory(handle="amei", display_name="Amei")
    note = NoteFactory(author=author, title="Before")

    def card() -> str:
        return _card(client.get("/@amei/").content.decode(), note.pk)

    client.force_login(user)  # signed in: no whole-page cache in the way
    assert "Before" in card() and 'title="0"' in card()
    services.note_like(user=user, note=note)
    assert 'title="1"' in card()
    services.note_update(note=Note.objects.get(pk=note.pk), title="After")
    assert "After" in card() and "Before" not in card()
    profile_update(user=author, display_name="Amei Chen")
    assert "<span>Amei Chen</span>" in card()
    assert '<img class="avatar' not in card()
    avatar_set(user=author, file=ContentFile(sample_photo("original")))
    assert '<img class="avatar' in card()
    client.force_login(author)
    assert "note-badge" not in card()
    services.note_update(note=Note.objects.get(pk=note.pk), visibility=Visibility.PRIVATE)
    assert "Only me" in card()
    client.cookies["rednote_language"] = "zh-hans"
    assert "仅自己可见" in card() and "Only me" not in card()


def test_a_like_by_the_viewer_flips_their_variant_only(client, user, other_user):
    note = NoteFactory(author=UserFactory(handle="amei"))
    client.force_login(user)
    assert "is-active" not in _card(client.get("/@amei/").content.decode(), note.pk)
    services.note_like(user=user, note=note)
    assert "is-active" in _card(client.get("/@amei/").content.decode(), note.pk)
    client.force_login(other_user)
    html = _card(client.get("/@amei/").content.decode(), note.pk)
    assert "is-active" not in html and 'title="1"' in html


def test_cached_cards_read_no_photos_on_the_following_page(client, user):
    """The home feed loads no photos; the cards that miss the cache load theirs in one query,
    and once cached a page reads none (a published note's photos stay as posted)."""
    for _ in range(3):
        author = UserFactory()
        FollowFactory(follower=user, followee=author)
        NoteFactory(author=author, images=2)
    client.force_login(user)

    def photo_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/following/")
        assert response.status_code == 200
        html = response.content.decode()
        return sum("notes_noteimage" in q["sql"] for q in queries.captured_queries), html

    first, html = photo_queries()
    assert first == 1 and html.count('data-testid="note-card"') == 3
    assert html.count('class="note-card-count"') == 3  # two photos each, from that one query
    again, html_again = photo_queries()
    assert again == 0
    cards_of = re.compile(r"<article .*?</article>", re.S)
    assert cards_of.findall(_CSRF.sub("", html_again)) == cards_of.findall(_CSRF.sub("", html))


def test_a_note_being_processed_shows_its_photos_as_they_are_now(client, user):
    """Photos of a note not yet published change without a save of the note: its card (its
    author's, on their profile) is keyed by them."""
    note = NoteFactory(author=user, processing=True, images=1)
    client.force_login(user)
    assert "<img" not in _card(client.get(f"/@{user.handle}/").content.decode(), note.pk)
    image = note.images.get()
    NoteImage.objects.filter(pk=image.pk).update(
        status=ImageStatus.READY, grid="factory/grid.webp", grid_width=48, grid_height=64
    )
    assert 'width="48"' in _card(client.get(f"/@{user.handle}/").content.decode(), note.pk)


@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cached_carousel_is_byte_identical_to_the_template(language):
    """The note page's carousel for no photo, one, several, and photos being processed or
    failed, in both languages; a photo that changes shows at once."""
    notes = [
        NoteFactory(images=0),
        NoteFactory(images=1, images__alt_text='a "cat" <b>'),
        NoteFactory(images=3),
        NoteFactory(processing=True, images=2),
    ]
    NoteImage.objects.filter(pk=notes[3].images.first().pk).update(status=ImageStatus.FAILED)
    source = '{% include "notes/_carousel.html" %}'
    cached = "{% load note_cards %}{% note_carousel images %}"
    request = RequestFactory().get("/notes/1/")
    request.user = AnonymousUser()
    with translation.override(language):
        for note in notes:
            images = list(note.images.order_by("position"))
            expected = _render(source, images, request, name="images")
            assert _render(cached, images, request, name="images") == expected
            assert _render(cached, images, request, name="images") == expected  # from the cache
        image = notes[2].images.order_by("position").first()
        NoteImage.objects.filter(pk=image.pk).update(alt_text="now described")
        images = list(notes[2].images.order_by("position"))
        assert 'alt="now described"' in _render(cached, images, request, name="images")
