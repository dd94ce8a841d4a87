"""The accounts and social-graph API (/api/v1/): every route, its errors and its costs."""

import base64
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Block, Follow, Mute, User
from accounts.services import auth_token_obtain
from tests.api import assert_error
from tests.factories import PASSWORD, BlockFactory, FollowFactory, MuteFactory, UserFactory
from tests.fixtures.images import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles and allauth's rate limits count in the cache; each test starts at zero.
    cache.clear()
    yield
    cache.clear()


def url(name: str, handle: str | None = None) -> str:
    return reverse(f"api:{name}", kwargs={"handle": handle} if handle else None)


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_obtain(user=user).key}")
    return client


def db_state() -> tuple:
    return (
        User.objects.count(),
        EmailAddress.objects.count(),
        Follow.objects.count(),
        Block.objects.count(),
        Mute.objects.count(),
        Token.objects.count(),
    )


# --- auth/token/ --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "login", ["alice", "ALICE", "@Alice", "alice@example.com", "ALICE@example.com"]
)
def test_token_obtain_by_handle_any_case_or_email(api_client, user, login):
    response = api_client.post(
        url("auth-token"), {"username": login, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_obtain_returns_the_same_token_each_time(api_client, user):
    body = {"username": "alice", "password": PASSWORD}
    first = api_client.post(url("auth-token"), body, format="json").json()["token"]
    second = api_client.post(url("auth-token"), body, format="json").json()["token"]

    assert first == second
    assert Token.objects.count() == 1


def test_token_obtain_token_authenticates_requests(api_client, user):
    token = api_client.post(
        url("auth-token"), {"username": "alice", "password": PASSWORD}, format="json"
    ).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(url("me"))

    assert response.status_code == 200
    assert response.json()["handle"] == "alice"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "nobody@example.com", "password": PASSWORD},
    ],
)
def test_token_obtain_wrong_credentials_400(api_client, user, body):
    before = db_state()

    response = api_client.post(url("auth-token"), body, format="json")

    body = assert_error(response, 400, "non_field_errors")
    assert "handle or e-mail and password" in body["detail"]
    assert db_state() == before


def test_token_obtain_inactive_account_400(api_client):
    UserFactory(handle="gone", is_active=False)

    response = api_client.post(
        url("auth-token"), {"username": "gone", "password": PASSWORD}, format="json"
    )

    body = assert_error(response, 400, "non_field_errors")
    # Inactive without an end date: suspended for good, and told so (not a generic failure).
    assert body["detail"] == "Your account is suspended permanently."
    assert not Token.objects.exists()


def test_token_obtain_inactive_account_wrong_password_does_not_reveal_status(api_client):
    UserFactory(handle="gone", is_active=False)

    response = api_client.post(
        url("auth-token"), {"username": "gone", "password": "wrong-password"}, format="json"
    )

    body = assert_error(response, 400, "non_field_errors")
    assert "inactive" not in body["detail"]


def test_token_obtain_unverified_email_refused_and_link_resent(api_client):
    UserFactory(handle="newbie", verified_email=False)

    response = api_client.post(
        url("auth-token"), {"username": "newbie", "password": PASSWORD}, format="json"
    )

    body = assert_error(response, 400, "email")
    assert "Confirm your e-mail address" in body["errors"]["email"][0]
    assert not Token.objects.exists()
    assert [m.to for m in mail.outbox] == [["newbie@example.com"]]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"username", "password"}),
        ({"username": "alice"}, {"password"}),
        ({"username": "", "password": ""}, {"username", "password"}),
        ({"username": ["alice"], "password": PASSWORD}, {"username"}),
    ],
)
def test_token_obtain_missing_fields_400(api_client, user, body, fields):
    response = api_client.post(url("auth-token"), body, format="json")

    assert_error(response, 400, *fields)
    assert not Token.objects.exists()


def test_token_obtain_locks_account_after_five_failures(api_client, user, other_user):
    # allauth's login_failed limit (5 per 5 minutes per login), shared with the web login form.
    wrong = {"username": "alice", "password": "wrong-password"}
    statuses = [
        api_client.post(url("auth-token"), wrong, format="json").status_code for _ in range(5)
    ]

    locked = api_client.post(
        url("auth-token"), {"username": "alice", "password": PASSWORD}, format="json"
    )
    other = api_client.post(
        url("auth-token"), {"username": "bob", "password": PASSWORD}, format="json"
    )

    assert statuses == [400] * 5
    body = assert_error(locked, 429)
    assert "Too many failed login attempts" in body["detail"]
    assert other.status_code == 200
    assert Token.objects.filter(user=user).count() == 0


