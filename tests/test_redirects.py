"""Redirects stay on this site: every `next` — after logging in or out, switching the language,
following someone, an anonymous visitor's detour through the login page, the admin's login —
goes through one test (`rednote.web.is_safe_redirect`), and an address elsewhere, however it is
spelt, lands on a safe default on this site."""

from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from rednote.web import is_safe_redirect, safe_next
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "//evil.tld",
    "//evil.tld/path",
    "///evil.tld",
    "/%2F%2Fevil.tld",
    "/%2f%2fevil.tld",
    "%2F%2Fevil.tld",
    "/%5Cevil.tld",
    "/%5C%5Cevil.tld",
    "/\\evil.tld",
    "\\\\evil.tld",
    "\\/evil.tld",
    "/\\/evil.tld",
    "https://evil.tld",
    "https://evil.tld/",
    "http://evil.tld",
    "HTTPS://evil.tld",
    "https:evil.tld",
    "https:/evil.tld",
    "https:%2F%2Fevil.tld",
    "//testserver@evil.tld",
    "https://testserver@evil.tld/",
    "https://testserver.evil.tld/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript%3Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\x00//evil.tld",
    "//evil.tld%00",
    "/\t/evil.tld",
    "ftp://testserver/",
]

ON_THIS_SITE = [
    "/",
    "/notes/1/",
    "/@mei/",
    "/search/?q=%23food&type=notes",
    "/tags/%E7%BE%8E%E9%A3%9F/",
    "/notes/1/?next=/settings/",
    "http://testserver/notes/1/",
]


@pytest.mark.parametrize("url", ELSEWHERE)
def test_an_address_elsewhere_is_not_safe(url):
    request = RequestFactory().get("/")
    assert not is_safe_redirect(request, url)


@pytest.mark.parametrize("url", ON_THIS_SITE)
def test_an_address_on_this_site_is_safe(url):
    request = RequestFactory().get("/")
    assert is_safe_redirect(request, url)


def test_over_https_only_https_addresses_of_this_site_are_safe():
    request = RequestFactory().get("/", secure=True)
    assert is_safe_redirect(request, "https://testserver/notes/1/")
    assert is_safe_redirect(request, "/notes/1/")
    assert not is_safe_redirect(request, "http://testserver/notes/1/")


def test_only_the_requests_own_host_counts_not_every_allowed_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    request = RequestFactory().get("/")
    assert not is_safe_redirect(request, "http://other.example.org/")


@pytest.mark.parametrize("url", ELSEWHERE)
def test_safe_next_falls_back_to_the_default(url):
    request = RequestFactory().post("/", {"next": url})
    assert safe_next(request, default="/notes/7/") == "/notes/7/"


# --- The views that read a `next` ------------------------------------------------------------

SAMPLE = ["//evil.tld", "/%2F%2Fevil.tld", "/\\evil.tld", "\\\\evil.tld", "https://evil.tld",
          "javascript:alert(1)", "https:%2F%2Fevil.tld"]  # fmt: skip


@pytest.mark.parametrize("url", SAMPLE)
def test_logging_in_with_a_next_elsewhere_lands_on_the_site(client, url):
    user = UserFactory()
    response = client.post(
        f"{reverse('account_login')}?next={url}",
        {"login": user.handle, "password": PASSWORD, "next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_in_with_a_next_on_the_site_goes_there(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.handle, "password": PASSWORD, "next": "/@mei/"}
    )
    assert response["Location"] == "/@mei/"


@pytest.mark.parametrize("url", SAMPLE)
def test_signing_up_with_a_next_elsewhere_lands_on_the_site(client, url):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "newcomer",
            "password1": "a-long-Pass-phrase-9",
            "password2": "a-long-Pass-phrase-9",
            "next": url,
        },
    )
    assert response.status_code == 302
    assert "evil.tld" not in response["Location"]
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


@pytest.mark.parametrize("url", SAMPLE)
def test_logging_out_with_a_next_elsewhere_lands_on_the_site(client, url):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"), {"next": url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("url", SAMPLE)
def test_switching_the_language_with_a_next_elsewhere_lands_on_the_site(client, url):
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": url}, HTTP_REFERER=url
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["rednote_language"].value == "zh-hans"


def test_switching_the_language_goes_back_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/@mei/?tab=x"})
    assert response["Location"] == "/@mei/?tab=x"


@pytest.mark.parametrize("url", SAMPLE)
def test_following_with_a_next_elsewhere_goes_back_to_the_profile(client, url):
    client.force_login(UserFactory())
    other = UserFactory(handle="mei")
    response = client.post(reverse("accounts:follow", args=[other.handle]), {"next": url})
    assert response.status_code == 302
    assert response["Location"] == other.get_absolute_url()


@pytest.mark.parametrize("url", SAMPLE)
def test_an_htmx_page_address_elsewhere_is_not_followed(client, url):
    client.force_login(UserFactory())
    other = UserFactory(handle="mei")
    response = client.post(
        reverse("accounts:follow", args=[other.handle]),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"},
    )
    assert response.status_code == 200
    assert "evil.tld" not in response.content.decode()


@pytest.mark.parametrize("url", SAMPLE)
def test_an_anonymous_visitors_login_detour_comes_back_to_the_site(client, url):
    other = UserFactory(handle="mei")
    response = client.post(reverse("accounts:follow", args=[other.handle]), {"next": url})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2F%40mei%2F"


@pytest.mark.parametrize("url", SAMPLE)
def test_the_admin_login_with_a_next_elsewhere_stays_on_the_site(client, url):
    """Django's admin login checks its `next` with the same Django function; an address
    elsewhere goes to LOGIN_REDIRECT_URL. Whatever the Location, a browser stays here."""
    UserFactory(handle="root", is_staff=True, is_superuser=True)
    response = client.post(
        f"/admin/login/?next={quote(url)}",
        {"username": "root", "password": PASSWORD, "next": url},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(urljoin("http://testserver/admin/login/", location)).netloc == "testserver"
    assert "\\" not in location and not location.startswith("//")


@pytest.mark.parametrize("url", SAMPLE)
def test_the_429_pages_back_link_stays_on_the_site(url):
    from rednote.ratelimits import _back_url

    request = RequestFactory().post("/notes/1/comments/", {"next": url}, HTTP_REFERER=url)
    assert _back_url(request) == "/"
    request = RequestFactory().post("/x/", HTTP_REFERER="http://testserver/notes/1/")
    assert _back_url(request) == "http://testserver/notes/1/"
