"""Rate limits, pages and API alike, against the cache the site counts in (Redis with REDIS_URL).

Each action a person can repeat has one budget whichever door they use: the form on the page
and the API endpoint that does the same thing count against one scope (`rednote.throttling`),
so spending half of it on each still ends at the limit. Past it: 429 with Retry-After, and
nothing stored. Every request carries a different forged X-Forwarded-For, which must reset
nothing: the client's address is read only through TRUSTED_PROXY_COUNT proxies.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Block, Follow, Mute, User
from feeds.models import HashtagFollow
from moderation.models import Report
from notes import services as notes_services
from notes.models import (
    Board,
    BoardNote,
    Comment,
    CommentLike,
    Hashtag,
    Note,
    NoteImage,
    NoteLike,
)
from rednote.throttling import client_address, client_ident
from tests.factories import NoteFactory, NoteImageFactory, UserFactory
from tests.fixtures.images import png_bytes, uploaded

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
_forged = (f"198.51.100.{n % 250}, 203.0.113.{n % 250}" for n in itertools.count(1))


def forged() -> dict[str, str]:
    """A new X-Forwarded-For on every request: a client trying to look like someone else."""
    return {"HTTP_X_FORWARDED_FOR": next(_forged)}


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for this test (DRF copies them into its classes at import)."""

    def set_rates(**scopes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


def assert_limited(response) -> None:
    assert response.status_code == 429, (response.status_code, response.content[:300])
    assert int(response["Retry-After"]) >= 1


# --- Form and API: one budget per action ------------------------------------------------------


@dataclass
class Case:
    """An action with a page door and an API door. `first` (page) and `second` (API) spend the
    budget of two; `third` (page) and `fourth` (API) would each store a row if allowed."""

    scope: str
    rows: Callable[[], int]
    first: Callable[[Client, APIClient, dict], Any]
    second: Callable[[Client, APIClient, dict], Any]
    third: Callable[[Client, APIClient, dict], Any]
    fourth: Callable[[Client, APIClient, dict], Any]


def _toggle(scope, model, page_on, api_path):
    """Page does it, API undoes it, then each door tries again (a row if it were allowed)."""
    return Case(
        scope=scope,
        rows=lambda: model.objects.count(),
        first=lambda c, a, x: c.post(page_on(x), **HTMX, **forged()),
        second=lambda c, a, x: a.delete(api_path(x), **forged()),
        third=lambda c, a, x: c.post(page_on(x), **forged()),
        fourth=lambda c, a, x: a.post(api_path(x), **forged()),
    )


def _photo():
    return uploaded(png_bytes(), name="photo.png", content_type="image/png")


CASES = {
    "comments": Case(
        scope="comments",
        rows=lambda: Comment.objects.count(),
        first=lambda c, a, x: c.post(
            f"/notes/{x['note'].pk}/comments/", {"body": "one"}, **HTMX, **forged()
        ),
        second=lambda c, a, x: a.post(
            f"/api/v1/notes/{x['note'].pk}/comments/", {"body": "two"}, **forged()
        ),
        third=lambda c, a, x: c.post(
            f"/notes/{x['note'].pk}/comments/", {"body": "three"}, **forged()
        ),
        fourth=lambda c, a, x: a.post(
            f"/api/v1/notes/{x['note'].pk}/comments/", {"body": "four"}, **forged()
        ),
    ),
    "note likes": _toggle(
        "reactions",
        NoteLike,
        lambda x: f"/notes/{x['note'].pk}/like/",
        lambda x: f"/api/v1/notes/{x['note'].pk}/like/",
    ),
    "collects": _toggle(
        "reactions",
        BoardNote,
        lambda x: f"/notes/{x['note'].pk}/collect/",
        lambda x: f"/api/v1/notes/{x['note'].pk}/collect/",
    ),
    "comment likes": _toggle(
        "reactions",
        CommentLike,
        lambda x: f"/comments/{x['comment'].pk}/like/",
        lambda x: f"/api/v1/comments/{x['comment'].pk}/like/",
    ),
    "follows": _toggle(
        "social_graph",
        Follow,
        lambda x: f"/@{x['other'].handle}/follow/",
        lambda x: f"/api/v1/users/{x['other'].handle}/follow/",
    ),
    "blocks": _toggle(
        "social_graph",
        Block,
        lambda x: f"/@{x['other'].handle}/block/",
        lambda x: f"/api/v1/users/{x['other'].handle}/block/",
    ),
    "mutes": _toggle(
        "social_graph",
        Mute,
        lambda x: f"/@{x['other'].handle}/mute/",
        lambda x: f"/api/v1/users/{x['other'].handle}/mute/",
    ),
    "tag follows": _toggle(
        "social_graph",
        HashtagFollow,
        lambda x: "/tags/travel/follow/",
        lambda x: "/api/v1/tags/travel/follow/",
    ),
    "uploads": Case(
        scope="uploads",
        rows=lambda: NoteImage.objects.count(),
        first=lambda c, a, x: c.post("/notes/media/", {"file": _photo()}, **forged()),
        second=lambda c, a, x: a.post("/api/v1/media/", {"file": _photo()}, **forged()),
        third=lambda c, a, x: c.post("/notes/media/", {"file": _photo()}, **forged()),
        fourth=lambda c, a, x: a.post("/api/v1/media/", {"file": _photo()}, **forged()),
    ),
    "reports": Case(
        scope="reports",
        rows=lambda: Report.objects.count(),
        first=lambda c, a, x: c.post(
            f"/report/note/{x['note'].pk}/", {"reason": "spam"}, **HTMX, **forged()
        ),
        second=lambda c, a, x: a.post(
            "/api/v1/reports/",
            {"target_type": "comment", "target_id": x["comment"].pk, "reason": "spam"},
            format="json",
            **forged(),
        ),
        third=lambda c, a, x: c.post(
            f"/report/user/{x['other'].handle}/", {"reason": "spam"}, **forged()
        ),
        fourth=lambda c, a, x: a.post(
            "/api/v1/reports/",
            {"target_type": "note", "target_id": x["note2"].pk, "reason": "spam"},
            format="json",
            **forged(),
        ),
    ),
    "boards": Case(
        scope="contributions",
        rows=lambda: Board.objects.count(),
        first=lambda c, a, x: c.post("/boards/new/", {"name": "Snacks"}, **forged()),
        second=lambda c, a, x: a.post("/api/v1/boards/", {"name": "Hikes"}, **forged()),
        third=lambda c, a, x: c.post("/boards/new/", {"name": "Cafés"}, **forged()),
        fourth=lambda c, a, x: a.post("/api/v1/boards/", {"name": "Temples"}, **forged()),
    ),
    "notes": Case(
        scope="notes",
        rows=lambda: Note.objects.count(),
        first=lambda c, a, x: c.post(
            f"/notes/{x['own'].pk}/edit/",
            {"title": "Edited", "body": "b", "visibility": "public", "language": "en"},
            **forged(),
        ),
        second=lambda c, a, x: a.patch(
            f"/api/v1/notes/{x['own'].pk}/", {"title": "Again"}, format="json", **forged()
        ),
        third=lambda c, a, x: c.post(
            "/notes/new/",
            {
                "title": "New",
                "body": "b",
                "visibility": "public",
                "language": "en",
                "media_ids": str(x["pending"][0]),
            },
            HTTP_ACCEPT="application/json",
            **forged(),
        ),
        fourth=lambda c, a, x: a.post(
            "/api/v1/notes/",
            {"title": "New", "body": "b", "media_ids": [x["pending"][1]]},
            format="json",
            **forged(),
        ),
    ),
}


@pytest.fixture
def world(user, other_user):
    note = NoteFactory(author=other_user, title="Dali old town")
    comment = notes_services.comment_create(author=other_user, note=note, body="Welcome!")
    Hashtag.objects.create(name="travel", display_name="Travel")
    own = NoteFactory(author=user, title="Mine")
    note2 = NoteFactory(author=other_user, title="Erhai lake")
    pending = [NoteImageFactory(owner=user, pending=True).pk for _ in range(2)]
    return {
        "note": note,
        "comment": comment,
        "other": other_user,
        "own": own,
        "pending": pending,
        "note2": note2,
    }


@pytest.mark.parametrize("name", list(CASES))
def test_page_and_api_share_one_budget_and_store_nothing_past_it(name, world, user, rates):
    case = CASES[name]
    rates(**{case.scope: "2/min"})
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    assert case.first(page, api, world).status_code < 400
    assert case.second(page, api, world).status_code < 400
    before = case.rows()

    assert_limited(case.third(page, api, world))
    assert_limited(case.fourth(page, api, world))
    assert case.rows() == before


def test_community_translations_and_feedback_spend_the_contributions_budget(world, user, rates):
    """Suggesting a translation, voting for one and reporting a bad one (pages only) share the
    budget of boards made or edited; past it, 429 and nothing stored."""
    from translations.models import CommunityTranslation, TranslationFeedback

    rates(contributions="2/min")
    page = Client()
    page.force_login(user)
    comment = world["comment"]
    suggest = f"/translations/comment/{comment.pk}/suggest/"
    assert page.post(suggest, {"text_body": "欢迎！"}, **HTMX, **forged()).status_code == 200
    assert page.post("/boards/new/", {"name": "Snacks"}, **forged()).status_code < 400
    before = (CommunityTranslation.objects.count(), TranslationFeedback.objects.count())
    assert before == (1, 0)
    assert_limited(page.post(suggest, {"text_body": "欢迎你！"}, **HTMX, **forged()))
    feedback = f"/translations/comment/{comment.pk}/feedback/"
    assert_limited(page.post(feedback, {"kind": "bad_translation"}, **forged()))
    assert (CommunityTranslation.objects.count(), TranslationFeedback.objects.count()) == before
    # Reading the panel is not a contribution.
    assert page.get(suggest, **HTMX).status_code == 200


def test_other_people_keep_their_own_budget(world, user, rates):
    rates(comments="1/min")
    url = f"/api/v1/notes/{world['note'].pk}/comments/"
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(user)
    theirs.force_authenticate(UserFactory())
    assert mine.post(url, {"body": "a"}).status_code == 201
    assert_limited(mine.post(url, {"body": "b"}))
    assert theirs.post(url, {"body": "c"}).status_code == 201


def test_reading_does_not_spend_a_write_budget(world, user, rates):
    rates(comments="1/min", reactions="1/min")
    api = APIClient()
    api.force_authenticate(user)
    for _ in range(3):
        assert api.get(f"/api/v1/notes/{world['note'].pk}/comments/").status_code == 200
        assert api.get(f"/api/v1/notes/{world['note'].pk}/").status_code == 200
    assert api.post(f"/api/v1/notes/{world['note'].pk}/comments/", {"body": "x"}).status_code == 201


def test_deleting_your_note_is_never_held_back(world, user, rates):
    rates(notes="1/min")
    api = APIClient()
    api.force_authenticate(user)
    assert api.patch(f"/api/v1/notes/{world['own'].pk}/", {"title": "x"}).status_code == 200
    assert api.delete(f"/api/v1/notes/{world['own'].pk}/").status_code == 204


# --- How a 429 reads ----------------------------------------------------------------------------


def test_plain_form_post_past_the_limit_is_a_page_saying_so(world, user, rates):
    rates(comments="1/min")
    page = Client()
    page.force_login(user)
    url = f"/notes/{world['note'].pk}/comments/"
    page.post(url, {"body": "one"})
    response = page.post(url, {"body": "two"}, HTTP_REFERER=f"http://testserver{url}")

    assert_limited(response)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Too many comments in a short time; try again in" in html
    assert f'href="http://testserver{url}"' in html
    assert Comment.objects.filter(body="two").count() == 0


def test_htmx_past_the_limit_gets_a_toast_and_keeps_the_form(world, user, rates):
    rates(reactions="1/min")
    page = Client()
    page.force_login(user)
    page.post(f"/notes/{world['note'].pk}/like/", **HTMX)
    response = page.post(f"/notes/{world['note'].pk}/unlike/", **HTMX)

    assert_limited(response)
    assert "rednote:message" in response["HX-Trigger"]
    assert "Too many likes and saves" in response.content.decode()
    assert NoteLike.objects.count() == 1


def test_api_past_a_scope_names_it_in_the_error_shape(world, user, rates):
    rates(reactions="1/min")
    api = APIClient()
    api.force_authenticate(user)
    api.post(f"/api/v1/notes/{world['note'].pk}/like/")
    response = api.delete(f"/api/v1/notes/{world['note'].pk}/like/")

    assert_limited(response)
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["errors"] == {}
    assert body["detail"].startswith("Too many likes and saves in a short time; try again in ")


# --- Visitors: search and translations ----------------------------------------------------------


def test_visitor_searches_share_one_budget_by_address(rates):
    rates(search="2/min")
    page, api = Client(), APIClient()
    assert page.get("/search/?q=dali", **forged()).status_code == 200
    assert api.get("/api/v1/search/?q=dali", **forged()).status_code == 200
    assert_limited(page.get("/search/?q=dali", **forged()))
    assert_limited(api.get("/api/v1/search/?q=dali", **forged()))
    # Another address has its own.
    assert Client(REMOTE_ADDR="192.0.2.9").get("/search/?q=dali").status_code == 200


def test_signed_in_searches_have_the_per_user_rate_instead(user, rates):
    rates(search="1/min")
    api = APIClient()
    api.force_authenticate(user)
    assert [api.get("/api/v1/search/?q=dali").status_code for _ in range(3)] == [200] * 3


def test_translation_requests_share_one_budget(world, rates):
    rates(translations="2/min")
    note = world["note"]
    page, api = Client(), APIClient()
    assert page.get(f"/notes/{note.pk}/translation/?lang=zh-Hans", **forged()).status_code != 429
    assert (
        api.get(f"/api/v1/notes/{note.pk}/translation/?lang=zh-Hans", **forged()).status_code != 429
    )
    assert_limited(page.get(f"/notes/{note.pk}/translation/?lang=zh-Hans", **HTMX, **forged()))
    assert_limited(api.get(f"/api/v1/notes/{note.pk}/translation/?lang=zh-Hans", **forged()))


# --- allauth: login, sign-up, reset, e-mail -----------------------------------------------------

SIGNUP = {"handle": "carol_88", "email": "carol@example.com", "password": "a-long-passphrase-9"}


def _signup_form(n: int) -> dict:
    return {
        "email": f"form{n}@example.com",
        "username": f"form_{n}",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }


def test_signup_form_and_api_share_allauths_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    page, api = Client(), APIClient()
    assert page.post("/accounts/signup/", _signup_form(1), **forged()).status_code == 302
    assert api.post("/api/v1/auth/signup/", SIGNUP, format="json", **forged()).status_code == 202
    before = User.objects.count()

    assert_limited(page.post("/accounts/signup/", _signup_form(2), **forged()))
    refused = api.post(
        "/api/v1/auth/signup/",
        {**SIGNUP, "handle": "dan_1", "email": "dan@example.com"},
        format="json",
        **forged(),
    )
    assert_limited(refused)
    assert User.objects.count() == before


def test_login_form_and_api_token_share_allauths_login_limit(settings, user, password):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip", "login_failed": ""}
    page, api = Client(), APIClient()
    credentials = {"username": user.handle, "password": password}
    assert page.post("/accounts/login/", {"login": user.handle, "password": "nope"}, **forged())
    assert api.post("/api/v1/auth/token/", credentials, **forged()).status_code != 429

    response = page.post(
        "/accounts/login/", {"login": user.handle, "password": password}, **forged()
    )
    assert_limited(response)
    assert "_auth_user_id" not in page.session
    assert_limited(api.post("/api/v1/auth/token/", credentials, **forged()))


def test_failed_logins_per_handle_count_on_every_door(settings, user, password):
    settings.ACCOUNT_RATE_LIMITS = {"login": "", "login_failed": "100/m/ip,2/5m/key"}
    staff = Client()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    Client().post("/accounts/login/", {"login": user.handle, "password": "wrong"}, **forged())
    staff.post("/admin/login/", {"username": user.handle, "password": "wrong"}, **forged())

    # Every door now refuses even the right password, with Retry-After.
    site = Client().post(
        "/accounts/login/", {"login": user.handle, "password": password}, **forged()
    )
    assert_limited(site)
    assert "Too many failed login attempts" in site.content.decode()
    api = APIClient().post(
        "/api/v1/auth/token/", {"username": user.handle, "password": password}, **forged()
    )
    assert_limited(api)
    admin = staff.post("/admin/login/", {"username": user.handle, "password": password}, **forged())
    assert_limited(admin)
    assert "_auth_user_id" not in staff.session
    # Someone else's handle is not held back.
    other = UserFactory(is_staff=True)
    other.set_password(password)
    other.save()
    ok = Client().post("/admin/login/", {"username": other.handle, "password": password})
    assert ok.status_code == 302


def test_admin_login_is_limited_per_address_like_the_sites(settings, user, password):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip", "login_failed": ""}
    client = Client()
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "x", "password": "y"}, **forged())
        assert response.status_code == 200
    refused = client.post("/admin/login/", {"username": "x", "password": "y"}, **forged())
    assert_limited(refused)
    assert "Too many attempts" in refused.content.decode()
    # The site's login counts against the same address.
    assert_limited(client.post("/accounts/login/", {"login": "x", "password": "y"}, **forged()))
    # Reading the login page is never refused.
    assert client.get("/admin/login/").status_code == 200