def test_token_obtain_throttled_after_ten_requests(api_client, user):
    statuses = [
        api_client.post(
            url("auth-token"), {"username": f"nobody{i}", "password": "x"}, format="json"
        ).status_code
        for i in range(11)
    ]

    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_token_auth_with_bad_token_401(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(url("me"))

    assert_error(response, 401)


def test_token_auth_of_suspended_account_401(user):
    client = token_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_error(client.get(url("me")), 401)


# --- auth/signup/ -------------------------------------------------------------------------


SIGNUP = {
    "email": "carol@example.com",
    "handle": "Carol_88",
    "password": "a-long-and-unusual-passphrase",
}


def test_signup_creates_account_and_sends_confirmation(api_client):
    response = api_client.post(
        url("auth-signup"),
        {**SIGNUP, "display_name": "Carol", "languages": ["en"], "read_languages": ["zh-Hans"]},
        format="json",
    )

    assert response.status_code == 202, response.content
    assert response.json() == {
        "detail": "Check your inbox: we sent a message to carol@example.com. Follow its link, "
        "then sign in.",
        "email": "carol@example.com",
    }
    user = User.objects.get(handle="Carol_88")
    assert user.check_password(SIGNUP["password"])
    assert (user.display_name, user.languages, user.read_languages) == (
        "Carol",
        ["en"],
        ["zh-Hans"],
    )
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carol@example.com"]


def test_signup_then_confirm_email_then_token(api_client):
    api_client.post(url("auth-signup"), SIGNUP, format="json")
    login = {"username": "carol_88", "password": SIGNUP["password"]}
    assert api_client.post(url("auth-token"), login, format="json").status_code == 400

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirmed = APIClient().post(link.group(1))
    assert confirmed.status_code == 302

    response = api_client.post(url("auth-token"), login, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["token"]


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice", "@aLiCe"])
def test_signup_taken_handle_any_case_400(api_client, user, taken):
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, "handle": taken}, format="json")

    body = assert_error(response, 400, "handle")
    assert "already taken" in body["errors"]["handle"][0]
    assert db_state() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("admin", "reserved"),
        ("API", "reserved"),
        ("a", "2 to 30"),
        ("x" * 31, "2 to 30"),
        ("bad-handle", "letters, digits and underscores"),
        ("李雷", "letters, digits and underscores"),
        ("", "may not be blank"),
        ("@", "Choose a handle"),
    ],
)
def test_signup_bad_handle_400(api_client, handle, message):
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, "handle": handle}, format="json")

    body = assert_error(response, 400, "handle")
    assert message in body["errors"]["handle"][0]
    assert db_state() == before


@pytest.mark.parametrize("email", ["not-an-email", "carol@", "@example.com", "carol@example"])
def test_signup_invalid_email_400(api_client, email):
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, "email": email}, format="json")

    assert_error(response, 400, "email")
    assert db_state() == before
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@example.com"])
def test_signup_known_email_answers_like_a_new_one_and_tells_the_owner(api_client, user, email):
    # allauth's enumeration prevention, as on the sign-up form: the answer is the one a new
    # address gets; nothing is created; the owner of the address is told by e-mail.
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, "email": email}, format="json")

    assert response.status_code == 202
    assert response.json() == {
        "detail": f"Check your inbox: we sent a message to {email}. Follow its link, then sign in.",
        "email": email,
    }
    assert db_state() == before
    assert [m.to for m in mail.outbox] == [[email]]
    assert "already exists" in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_signup_known_email_with_other_problems_reports_only_those(api_client, user):
    response = api_client.post(
        url("auth-signup"),
        {**SIGNUP, "email": "alice@example.com", "handle": "ALICE", "password": "123"},
        format="json",
    )

    body = assert_error(response, 400, "handle", "password")
    assert "e-mail" not in str(body)
    assert mail.outbox == []


