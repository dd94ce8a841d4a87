import io
import random
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import Block, Follow, Mute, User
from tests.factories import BlockFactory, FollowFactory, MuteFactory, UserFactory
from tests.fixtures.images import png_bytes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user, profile with counts, relationship, plus room for the notes grid the notes
# app renders into the profile; what matters is that it does not grow with followers.
PROFILE_QUERY_BUDGET = 10


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits (confirmation mails per address, failed logins) live in the
    cache, which is Redis when REDIS_URL is set and outlives a test: start each one clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice_client(client, user):
    client.force_login(user)
    return client


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# --- Profile ------------------------------------------------------------------------------


def test_profile_shows_person(client, other_user):
    other_user.bio = "Film cameras\nand tea"
    other_user.region = "Chengdu"
    other_user.languages = ["zh-Hans", "en"]
    other_user.save()
    FollowFactory(followee=other_user)

    response = client.get("/@bob/")

    assert response.status_code == 200
    assert "accounts/profile.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Bob" in body and "@bob" in body
    assert "Film cameras\nand tea" in body
    assert "Chengdu" in body
    assert "Simplified Chinese" in body and "English" in body
    assert 'href="/@bob/followers/"' in body and 'href="/@bob/following/"' in body
    assert f'id="follower-count-{other_user.pk}"' in body
    assert "No notes yet" in body


def test_profile_route_is_the_notes_one_with_no_shadowed_copy_in_accounts(user):
    # `/@handle/` is served by notes (profile + notes grid); accounts had a second, never
    # reached, view for the same path.
    from django.urls import NoReverseMatch, resolve

    assert resolve("/@alice/").view_name == "notes:profile"
    with pytest.raises(NoReverseMatch):
        reverse("accounts:profile", kwargs={"handle": "alice"})
    assert user.get_absolute_url() == "/@alice/"


def test_profile_handle_is_case_insensitive(client, other_user):
    response = client.get("/@BoB/")

    assert response.status_code == 200
    assert response.context["person"] == other_user
    assert '<link rel="canonical" href="/@bob/">' in response.content.decode()


def test_profile_unknown_handle_is_404(client, db):
    assert client.get("/@nobody_here/").status_code == 404


def test_profile_inactive_user_is_404(client, other_user):
    other_user.is_active = False
    other_user.save()

    assert client.get("/@bob/").status_code == 404


def test_profile_bio_is_escaped(client, other_user):
    other_user.bio = "<script>alert('x')</script> & more"
    other_user.save()

    body = client.get("/@bob/").content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in body


def test_profile_without_avatar_shows_initial_in_colour(client, other_user):
    other_user.avatar_color = "#12ab34"
    other_user.save()

    body = client.get("/@bob/").content.decode()

    assert 'data-css="--avatar: #12ab34"' in body
    assert ">B</span>" in body


def test_profile_anonymous_follow_links_to_login(client, other_user):
    body = client.get("/@bob/").content.decode()

    assert f"{reverse('account_login')}?next=/%40bob/" in body
    assert "More actions" not in body


def test_profile_own_shows_edit_link_not_follow(alice_client, user):
    body = alice_client.get("/@alice/").content.decode()

    assert reverse("accounts:settings") in body
    assert "Edit profile" in body
    assert 'data-testid="follow-button"' not in body


def test_profile_follow_button_reflects_relationship(alice_client, user, other_user):
    body = alice_client.get("/@bob/").content.decode()
    assert 'action="/@bob/follow/"' in body
    assert "Mute @bob" in body and "Block @bob" in body

    FollowFactory(follower=other_user, followee=user)
    assert "Follow back" in alice_client.get("/@bob/").content.decode()

    FollowFactory(follower=user, followee=other_user)
    body = alice_client.get("/@bob/").content.decode()
    assert 'action="/@bob/unfollow/"' in body
    assert "is-following" in body


