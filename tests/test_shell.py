"""The site's shell (base.html) as a new visitor meets it: icons, navigation, working links."""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from PIL import Image

from notes.models import MAX_IMAGES, Hashtag
from rednote.images import MAX_UPLOAD_BYTES
from tests.factories import BoardFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _feature_page(request):
    return HttpResponse("a feature that has landed")


# ROOT_URLCONF for the tests that pretend notifications have a page.
urlpatterns = [
    path("notifications/", _feature_page),
    path("", include("rednote.urls")),
]


class _Links(HTMLParser):
    """Internal links of a page: `<a href>` and the actions of GET forms."""

    def __init__(self):
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            url = attrs.get("href") or ""
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            url = attrs.get("action") or ""
        else:
            return
        parts = urlsplit(url)
        if url.startswith("/") and not parts.netloc:
            self.links.add(parts.path + (f"?{parts.query}" if parts.query else ""))


def links_of(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@pytest.fixture
def site():
    """Enough content that every kind of page has something to link to."""
    author = UserFactory(handle="dale")
    note = NoteFactory(author=author, title="Brisket", body="Smoked for 14 hours #bbq")
    bbq = Hashtag.objects.create(name="bbq", display_name="bbq")
    note.hashtags.add(bbq)
    for _ in range(2):  # enough for #bbq to trend, so Discover links to it
        NoteFactory(author=author, title="More brisket").hashtags.add(bbq)
    board = BoardFactory(owner=author)
    return {"author": author, "note": note, "board": board}


def _crawl(client, pages: list[str]) -> dict[str, int]:
    """Open `pages`, then every internal link on them; the status of each link."""
    statuses = {}
    seen = set()
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        for link in links_of(response.content.decode()) - seen:
            seen.add(link)
            statuses[link] = client.get(link).status_code
    return statuses


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")

    icon = client.get("/favicon.ico", follow=True)
    assert icon.status_code == 200
    image = Image.open(io.BytesIO(b"".join(icon.streaming_content)))
    assert image.format == "ICO"
    assert (32, 32) in image.info["sizes"]


def test_pages_name_their_icons(client):
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.ico")}" sizes="32x32">' in html
    assert f'href="{static("img/logo.svg")}" type="image/svg+xml"' in html
    assert f'<link rel="apple-touch-icon" href="{static("img/apple-touch-icon.png")}">' in html
    for name in ("img/favicon.ico", "img/logo.svg", "img/apple-touch-icon.png"):
        assert client.get(static(name)).status_code == 200, name


def test_search_box_and_notifications_are_shown(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert '<form class="search" action="/search/" method="get" role="search"' in html
    assert client.get("/search/").status_code == 200
    assert client.get("/notifications/").status_code == 200
    assert html.count('href="/notifications/"') == 2  # the sidebar and the phone's tab bar


def test_search_box_is_shown_to_visitors_and_keeps_the_query(client):
    html = client.get("/search/?q=%E4%B8%8A%E6%B5%B7").content.decode()
    assert '<form class="search" action="/search/" method="get" role="search"' in html
    assert 'name="q" value="上海"' in html


def test_notifications_appear_once_their_page_exists(client, user, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(user)
    html = client.get("/").content.decode()
    assert html.count('href="/notifications/"') == 2  # the sidebar and the phone's tab bar


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_no_page_links_to_a_missing_page(client, site, logged_in):
    """Crawl the main pages one link deep: no link on them leads to a 404 (or a 500)."""
    author, note, board = site["author"], site["note"], site["board"]
    if logged_in:
        client.force_login(author)
    pages = [
        "/",
        "/following/",
        "/notes/new/",
        note.get_absolute_url(),
        author.get_absolute_url(),
        f"/@{author.handle}/boards/",
        board.get_absolute_url(),
        "/tags/bbq/",
        "/search/?q=brisket",
        "/search/?q=dale&type=users",
        "/search/?q=bbq&type=tags",
        "/accounts/login/",
        "/accounts/signup/",
        "/settings/",
    ]
    statuses = _crawl(client, pages)
    assert "/" in statuses and note.get_absolute_url() in statuses
    assert "/tags/bbq/?tab=top" in statuses  # the tag page's tabs
    if logged_in:
        assert f"/@{author.handle}/liked/" in statuses  # their own Liked tab
    broken = {link: status for link, status in statuses.items() if status == 404 or status >= 500}
    assert broken == {}


def test_phone_tab_bar_has_an_icon_and_a_label_per_entry(client, user):
    client.force_login(user)
    html = client.get(user.get_absolute_url()).content.decode()
    tabbar = html[html.index('<nav class="tabbar"') :]
    tabbar = tabbar[: tabbar.index("</nav>")]
    for icon, label in (("discover", "Discover"), ("following", "Following"), ("me", "Me")):
        assert f'<use href="#icon-{icon}"/></svg><span>{label}</span>' in tabbar
    assert 'aria-label="Post"' in tabbar and '<use href="#icon-post"/>' in tabbar
    # The page being shown is the current tab.
    assert f'<a href="{user.get_absolute_url()}" class="tab is-active" aria-current="page">' in (
        tabbar
    )
    for icon in ("discover", "following", "post", "me", "search", "notifications"):
        assert f'<symbol id="icon-{icon}"' in html


def test_composer_states_the_photo_limits(client, user):
    client.force_login(user)
    html = client.get("/notes/new/").content.decode()
    assert f"Up to {MAX_IMAGES} photos" in html
    size = f"Each photo can be up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
    assert size in html
    assert html.count(size) == 2  # with and without JavaScript