def test_signup_known_email_reported_when_verification_is_not_mandatory(api_client, user, settings):
    # Without mandatory verification allauth's form says the address is taken (uniqueness
    # wins over hiding it); the API says the same.
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    response = api_client.post(
        url("auth-signup"), {**SIGNUP, "email": "ALICE@example.com"}, format="json"
    )

    assert_error(response, 400, "email")


@pytest.mark.parametrize(
    "password",
    ["short1!", "1234567890987654", "password123", "carolexample", "carol_88_x", "   "],
    ids=["short", "numeric", "common", "like-email", "like-handle", "blank"],
)
def test_signup_weak_password_400(api_client, password):
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, "password": password}, format="json")

    assert_error(response, 400, "password")
    assert db_state() == before
    assert mail.outbox == []


def test_signup_reports_every_problem_at_once(api_client, user):
    response = api_client.post(
        url("auth-signup"),
        {"email": "nope", "handle": "ALICE", "password": "123"},
        format="json",
    )

    assert_error(response, 400, "email", "handle", "password")
    assert User.objects.count() == 1


def test_signup_missing_fields_400(api_client):
    response = api_client.post(url("auth-signup"), {}, format="json")

    assert_error(response, 400, "email", "handle", "password")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"languages": ["xx"]}, "languages"),
        ({"languages": "en"}, "languages"),
        ({"read_languages": ["en", "en"]}, "read_languages"),
        ({"display_name": "x" * 51}, "display_name"),
    ],
)
def test_signup_bad_profile_field_400(api_client, extra, field):
    before = db_state()

    response = api_client.post(url("auth-signup"), {**SIGNUP, **extra}, format="json")

    assert_error(response, 400, field)
    assert db_state() == before


def test_signup_ignores_privileged_fields(api_client):
    response = api_client.post(
        url("auth-signup"),
        {**SIGNUP, "is_staff": True, "is_superuser": True, "is_active": False},
        format="json",
    )

    assert response.status_code == 202
    user = User.objects.get(handle="Carol_88")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)


def test_signup_works_from_a_signed_in_browser_without_csrf(user):
    # The endpoint takes credentials, not the session: a stale session cookie without a CSRF
    # token must not block it.
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="alice", password=PASSWORD)

    response = client.post(url("auth-signup"), SIGNUP, format="json")

    assert response.status_code == 202


# --- me/ ----------------------------------------------------------------------------------


def test_me_anonymous_401(api_client):
    response = api_client.get(url("me"))

    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_me_returns_private_profile(user):
    response = token_client(user).get(url("me"))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["handle"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["ui_language"] == ""
    assert body["languages"] == ["en"]
    assert body["read_languages"] == ["en"]
    assert body["is_staff"] is False
    assert body["avatar_url"] is None
    assert body["url"] == "http://testserver/@alice/"
    assert body["follower_count"] == 0


def test_me_counts_follows(user, other_user):
    FollowFactory(follower=other_user, followee=user)
    FollowFactory(follower=user, followee=UserFactory())
    FollowFactory(follower=user, followee=UserFactory())

    body = token_client(user).get(url("me")).json()

    assert (body["follower_count"], body["following_count"]) == (1, 2)


def test_me_patch_updates_profile(user):
    response = token_client(user).patch(
        url("me"),
        {
            "display_name": "  Alice Liu ",
            "bio": "Hiking · 徒步",
            "region": "Shanghai",
            "languages": ["zh-Hans", "en"],
            "read_languages": ["en"],
            "ui_language": "zh-hans",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.display_name == "Alice Liu"
    assert user.bio == "Hiking · 徒步"
    assert user.region == "Shanghai"
    assert user.languages == ["zh-Hans", "en"]
    assert user.ui_language == "zh-hans"
    assert response.json()["display_name"] == "Alice Liu"


def test_me_patch_changes_handle(user):
    response = token_client(user).patch(url("me"), {"handle": "Alice_2"}, format="json")

    assert response.status_code == 200
    assert response.json()["handle"] == "Alice_2"
    assert response.json()["url"].endswith("/@Alice_2/")
    user.refresh_from_db()
    assert user.handle == "Alice_2"


def test_me_patch_partial_leaves_other_fields(user):
    token_client(user).patch(url("me"), {"bio": "New bio"}, format="json")

    user.refresh_from_db()
    assert (user.bio, user.display_name, user.languages) == ("New bio", "Alice", ["en"])


def test_me_patch_ignores_read_only_fields(user):
    client = token_client(user)
    before = User.objects.values().get(pk=user.pk)

    response = client.patch(
        url("me"),
        {
            "id": 999,
            "email": "evil@example.com",
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "date_joined": "2000-01-01T00:00:00Z",
            "follower_count": 10_000,
            "password": "pwned-pwned-pwned",
            "avatar_color": "#000000",
        },
        format="json",
    )

    assert response.status_code == 200
    assert User.objects.values().get(pk=user.pk) == before
    assert response.json()["email"] == "alice@example.com"
    assert response.json()["follower_count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"languages": ["xx"]}, "languages"),
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"read_languages": ["fr"]}, "read_languages"),
        ({"languages": "en"}, "languages"),
        ({"languages": ["en", "en"]}, "languages"),
        ({"ui_language": "fr"}, "ui_language"),
        ({"bio": "x" * 501}, "bio"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"region": "x" * 61}, "region"),
        ({"display_name": None}, "display_name"),
        ({"handle": "BOB"}, "handle"),
        ({"handle": "admin"}, "handle"),
        ({"handle": "no spaces"}, "handle"),
    ],
)
def test_me_patch_bad_input_400_stores_nothing(user, other_user, body, field):
    client = token_client(user)
    before = User.objects.values().get(pk=user.pk)

    response = client.patch(url("me"), body, format="json")

    assert_error(response, 400, field)
    assert User.objects.values().get(pk=user.pk) == before


