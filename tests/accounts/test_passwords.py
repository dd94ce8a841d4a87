"""A new password (changed or reset) ends the account's API tokens as well as its other
browser sessions, and its owner is told by e-mail in their own language."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import auth_token_obtain
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-and-long-passphrase"


def _token_works(key: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(reverse("api:me")).status_code == 200


def _log_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.handle, "password": PASSWORD})
    assert response.status_code == 302


def _change_password(client) -> None:
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:1500]


def _reset_password(client, email: str) -> None:
    client.post(reverse("account_reset_password"), {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form = client.get(link.group(1), follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:1500]


def test_password_change_revokes_api_tokens_and_other_sessions(client, user):
    key = auth_token_obtain(user=user).key
    elsewhere = type(client)()
    _log_in(elsewhere, user)
    _log_in(client, user)
    assert _token_works(key)

    _change_password(client)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=user).exists()
    assert not _token_works(key)
    assert client.get(reverse("accounts:settings")).status_code == 200  # this browser stays
    assert elsewhere.get(reverse("accounts:settings")).status_code == 302  # the other is out


def test_password_reset_revokes_api_tokens(client, user):
    key = auth_token_obtain(user=user).key

    _reset_password(client, user.email)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not _token_works(key)


def test_password_change_emails_the_owner_in_english(client, user):
    _log_in(client, user)
    mail.outbox.clear()

    _change_password(client)

    assert [m.to for m in mail.outbox] == [[user.email]]
    message = mail.outbox[0]
    assert message.subject == "[RedNote] Password Changed"
    assert "Your password has been changed." in message.body
    assert "RedNote" in message.body
    assert "testserver" not in message.body


def test_password_change_emails_the_owner_in_their_interface_language(client, user):
    user.ui_language = "zh-hans"
    user.save(update_fields=["ui_language"])
    _log_in(client, user)
    mail.outbox.clear()

    # The browser asks for English; the owner chose Chinese, so the mail is in Chinese.
    client.cookies.pop("rednote_language", None)
    _change_password(client)

    message = mail.outbox[0]
    assert message.subject == "[RedNote] 密码已更改"
    assert "您的密码现已被修改。" in message.body
    assert "感谢您使用 RedNote！" in message.body


def test_password_reset_emails_the_owner(client, user):
    _reset_password(client, user.email)

    subjects = [m.subject for m in mail.outbox]
    assert subjects == ["[RedNote] Password Reset Email", "[RedNote] Password Reset"]
    assert "Your password has been reset." in mail.outbox[1].body
    assert mail.outbox[1].to == [user.email]