def test_password_reset_is_limited(settings, user):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/m/ip"}
    client = Client()
    for _ in range(2):
        client.post("/accounts/password/reset/", {"email": user.email}, **forged())
    sent = len(mail.outbox)
    refused = client.post("/accounts/password/reset/", {"email": user.email}, **forged())
    assert_limited(refused)
    assert len(mail.outbox) == sent


def test_email_management_is_limited(settings, user):
    settings.ACCOUNT_RATE_LIMITS = {"manage_email": "1/m/user"}
    client = Client()
    client.force_login(user)
    client.post("/accounts/email/", {"action_add": "", "email": "one@example.com"}, **forged())
    before = EmailAddress.objects.count()
    refused = client.post(
        "/accounts/email/", {"action_add": "", "email": "two@example.com"}, **forged()
    )
    assert_limited(refused)
    assert EmailAddress.objects.count() == before


# --- The client's address -----------------------------------------------------------------------


def _request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7, 203.0.113.1", "10.0.0.2"),  # no proxy: the header is the client's
        (0, None, "10.0.0.2"),
        (1, "198.51.100.7, 203.0.113.1", "203.0.113.1"),  # what nginx appended
        (1, "203.0.113.1", "203.0.113.1"),
        (1, None, "10.0.0.2"),  # not through the proxy
        (2, "198.51.100.7, 203.0.113.1, 10.0.0.9", "203.0.113.1"),
        (2, "203.0.113.1", "203.0.113.1"),  # fewer entries than proxies: no 500
        (1, "198.51.100.7, not-an-address", "10.0.0.2"),
    ],
)
def test_client_address_reads_only_the_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_request(forwarded)) == expected