def test_me_patch_keeps_own_handle_in_other_case(user):
    response = token_client(user).patch(url("me"), {"handle": "ALICE"}, format="json")

    assert response.status_code == 200
    assert response.json()["handle"] == "ALICE"


def test_me_patch_anonymous_401(api_client, user):
    assert_error(api_client.patch(url("me"), {"bio": "x"}, format="json"), 401)


# --- me/avatar/ ---------------------------------------------------------------------------


def test_me_avatar_upload_sets_absolute_url(user):
    client = token_client(user)

    response = client.post(
        url("me-avatar"),
        {"file": io.BytesIO(png_bytes())},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    avatar_url = response.json()["avatar_url"]
    assert avatar_url.startswith("http://testserver/media/avatars/")
    assert avatar_url.endswith(".webp")
    user.refresh_from_db()
    with user.avatar.open() as f, Image.open(f) as image:
        assert image.format == "WEBP"
        assert image.size == (400, 400)


def test_me_avatar_not_an_image_400(user):
    client = token_client(user)
    upload = io.BytesIO(b"%PDF-1.4 definitely not an image")
    upload.name = "avatar.png"

    response = client.post(url("me-avatar"), {"file": upload}, format="multipart")

    assert_error(response, 400, "file")
    user.refresh_from_db()
    assert not user.avatar


def test_me_avatar_missing_file_400(user):
    response = token_client(user).post(url("me-avatar"), {}, format="multipart")

    assert_error(response, 400, "file")


def test_me_avatar_delete_clears(user):
    client = token_client(user)
    client.post(url("me-avatar"), {"file": io.BytesIO(png_bytes())}, format="multipart")

    response = client.delete(url("me-avatar"))

    assert response.status_code == 200
    assert response.json()["avatar_url"] is None
    user.refresh_from_db()
    assert not user.avatar


def test_me_avatar_anonymous_401(api_client):
    response = api_client.post(
        url("me-avatar"), {"file": io.BytesIO(png_bytes())}, format="multipart"
    )

    assert_error(response, 401)


# --- users/<handle>/ ----------------------------------------------------------------------


def test_user_detail_public_for_visitors(api_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)

    response = api_client.get(url("user-detail", "bob"))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "handle": "bob",
        "display_name": "Bob",
        "bio": "",
        "region": "",
        "avatar_url": None,
        "avatar_color": "#ff2442",
        "languages": ["en"],
        "read_languages": ["en"],
        "is_private": False,
        "follower_count": 1,
        "following_count": 0,
        "url": "http://testserver/@bob/",
        "relationship": None,
    }


def test_user_detail_any_case(api_client, other_user):
    response = api_client.get(url("user-detail", "BoB"))

    assert response.status_code == 200
    assert response.json()["handle"] == "bob"