def test_profile_when_viewer_blocks_shows_note_and_unblock(alice_client, user, other_user):
    BlockFactory(blocker=user, blocked=other_user)

    response = alice_client.get("/@bob/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="blocked-notice"' in body
    assert 'action="/@bob/unblock/"' in body
    assert 'data-testid="follow-button"' not in body


def test_profile_when_blocked_by_owner_has_no_follow_button(alice_client, user, other_user):
    BlockFactory(blocker=other_user, blocked=user)

    response = alice_client.get("/@bob/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="follow-button"' not in body
    assert 'data-testid="blocked-notice"' not in body


def test_profile_muted_shows_unmute(alice_client, user, other_user):
    MuteFactory(muter=user, muted=other_user)

    body = alice_client.get("/@bob/").content.decode()

    assert 'action="/@bob/unmute/"' in body
    assert "You muted @bob" in body


def test_profile_query_budget_does_not_grow(
    alice_client, user, other_user, django_assert_max_num_queries
):
    for _ in range(3):
        FollowFactory(followee=other_user)
    with django_assert_max_num_queries(PROFILE_QUERY_BUDGET):
        assert alice_client.get("/@bob/").status_code == 200

    for _ in range(25):
        FollowFactory(followee=other_user)
        FollowFactory(follower=other_user)
    with django_assert_max_num_queries(PROFILE_QUERY_BUDGET):
        response = alice_client.get("/@bob/")
    assert response.context["person"].follower_count == 28


# --- Followers and following ----------------------------------------------------------------


def test_followers_list_shows_rows_with_follow_buttons(alice_client, user, other_user):
    carol = UserFactory(handle="carol", display_name="Carol")
    dan = UserFactory(handle="dan", display_name="Dan")
    FollowFactory(follower=carol, followee=other_user)
    FollowFactory(follower=dan, followee=other_user)
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=user, followee=carol)

    response = alice_client.get("/@bob/followers/")

    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [row.handle for row in rows] == ["alice", "dan", "carol"]
    body = response.content.decode()
    assert 'action="/@carol/unfollow/"' in body  # alice already follows carol
    assert 'action="/@dan/follow/"' in body
    assert 'action="/@alice/follow/"' not in body  # no button for oneself


def test_following_list_shows_people_followed(client, other_user):
    carol = UserFactory(handle="carol", display_name="Carol")
    FollowFactory(follower=other_user, followee=carol)

    response = client.get("/@BOB/following/")

    assert response.status_code == 200
    assert [row.handle for row in response.context["page"]] == ["carol"]
    assert "@carol" in response.content.decode()


def test_people_lists_hide_people_in_a_block_with_viewer(alice_client, user, other_user):
    carol = UserFactory(handle="carol")
    FollowFactory(follower=carol, followee=other_user)
    BlockFactory(blocker=carol, blocked=user)

    response = alice_client.get("/@bob/followers/")

    assert list(response.context["page"]) == []
    assert "Nobody follows @bob yet." in response.content.decode()


def test_people_lists_unknown_handle_is_404(client, db):
    assert client.get("/@ghost/followers/").status_code == 404
    assert client.get("/@ghost/following/").status_code == 404


def test_followers_list_paginates(client, other_user):
    for _ in range(32):
        FollowFactory(followee=other_user)

    first = client.get("/@bob/followers/")
    second = client.get("/@bob/followers/?page=2")
    junk = client.get("/@bob/followers/?page=abc")

    assert len(first.context["page"]) == 30
    assert len(second.context["page"]) == 2
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert junk.status_code == 200 and junk.context["page"].number == 1


def test_followers_list_query_budget_does_not_grow(
    alice_client, user, other_user, django_assert_max_num_queries
):
    for _ in range(3):
        FollowFactory(followee=other_user)
    with django_assert_max_num_queries(6):
        assert alice_client.get("/@bob/followers/").status_code == 200

    for _ in range(27):
        follower = FollowFactory(followee=other_user).follower
        FollowFactory(follower=user, followee=follower)
    with django_assert_max_num_queries(6):
        response = alice_client.get("/@bob/followers/")
    assert len(response.context["page"]) == 30


# --- Follow, unfollow, block, mute ----------------------------------------------------------


def test_follow_with_htmx_returns_button_and_count(alice_client, user, other_user):
    response = alice_client.post(
        "/@bob/follow/", {"count": "1"}, HTTP_HX_CURRENT_URL="http://testserver/@bob/", **HTMX
    )

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/_follow_button.html"
    body = response.content.decode()
    assert 'action="/@bob/unfollow/"' in body
    assert ">Following<" in body
    assert '<input type="hidden" name="next" value="/@bob/">' in body
    assert f'id="follower-count-{other_user.pk}" hx-swap-oob="true"' in body
    assert re.search(r'hx-swap-oob="true"[^>]*>1</strong>', body)
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_follow_with_htmx_from_a_list_sends_no_count(alice_client, other_user):
    response = alice_client.post("/@bob/follow/", **HTMX)

    assert response.status_code == 200
    assert "hx-swap-oob" not in response.content.decode()


def test_unfollow_with_htmx_flips_back(alice_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)

    response = alice_client.post("/@bob/unfollow/", {"count": "1"}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'action="/@bob/follow/"' in body
    assert re.search(r'hx-swap-oob="true"[^>]*>0</strong>', body)
    assert not Follow.objects.filter(follower=user, followee=other_user).exists()


def test_follow_plain_post_redirects_to_profile(alice_client, user, other_user):
    response = alice_client.post("/@bob/follow/")

    assert response.status_code == 302
    assert response.url == "/@bob/"
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    page = alice_client.get(response.url)
    assert "You now follow @bob." in page.content.decode()


def test_follow_plain_post_follows_safe_next(alice_client, other_user):
    response = alice_client.post("/@bob/follow/", {"next": "/@bob/followers/?page=2"})

    assert response.url == "/@bob/followers/?page=2"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_follow_plain_post_ignores_unsafe_next(alice_client, other_user, next_url):
    response = alice_client.post("/@bob/follow/", {"next": next_url})

    assert response.status_code == 302
    assert response.url == "/@bob/"


def test_follow_twice_is_one_follow(alice_client, user, other_user):
    alice_client.post("/@bob/follow/")
    alice_client.post("/@bob/follow/")

    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1


def test_follow_counts_change_on_profile(alice_client, user, other_user):
    alice_client.post("/@bob/follow/")

    bob = alice_client.get("/@bob/").context["person"]
    alice = alice_client.get("/@alice/").context["person"]
    assert bob.follower_count == 1
    assert alice.following_count == 1

    alice_client.post("/@bob/unfollow/")
    assert alice_client.get("/@bob/").context["person"].follower_count == 0


def test_self_follow_with_htmx_is_400_with_message(alice_client, user):
    response = alice_client.post("/@alice/follow/", **HTMX)

    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()
    assert "rednote:message" in response["HX-Trigger"]
    assert not Follow.objects.exists()


def test_self_follow_plain_post_redirects_with_message(alice_client, user):
    response = alice_client.post("/@alice/follow/", follow=True)

    assert response.status_code == 200
    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


def test_follow_refused_when_blocked(alice_client, user, other_user):
    BlockFactory(blocker=other_user, blocked=user)

    htmx = alice_client.post("/@bob/follow/", **HTMX)
    plain = alice_client.post("/@bob/follow/", follow=True)

    assert htmx.status_code == 400
    assert "You cannot follow this user." in htmx.content.decode()
    assert "You cannot follow this user." in plain.content.decode()
    assert not Follow.objects.exists()


def test_follow_unknown_user_is_404(alice_client):
    assert alice_client.post("/@ghost/follow/").status_code == 404
    assert alice_client.post("/@ghost/follow/", **HTMX).status_code == 404


def test_follow_needs_post(alice_client, other_user):
    assert alice_client.get("/@bob/follow/").status_code == 405
    assert not Follow.objects.exists()


def test_follow_anonymous_redirects_to_login(client, other_user):
    response = client.post("/@bob/follow/")

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2F%40bob%2F"
    assert not Follow.objects.exists()


def test_follow_anonymous_htmx_gets_hx_redirect(client, other_user):
    response = client.post(
        "/@bob/follow/", HTTP_HX_CURRENT_URL="http://testserver/@bob/followers/", **HTMX
    )

    assert response["HX-Redirect"] == f"{reverse('account_login')}?next=%2F%40bob%2Ffollowers%2F"
    assert not Follow.objects.exists()


def test_follow_without_csrf_token_is_refused(user, other_user):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)

    response = csrf_client.post("/@bob/follow/")

    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_follow_with_csrf_token_from_page_works(user, other_user):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    page = csrf_client.get("/@bob/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    response = csrf_client.post("/@bob/follow/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_block_removes_follows_and_unblock_restores_button(alice_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=other_user, followee=user)

    response = alice_client.post("/@bob/block/", follow=True)

    assert Block.objects.filter(blocker=user, blocked=other_user).exists()
    assert not Follow.objects.exists()
    assert "You blocked @bob." in response.content.decode()
    assert 'data-testid="blocked-notice"' in response.content.decode()

    response = alice_client.post("/@bob/unblock/", follow=True)

    assert not Block.objects.exists()
    assert 'action="/@bob/follow/"' in response.content.decode()


def test_block_self_is_refused(alice_client, user):
    response = alice_client.post("/@alice/block/", **HTMX)

    assert response.status_code == 400
    assert not Block.objects.exists()


def test_mute_and_unmute(alice_client, user, other_user):
    response = alice_client.post("/@bob/mute/", follow=True)

    assert Mute.objects.filter(muter=user, muted=other_user).exists()
    assert "You muted @bob." in response.content.decode()

    alice_client.post("/@bob/unmute/")
    assert not Mute.objects.exists()


def test_graph_actions_need_login(client, other_user):
    for action in ("unfollow", "block", "unblock", "mute", "unmute"):
        response = client.post(f"/@bob/{action}/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not Block.objects.exists() and not Mute.objects.exists()


# --- Settings -------------------------------------------------------------------------------


def profile_data(**overrides):
    data = {
        "display_name": "Alice Liu",
        "handle": "alice",
        "bio": "Hello\r\nworld",
        "region": "Hangzhou",
        "languages": ["en", "zh-Hans"],
        "read_languages": ["zh-Hans"],
        "ui_language": "",
    }
    data.update(overrides)
    return data


def test_settings_needs_login(client, db):
    response = client.get("/settings/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_settings_page_renders_form(alice_client, user):
    response = alice_client.get("/settings/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="alice"' in body
    assert "Automatic (browser)" in body
    assert "简体中文" in body
    assert 'value="zh-Hans"' in body  # content language checkbox
    assert reverse("account_email") in body
    assert reverse("account_change_password") in body
    assert reverse("account_logout") in body


def test_settings_saves_profile(alice_client, user):
    response = alice_client.post("/settings/", profile_data())

    assert response.status_code == 302
    assert response.url == "/settings/"
    user.refresh_from_db()
    assert user.display_name == "Alice Liu"
    assert user.bio == "Hello\nworld"
    assert user.region == "Hangzhou"
    assert user.languages == ["en", "zh-Hans"]
    assert user.read_languages == ["zh-Hans"]
    assert "Your profile is saved." in alice_client.get(response.url).content.decode()
    profile = alice_client.get("/@alice/").content.decode()
    assert "Alice Liu" in profile and "Hello\nworld" in profile


def test_settings_changes_handle_and_strips_at(alice_client, user):
    response = alice_client.post("/settings/", profile_data(handle="@Alice_2"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.handle == "Alice_2"
    assert alice_client.get("/@alice_2/").status_code == 200


def test_settings_keeps_own_handle_in_another_case(alice_client, user):
    response = alice_client.post("/settings/", profile_data(handle="ALICE"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.handle == "ALICE"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"handle": "BOB"}, "handle", "This handle is already taken."),
        ({"handle": "admin"}, "handle", "This handle is reserved."),
        ({"handle": "Settings"}, "handle", "This handle is reserved."),
        ({"handle": "no spaces"}, "handle", "letters, digits and underscores"),
        ({"handle": ""}, "handle", "This field is required."),
        ({"languages": ["en", "tlh"]}, "languages", "Select a valid choice."),
        ({"read_languages": ["xx"]}, "read_languages", "Select a valid choice."),
        ({"ui_language": "fr"}, "ui_language", "Select a valid choice."),
        ({"bio": "x" * 501}, "bio", "at most 500 characters"),
        ({"display_name": "y" * 51}, "display_name", "at most 50 characters"),
    ],
)
def test_settings_bad_input_is_400_and_stores_nothing(
    alice_client, user, other_user, overrides, field, message
):
    before = User.objects.values().get(pk=user.pk)

    response = alice_client.post("/settings/", profile_data(**overrides))

    assert response.status_code == 400
    errors = response.context["profile_form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert User.objects.values().get(pk=user.pk) == before
    # The page shows the stored account, not the refused values.
    assert response.context["user"].handle == "alice"


def test_settings_interface_language_applies_on_next_page(alice_client, user):
    response = alice_client.post("/settings/", profile_data(ui_language="zh-hans"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.ui_language == "zh-hans"
    next_page = alice_client.get("/@alice/")
    assert html_lang(next_page) == "zh-hans"
    # Remembered on this browser from the saving response on, for after logging out.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert alice_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_settings_automatic_language_forgets_cookie(alice_client, user):
    user.ui_language = "zh-hans"
    user.save()
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = alice_client.post("/settings/", profile_data(ui_language=""))

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    user.refresh_from_db()
    assert user.ui_language == ""
    page = alice_client.get("/@alice/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(page) == "en"


def test_settings_confirmation_in_the_newly_chosen_language(alice_client, user):
    # The page was English; the person switched to Chinese: the next page and its
    # confirmation are both Chinese.
    response = alice_client.post(
        "/settings/", profile_data(ui_language="zh-hans"), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert html_lang(response) == "zh-hans"
    body = response.content.decode()
    assert "个人资料已保存。" in body
    assert "Your profile is saved." not in body


def test_settings_confirmation_in_english_when_switching_back(alice_client, user):
    user.ui_language = "zh-hans"
    user.save(update_fields=["ui_language"])

    response = alice_client.post("/settings/", profile_data(ui_language="en"), follow=True)

    assert html_lang(response) == "en"
    assert "Your profile is saved." in response.content.decode()


def test_settings_confirmation_for_automatic_follows_the_browser(alice_client, user):
    user.ui_language = "en"
    user.save(update_fields=["ui_language"])

    response = alice_client.post(
        "/settings/",
        profile_data(ui_language=""),
        HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5",
        follow=True,
    )

    assert html_lang(response) == "zh-hans"
    assert "个人资料已保存。" in response.content.decode()


def test_avatar_upload_stores_square_webp(alice_client, user):
    upload = SimpleUploadedFile("me.png", png_bytes((300, 200)), content_type="image/png")

    response = alice_client.post("/settings/avatar/", {"avatar": upload})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    with Image.open(user.avatar.path) as stored:
        assert stored.size == (400, 400)
    body = alice_client.get("/@alice/").content.decode()
    assert f'src="{user.avatar.url}"' in body


def test_avatar_remove(alice_client, user):
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    alice_client.post("/settings/avatar/", {"avatar": upload})

    response = alice_client.post("/settings/avatar/remove/")

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.avatar


def test_avatar_not_an_image_is_400_on_field(alice_client, user):
    upload = SimpleUploadedFile(
        "me.png", b"just some text, not a picture", content_type="image/png"
    )

    response = alice_client.post("/settings/avatar/", {"avatar": upload})

    assert response.status_code == 400
    errors = response.context["avatar_form"].errors["avatar"]
    assert "JPEG, PNG, WebP" in " ".join(errors)
    assert 'id="id_avatar_error"' in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_avatar_too_large_is_400_on_field(alice_client, user, settings):
    settings.AVATAR_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (800, 800), random.Random(7).randbytes(800 * 800 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > settings.AVATAR_MAX_BYTES
    upload = SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png")

    response = alice_client.post("/settings/avatar/", {"avatar": upload})

    assert response.status_code == 400
    assert "the limit is 1 MB" in " ".join(response.context["avatar_form"].errors["avatar"])
    user.refresh_from_db()
    assert not user.avatar


def test_avatar_missing_file_is_400(alice_client, user):
    response = alice_client.post("/settings/avatar/", {})

    assert response.status_code == 400
    assert "avatar" in response.context["avatar_form"].errors


# --- Languages ------------------------------------------------------------------------------


def test_language_switch_persists_for_signed_in_user(alice_client, user):
    response = alice_client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/@alice/"}
    )

    assert response.status_code == 302
    assert response.url == "/@alice/"
    user.refresh_from_db()
    assert user.ui_language == "zh-hans"
    assert html_lang(alice_client.get("/@alice/", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"


def test_language_switch_sets_cookie_for_visitor(client, other_user):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/@bob/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert html_lang(client.get("/@bob/")) == "zh-hans"


def test_language_switch_ignores_unsafe_next_and_unknown_language(alice_client, user):
    response = alice_client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == "/"
    user.refresh_from_db()
    assert user.ui_language == ""


def test_accept_language_chinese_gives_chinese_page(client, other_user):
    response = client.get("/@bob/", HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9,en;q=0.5")

    assert html_lang(response) == "zh-hans"


def test_accept_language_chinese_region_variant(client, other_user):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert html_lang(response) == "zh-hans"


def test_language_switcher_on_every_page(client, other_user):
    for url in ("/@bob/", "/@bob/followers/", "/accounts/login/", "/accounts/signup/"):
        body = client.get(url).content.decode()
        assert 'data-testid="language-switcher"' in body, url
        assert f'action="{reverse("set_language")}"' in body, url


# --- allauth pages ---------------------------------------------------------------------------


def test_login_page_uses_our_labels(client, db):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "card auth-card" in body
    assert "E-mail or handle" in body
    assert reverse("account_reset_password") in body


def test_signup_page_uses_our_labels(client, db):
    body = client.get(reverse("account_signup")).content.decode()

    for label in ("E-mail", "Handle", "Password", "Password (again)"):
        assert f">{label}</label>" in body, label


@pytest.mark.parametrize(
    "name",
    ["account_reset_password", "account_reset_password_done", "account_email_verification_sent"],
)
def test_anonymous_account_pages_render(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "card auth-card" in response.content.decode()


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "account_logout"])
def test_signed_in_account_pages_render(alice_client, name):
    response = alice_client.get(reverse(name))

    assert response.status_code == 200
    assert "card auth-card" in response.content.decode()


def test_email_change_needs_reauthentication(alice_client, user):
    response = alice_client.post(
        reverse("account_email"), {"action_add": "", "email": "new@example.com"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    page = alice_client.get(response.url)
    assert "Confirm it" in page.content.decode()
    assert "card auth-card" in page.content.decode()


def test_signup_bad_handle_shows_field_error(client, other_user, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "BOB",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert errors
    assert errors[0].replace("'", "&#x27;") in response.content.decode()
    assert 'id="id_username_error"' in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()
    assert mailoutbox == []


def test_signup_confirm_then_log_in_with_handle(client, db, mailoutbox, password):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "mei@example.com",
            "username": "Mei_Lin",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    path = link[0].split("testserver", 1)[1]

    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert "mei@example.com" in confirm_page.content.decode()
    client.post(path)
    assert EmailAddress.objects.get(email="mei@example.com").verified

    login = client.post(reverse("account_login"), {"login": "mei_lin", "password": password})
    assert login.status_code == 302
    assert client.get("/settings/").status_code == 200


def test_login_wrong_password_shows_error(client, user):
    response = client.post(reverse("account_login"), {"login": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("username", "new\x1bbie"), ("email", "new\x01bie@example.com")],
)
def test_signup_form_refuses_control_characters_on_the_field(client, db, field, value):
    data = {
        "email": "newbie@example.com",
        "username": "newbie",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }

    response = client.post(reverse("account_signup"), {**data, field: value})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not User.objects.exists()


def test_signup_form_stores_the_nfc_form_of_a_handle(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "kate@example.com",
            "username": "\u212aate",  # KELVIN SIGN: K under NFC
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert list(User.objects.values_list("handle", flat=True)) == ["Kate"]