def test_an_ipv6_client_is_one_visitor_per_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("2001:db8:1:2:aaaa::1")
    assert client_address(request) == "2001:db8:1:2:aaaa::1"
    assert (
        client_ident(request)
        == client_ident(_request("2001:db8:1:2:bbbb::7"))
        == ("2001:db8:1:2::")
    )


def test_allauth_reads_the_address_through_the_same_function(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 2
    request = _request("203.0.113.1")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert get_adapter(request).get_client_ip(request) == "10.0.0.2"


def test_behind_one_proxy_its_appended_address_is_the_one_counted(settings, rates):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(search="1/min")
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip", "login_failed": ""}
    client = Client()

    def search(forwarded: str) -> int:
        return client.get("/search/?q=dali", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The client's own entries before nginx's change nothing; nginx's entry is the address.
    assert search("198.51.100.1, 203.0.113.1") == 200
    assert search("198.51.100.2, 203.0.113.1") == 429
    assert search("203.0.113.2") == 200

    def login(forwarded: str) -> int:
        return client.post(
            "/admin/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert login("198.51.100.1, 203.0.113.1") == 200
    assert login("198.51.100.3, 203.0.113.1") == 429
    assert login("203.0.113.2") == 200


def test_answering_follow_requests_spends_the_social_graph_budget(user, other_user, rates):
    from accounts import services as accounts_services

    rates(social_graph="2/min")
    user.is_private = True
    user.save(update_fields=["is_private"])
    asking = [UserFactory() for _ in range(3)]
    for person in asking:
        accounts_services.follow_create(follower=person, followee=user)
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    assert page.post(f"/follow-requests/{asking[0].handle}/accept/", **forged()).status_code < 400
    assert api.post(f"/api/v1/users/{other_user.handle}/follow/", **forged()).status_code == 201
    before = Follow.objects.count()
    assert_limited(page.post(f"/follow-requests/{asking[1].handle}/accept/", **forged()))
    refused = api.post(
        "/api/v1/follow-requests/", {"handle": asking[2].handle, "action": "accept"}, **forged()
    )
    assert_limited(refused)
    assert Follow.objects.count() == before