def test_user_detail_relationship_for_signed_in_viewer(user, other_user):
    FollowFactory(follower=other_user, followee=user)
    MuteFactory(muter=user, muted=other_user)

    body = token_client(user).get(url("user-detail", "bob")).json()

    assert body["relationship"] == {
        "is_self": False,
        "following": False,
        "followed_by": True,
        "blocking": False,
        "blocked_by": False,
        "muting": True,
        "requested": False,
    }


def test_user_detail_self(user):
    body = token_client(user).get(url("user-detail", "alice")).json()

    assert body["relationship"]["is_self"] is True
    assert "email" not in body


@pytest.mark.parametrize("handle", ["nobody", "gone"])
def test_user_detail_unknown_or_inactive_404(api_client, handle):
    UserFactory(handle="gone", is_active=False)

    response = api_client.get(url("user-detail", handle))

    assert_error(response, 404)


# --- users/<handle>/follow|block|mute/ ----------------------------------------------------


def test_follow_create_then_idempotent(user, other_user):
    client = token_client(user)

    first = client.post(url("user-follow", "bob"))
    second = client.post(url("user-follow", "BOB"))

    assert first.status_code == 201
    assert first.json()["following"] is True
    assert second.status_code == 200
    assert second.json()["following"] is True
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1


def test_follow_delete_then_idempotent(user, other_user):
    FollowFactory(follower=user, followee=other_user)
    client = token_client(user)

    first = client.delete(url("user-follow", "bob"))
    second = client.delete(url("user-follow", "bob"))

    assert first.status_code == second.status_code == 200
    assert first.json()["following"] is False
    assert not Follow.objects.exists()


def test_follow_self_400(user):
    client = token_client(user)
    before = db_state()

    response = client.post(url("user-follow", "alice"))

    body = assert_error(response, 400, "followee")
    assert "yourself" in body["errors"]["followee"][0]
    assert db_state() == before


@pytest.mark.parametrize("blocker", ["viewer", "other"])
def test_follow_blocked_either_way_400(user, other_user, blocker):
    if blocker == "viewer":
        BlockFactory(blocker=user, blocked=other_user)
    else:
        BlockFactory(blocker=other_user, blocked=user)
    client = token_client(user)
    before = db_state()

    response = client.post(url("user-follow", "bob"))

    assert_error(response, 400, "followee")
    assert db_state() == before


