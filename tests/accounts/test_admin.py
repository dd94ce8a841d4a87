import pytest
from django.urls import reverse

from accounts.models import Block, Follow, Mute, User
from tests.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    staff = User.objects.create_superuser("root_admin", "root@example.com", "admin-pass-123")
    client.force_login(staff)
    return client


def test_user_changelist_lists_users(admin_client, user, other_user):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "alice" in body and "bob" in body
    assert "alice@example.com" in body


@pytest.mark.parametrize("query", ["ALIC", "alice@example", "Alice"])
def test_user_changelist_search(admin_client, user, other_user, query):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": query})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [user]


def test_user_changelist_filters(admin_client, user, other_user):
    other_user.is_active = False
    other_user.ui_language = "zh-hans"
    other_user.save()
    url = reverse("admin:accounts_user_changelist")

    inactive = admin_client.get(url, {"is_active__exact": "0"})
    chinese = admin_client.get(url, {"ui_language__exact": "zh-hans"})

    assert list(inactive.context["cl"].result_list) == [other_user]
    assert list(chinese.context["cl"].result_list) == [other_user]


def test_user_add_form_creates_user_with_handle(admin_client):
    url = reverse("admin:accounts_user_add")
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "handle": "new_person",
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(handle="new_person")
    assert created.email == "new@example.com"
    assert created.check_password("a-long-enough-passphrase")


def test_user_add_form_refuses_handle_taken_in_another_case(admin_client, user):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "handle": "ALICE",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 200
    assert "This handle is already taken." in response.content.decode()
    assert User.objects.filter(handle__iexact="alice").count() == 1


def test_user_change_form_saves_profile(admin_client, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "languages i read" in page.content.decode().lower()

    response = admin_client.post(
        url,
        {
            "handle": "alice",
            "email": "alice@example.com",
            "display_name": "Alice Admin-edited",
            "bio": "",
            "region": "",
            "avatar_color": "#123456",
            "languages": '["en"]',
            "read_languages": '["zh-Hans"]',
            "ui_language": "",
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.display_name == "Alice Admin-edited"
    assert user.read_languages == ["zh-Hans"]


def test_user_change_form_leaves_suspension_to_the_moderation_desk(
    admin_client, user, captured_events, django_capture_on_commit_callbacks
):
    """ "Active" is not a field of the form: a suspension has a reason, an audit entry and a
    notice, so it is decided on the desk (tests/moderation/test_user_admin.py)."""
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = {
        "handle": user.handle,
        "email": user.email,
        "display_name": "Renamed too",
        "avatar_color": "#123456",
        "languages": '["en"]',
        "read_languages": '["en"]',
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)  # "is_active" left out, as if unticked
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active and user.display_name == "Renamed too"
    assert captured_events.sent == []


def test_admin_password_change_revokes_api_tokens(admin_client, user):
    # An admin setting a new password ends the API tokens, as a change through the site does.
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=user)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url,
        {"password1": "N3w-passphrase!", "password2": "N3w-passphrase!"},
    )

    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password("N3w-passphrase!")
    assert not Token.objects.filter(user=user).exists()


def test_admin_password_change_refused_keeps_the_tokens(admin_client, user):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=user)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(url, {"password1": "N3w-passphrase!", "password2": "other"})

    assert response.status_code == 200 and response.context["form"].errors
    assert Token.objects.filter(user=user).exists()


def test_follow_admin_add_goes_through_service(admin_client, user, other_user):
    url = reverse("admin:accounts_follow_add")
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"follower": user.pk, "followee": other_user.pk})

    assert response.status_code == 302
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_follow_admin_refuses_self_follow_and_blocked(admin_client, user, other_user):
    url = reverse("admin:accounts_follow_add")

    own = admin_client.post(url, {"follower": user.pk, "followee": user.pk})
    BlockFactory(blocker=other_user, blocked=user)
    blocked = admin_client.post(url, {"follower": user.pk, "followee": other_user.pk})

    assert own.status_code == 200 and blocked.status_code == 200
    assert "blocks the other" in blocked.content.decode()
    assert not Follow.objects.exists()


def test_block_admin_add_removes_follows(admin_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)

    response = admin_client.post(
        reverse("admin:accounts_block_add"), {"blocker": user.pk, "blocked": other_user.pk}
    )

    assert response.status_code == 302
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()
    assert not Follow.objects.exists()


def test_graph_admin_changelists_and_delete(admin_client, user, other_user):
    follow = FollowFactory(follower=user, followee=other_user)
    for name in ("follow", "block", "mute"):
        response = admin_client.get(reverse(f"admin:accounts_{name}_changelist"), {"q": "ali"})
        assert response.status_code == 200

    response = admin_client.post(
        reverse("admin:accounts_follow_changelist"),
        {"action": "delete_selected", "_selected_action": [follow.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_user_autocomplete_for_graph_admins(admin_client, user, other_user):
    UserFactory(handle="alicia")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "ali", "app_label": "accounts", "model_name": "mute", "field_name": "muter"},
    )

    assert response.status_code == 200
    handles = sorted(r["text"] for r in response.json()["results"])
    assert handles == ["@alice", "@alicia"]
    assert not Mute.objects.exists()
