"""Changing the e-mail address or the password asks for the current password; a new password
ends the other sessions (deleted from the store) and the API tokens; the old address is told
about an e-mail change; no API endpoint changes either without the password."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User, UserSession
from accounts.services import auth_token_obtain
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-and-long-passphrase"
NEW_EMAIL = "alice.new@example.com"


def _log_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.handle, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]


def _add_email(client):
    return client.post(reverse("account_email"), {"action_add": "", "email": NEW_EMAIL})


def test_email_change_asks_for_the_password_first(client, user):
    _log_in(client, user)
    response = _add_email(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not user.emailaddress_set.filter(email=NEW_EMAIL).exists()

    wrong = client.post(reverse("account_reauthenticate"), {"password": "not-it"})
    assert wrong.status_code == 200
    assert _add_email(client).status_code == 302
    assert not user.emailaddress_set.filter(email=NEW_EMAIL).exists()


def test_email_change_tells_the_old_address(client, user):
    old_email = user.email
    _log_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    mail.outbox.clear()

    response = _add_email(client)
    assert response.status_code == 302
    assert user.emailaddress_set.filter(email=NEW_EMAIL, verified=False).exists()
    confirmation = mail.outbox[-1]
    assert confirmation.to == [NEW_EMAIL]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", confirmation.body)
    assert link, confirmation.body
    mail.outbox.clear()

    assert client.post(link.group(1)).status_code == 302

    user.refresh_from_db()
    assert user.email == NEW_EMAIL
    assert list(user.emailaddress_set.values_list("email", flat=True)) == [NEW_EMAIL]
    told = [m for m in mail.outbox if m.to == [old_email]]
    assert len(told) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert NEW_EMAIL in told[0].body


def test_password_change_needs_the_current_password(client, user):
    _log_in(client, user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_deletes_the_other_sessions_and_tokens(client, user):
    elsewhere, third = type(client)(), type(client)()
    _log_in(elsewhere, user)
    _log_in(third, user)
    _log_in(client, user)
    key = auth_token_obtain(user=user).key
    assert UserSession.objects.filter(user_id=user.pk).count() == 3

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    # Only this browser's session is left, in the store, and it still works.
    kept = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    assert kept == [client.session.session_key]
    assert client.get(reverse("accounts:settings")).status_code == 200
    for other in (elsewhere, third):
        assert other.get(reverse("accounts:settings")).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401


def test_api_profile_update_cannot_change_email_or_password(user):
    api = APIClient()
    api.force_authenticate(user=user)
    old_email = user.email
    response = api.patch(
        "/api/v1/me/",
        {"email": "taken.over@example.com", "password": "hijacked-password-123"},
        format="json",
    )
    assert response.status_code == 200
    user = User.objects.get(pk=user.pk)
    assert user.email == old_email and user.check_password(PASSWORD)