@pytest.mark.parametrize("name", ["user-follow", "user-block", "user-mute"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_relationship_unknown_user_404(user, name, method):
    client = token_client(user)
    before = db_state()

    response = getattr(client, method)(url(name, "nobody"))

    assert_error(response, 404)
    assert db_state() == before


@pytest.mark.parametrize("name", ["user-follow", "user-block", "user-mute"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_relationship_anonymous_401(api_client, other_user, name, method):
    before = db_state()

    response = getattr(api_client, method)(url(name, "bob"))

    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert db_state() == before


def test_block_removes_follows_both_ways(user, other_user):
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=other_user, followee=user)

    response = token_client(user).post(url("user-block", "bob"))

    assert response.status_code == 201
    assert response.json() == {
        "is_self": False,
        "following": False,
        "followed_by": False,
        "blocking": True,
        "blocked_by": False,
        "muting": False,
        "requested": False,
    }
    assert not Follow.objects.exists()
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()


def test_block_idempotent_and_unblock(user, other_user):
    client = token_client(user)

    assert client.post(url("user-block", "bob")).status_code == 201
    assert client.post(url("user-block", "bob")).status_code == 200
    assert Block.objects.count() == 1
    response = client.delete(url("user-block", "bob"))

    assert response.status_code == 200
    assert response.json()["blocking"] is False
    assert not Block.objects.exists()
    assert client.post(url("user-follow", "bob")).status_code == 201


def test_block_seen_by_the_blocked(user, other_user):
    BlockFactory(blocker=other_user, blocked=user)

    body = token_client(user).get(url("user-detail", "bob")).json()

    assert body["relationship"]["blocked_by"] is True


def test_block_self_400(user):
    response = token_client(user).post(url("user-block", "alice"))

    assert_error(response, 400, "blocked")
    assert not Block.objects.exists()


def test_mute_create_delete(user, other_user):
    client = token_client(user)

    created = client.post(url("user-mute", "bob"))
    again = client.post(url("user-mute", "bob"))
    removed = client.delete(url("user-mute", "bob"))

    assert (created.status_code, again.status_code, removed.status_code) == (201, 200, 200)
    assert created.json()["muting"] is True
    assert removed.json()["muting"] is False
    assert not Mute.objects.exists()


def test_mute_keeps_follow(user, other_user):
    FollowFactory(follower=user, followee=other_user)

    body = token_client(user).post(url("user-mute", "bob")).json()

    assert body["following"] is True and body["muting"] is True


def test_mute_self_400(user):
    assert_error(token_client(user).post(url("user-mute", "alice")), 400, "muted")
    assert not Mute.objects.exists()


# --- Session authentication and CSRF ------------------------------------------------------


CSRF_SECRET = "k" * 32


@pytest.fixture
def session_client(user):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_session_auth_reads_without_csrf(session_client):
    response = session_client.get(url("me"))

    assert response.status_code == 200
    assert response.json()["handle"] == "alice"


def test_session_auth_unsafe_request_without_csrf_403(session_client, other_user):
    response = session_client.post(url("user-follow", "bob"))

    body = assert_error(response, 403)
    assert "CSRF" in body["detail"]
    assert not Follow.objects.exists()


def test_session_auth_patch_without_csrf_403(session_client, user):
    response = session_client.patch(url("me"), {"bio": "csrf"}, format="json")

    assert_error(response, 403)
    user.refresh_from_db()
    assert user.bio == ""


def test_session_auth_unsafe_request_with_csrf_token(session_client, other_user):
    session_client.cookies["csrftoken"] = CSRF_SECRET

    response = session_client.post(url("user-follow", "bob"), HTTP_X_CSRFTOKEN=CSRF_SECRET)

    assert response.status_code == 201
    assert Follow.objects.filter(followee=other_user).exists()


# --- users/<handle>/followers/ and following/ ---------------------------------------------


def make_followers(user: User, count: int, *, same_time: bool = False) -> list[User]:
    """`count` people following `user`, the last one the newest follow."""
    start = timezone.now() - timedelta(days=1)
    people = []
    for i in range(count):
        person = UserFactory(handle=f"fan{i:03d}")
        when = start if same_time else start + timedelta(minutes=i)
        FollowFactory(follower=person, followee=user, created_at=when)
        people.append(person)
    return people


def walk(client: APIClient, first_url: str) -> tuple[list[str], int]:
    """Follow `next` links from `first_url`; the handles in order and the number of pages."""
    handles, pages, next_url = [], 0, first_url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        body = response.json()
        handles += [card["handle"] for card in body["results"]]
        next_url = body["next"]
        pages += 1
        assert pages < 50
    return handles, pages


def test_followers_list_newest_first_with_cards(api_client, user):
    make_followers(user, 3)

    response = api_client.get(url("user-followers", "alice"))

    assert response.status_code == 200
    body = response.json()
    assert body["previous"] is None and body["next"] is None
    assert [c["handle"] for c in body["results"]] == ["fan002", "fan001", "fan000"]
    card = body["results"][0]
    assert set(card) == {
        "handle",
        "display_name",
        "bio",
        "avatar_url",
        "avatar_color",
        "languages",
        "read_languages",
        "is_private",
        "url",
        "viewer_follows",
        "viewer_requested",
    }
    assert card["url"] == "http://testserver/@fan002/"
    assert card["viewer_follows"] is False


def test_followers_list_viewer_follows(user, other_user):
    fans = make_followers(other_user, 3)
    FollowFactory(follower=user, followee=fans[1])

    body = token_client(user).get(url("user-followers", "bob")).json()

    assert {c["handle"]: c["viewer_follows"] for c in body["results"]} == {
        "fan000": False,
        "fan001": True,
        "fan002": False,
    }


@pytest.mark.parametrize("same_time", [False, True], ids=["distinct-times", "same-time"])
def test_followers_list_pages_cover_everyone_once(api_client, user, same_time):
    make_followers(user, 7, same_time=same_time)

    handles, pages = walk(api_client, url("user-followers", "alice") + "?page_size=2")

    assert pages == 4
    assert sorted(handles) == [f"fan{i:03d}" for i in range(7)]
    if not same_time:
        assert handles == [f"fan{i:03d}" for i in reversed(range(7))]


def test_followers_list_previous_link(api_client, user):
    make_followers(user, 5)
    first = api_client.get(url("user-followers", "alice") + "?page_size=2").json()
    second = api_client.get(first["next"]).json()

    back = api_client.get(second["previous"]).json()

    assert [c["handle"] for c in back["results"]] == [c["handle"] for c in first["results"]]


def test_followers_list_new_follow_does_not_shift_pages(api_client, user):
    make_followers(user, 4)
    first = api_client.get(url("user-followers", "alice") + "?page_size=2").json()
    FollowFactory(follower=UserFactory(handle="latecomer"), followee=user)

    second = api_client.get(first["next"]).json()

    assert [c["handle"] for c in second["results"]] == ["fan001", "fan000"]


def test_followers_list_page_size_capped_at_100(api_client, user):
    people = User.objects.bulk_create(
        [User(handle=f"bulk{i:03d}", email=f"bulk{i}@example.com") for i in range(105)]
    )
    Follow.objects.bulk_create([Follow(follower=p, followee=user) for p in people])

    capped = api_client.get(url("user-followers", "alice") + "?page_size=1000").json()
    default = api_client.get(url("user-followers", "alice")).json()

    assert len(capped["results"]) == 100
    assert len(default["results"]) == 20


@pytest.mark.parametrize("page_size", ["0", "-3", "many"])
def test_followers_list_bad_page_size_uses_default(api_client, user, page_size):
    make_followers(user, 3)

    response = api_client.get(url("user-followers", "alice") + f"?page_size={page_size}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"p=not-a-date").decode(),
        base64.b64encode(b"o=-5&p=2025-01-01").decode(),
    ],
)
def test_followers_list_bad_cursor_400(api_client, user, cursor):
    make_followers(user, 3)

    response = api_client.get(url("user-followers", "alice"), {"cursor": cursor})

    assert_error(response, 400, "cursor")


def test_followers_list_hides_inactive_and_blocked(user, other_user):
    fans = make_followers(other_user, 4)
    fans[0].is_active = False
    fans[0].save(update_fields=["is_active"])
    BlockFactory(blocker=user, blocked=fans[1])
    BlockFactory(blocker=fans[2], blocked=user)

    body = token_client(user).get(url("user-followers", "bob")).json()

    assert [c["handle"] for c in body["results"]] == ["fan003"]


def test_followers_list_unknown_user_404(api_client):
    assert_error(api_client.get(url("user-followers", "nobody")), 404)


def test_following_list_newest_first(api_client, user):
    start = timezone.now() - timedelta(hours=1)
    for i in range(3):
        FollowFactory(
            follower=user,
            followee=UserFactory(handle=f"idol{i}"),
            created_at=start + timedelta(minutes=i),
        )
    FollowFactory(follower=UserFactory(), followee=UserFactory(handle="not_followed"))

    handles, pages = walk(api_client, url("user-following", "alice") + "?page_size=2")

    assert handles == ["idol2", "idol1", "idol0"]
    assert pages == 2


def test_following_list_unknown_user_404(api_client):
    assert_error(api_client.get(url("user-following", "nobody")), 404)


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
def test_follow_lists_query_count_does_not_grow_with_page_size(
    django_assert_max_num_queries, user, other_user, name
):
    for i in range(30):
        fan = UserFactory(handle=f"fan{i:03d}")
        FollowFactory(follower=fan, followee=other_user)
        FollowFactory(follower=other_user, followee=fan)
        if i % 2:
            FollowFactory(follower=user, followee=fan)
    client = token_client(user)

    # Token lookup, the listed person, the viewer's blocks, the page.
    with django_assert_max_num_queries(4):
        small = client.get(url(name, "bob") + "?page_size=2")
    with django_assert_max_num_queries(4):
        large = client.get(url(name, "bob") + "?page_size=30")
    with django_assert_max_num_queries(4):
        following = client.get(small.json()["next"])

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 30
    assert following.status_code == 200
    assert sum(c["viewer_follows"] for c in large.json()["results"]) == 15


def test_follow_list_next_link_keeps_page_size(api_client, user):
    make_followers(user, 5)

    body = api_client.get(url("user-followers", "alice") + "?page_size=2").json()

    query = parse_qs(urlsplit(body["next"]).query)
    assert query["page_size"] == ["2"]
    assert "cursor" in query
