"""User text is escaped everywhere: markup in a note's title and body, a comment, a display
name, a bio, an alt text or a translation provider's answer comes out as text — on the pages,
in the note overlay and the htmx fragments, in the notifications inbox, in the admin — never
as an element or an attribute."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from notes import services
from notes.models import Hashtag
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import FakeProviderServer, Reply, configure

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = '<script>alert("pwned")</script>'
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {IMG}"
HTMX = {"HX-Request": "true"}


def assert_escaped(html: str, where: str = ""):
    """The payload shows as text: neither its elements nor its attribute break-out survive,
    and its escaped form is there."""
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where
    assert "onerror=alert(1)>" not in html.replace("onerror=alert(1)&gt;", ""), where
    assert "&lt;script&gt;alert(" in html or "&lt;img src=x onerror=alert(1)&gt;" in html, where


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""
    settings.TRANSLATION_MAX_RETRIES = 1
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0
    settings.VISITOR_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def author():
    # A display name holds at most 50 characters: the attribute break-out fits.
    return UserFactory(handle="mallory", display_name=IMG, bio=PAYLOAD)


@pytest.fixture
def note(author):
    note = NoteFactory(
        author=author, title=PAYLOAD, body=f"{PAYLOAD} #food", images__alt_text=PAYLOAD
    )
    note.hashtags.add(Hashtag.objects.create(name="food", display_name="food"))
    return note


@pytest.fixture
def reader():
    client = Client()
    client.force_login(UserFactory(handle="reader", languages=["en"], read_languages=["en"]))
    return client


def test_a_notes_title_body_alt_text_and_author_are_escaped_on_every_page(client, note, author):
    for url in (
        note.get_absolute_url(),
        "/",
        "/tags/food/",
        author.get_absolute_url(),
        # The query itself is echoed (the search box, the heading): escaped too.
        f"/search/?{urlencode({'q': PAYLOAD})}",
        f"{author.get_absolute_url()}followers/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)


def test_the_note_overlay_fragment_is_escaped(client, note):
    response = client.get(note.get_absolute_url(), headers=HTMX)
    assert response.status_code == 200
    assert_escaped(response.content.decode())


def test_a_comment_is_escaped_on_the_page_its_fragment_and_the_authors_inbox(reader, note, author):
    response = reader.post(
        reverse("notes:comments", args=[note.pk]), {"body": PAYLOAD}, headers=HTMX
    )
    assert response.status_code in (200, 201)
    assert_escaped(response.content.decode(), "posted comment fragment")
    assert_escaped(reader.get(note.get_absolute_url()).content.decode(), "note page")
    comments = reader.get(reverse("notes:comments", args=[note.pk]), headers=HTMX)
    assert_escaped(comments.content.decode(), "comments fragment")

    inbox = Client()
    inbox.force_login(author)
    html = inbox.get("/notifications/?tab=comments").content.decode()
    assert "&lt;script&gt;" in html or "&lt;img" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_a_display_name_and_bio_are_escaped_where_people_are_listed(reader, author):
    html = reader.get(author.get_absolute_url()).content.decode()
    assert_escaped(html)
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html  # the bio
    assert html.count("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") >= 2  # name and bio


def test_the_page_title_and_meta_are_escaped(client, note):
    html = client.get(note.get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]
    assert "<script>alert" not in head and "<img" not in head


def test_a_providers_answer_is_escaped(reader, author, settings):
    chinese = NoteFactory(
        author=author, title="大理古城一日游", body="古城的夜晚很安静", language="zh-Hans"
    )

    def answer(call):
        q = call.body["q"]
        return Reply(
            body={"translatedText": [PAYLOAD] * len(q) if isinstance(q, list) else PAYLOAD}
        )

    with FakeProviderServer(answer) as server:
        configure(settings, "libretranslate", server)
        url = reverse("notes:note_translation", kwargs={"note_id": chinese.pk})
        fragment = reader.get(url, headers=HTMX)
        assert fragment.status_code == 200
        html = fragment.content.decode()
        assert "&lt;script&gt;alert(" in html
        assert_escaped(html, "translation fragment")
        assert_escaped(reader.get(chinese.get_absolute_url()).content.decode(), "note page")
        # The API gives the same text as JSON data, which is no HTML.
        api = reader.get(f"/api/v1/notes/{chinese.pk}/translation/?lang=en")
        assert api.status_code == 200
        assert api["Content-Type"].startswith("application/json")


def test_the_admin_escapes_user_text(admin_client, note, author):
    comment = services.comment_create(author=author, note=note, body=PAYLOAD, language="en")
    for url in (
        "/admin/notes/note/",
        f"/admin/notes/note/{note.pk}/change/",
        "/admin/notes/comment/",
        f"/admin/notes/comment/{comment.pk}/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{author.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)


def test_json_script_data_cannot_close_its_script_element(reader):
    """The composer's settings travel in a json_script element; nothing in them can end it."""
    html = reader.get("/notes/new/").content.decode()
    start = html.index('<script id="composer-config" type="application/json">')
    data = html[start : html.index("</script>", start)]
    assert "<" not in data[len('<script id="composer-config" type="application/json">') :]
