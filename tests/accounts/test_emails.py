"""Account e-mails are branded (our name and public address, not the host a request reached)
and written in the recipient's language: their interface language when they chose one, else
the language of the request that caused the mail."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "mei@example.com", "handle": "mei_lin", "password": "plum-blossom-river-42"}


def _sign_up(language: str):
    response = APIClient().post(
        reverse("api:auth-signup"), SIGNUP, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 202, response.content
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_confirmation_email_in_english_is_branded(settings):
    settings.SITE_URL = "https://rednote.example.org"

    message = _sign_up("en")

    assert message.subject == "[RedNote] Please Confirm Your Email Address"
    assert "register an account on RedNote." in message.body
    assert "Thank you for using RedNote!\nhttps://rednote.example.org" in message.body
    assert "Hello from" not in message.body
    assert "on testserver" not in message.body
    assert "/accounts/confirm-email/" in message.body


def test_confirmation_email_in_chinese_for_a_chinese_sign_up():
    message = _sign_up("zh-hans")

    assert message.subject == "[RedNote] 请确认您的Email地址"
    assert "在 RedNote 上注册了一个账户" in message.body
    assert "感谢您使用 RedNote！" in message.body
    assert "/accounts/confirm-email/" in message.body


def test_password_reset_email_in_the_owners_language_not_the_requesters(client):
    UserFactory(handle="mei", email="mei@example.com", ui_language="zh-hans")
    UserFactory(handle="sam", email="sam@example.com", ui_language="en")

    client.post(reverse("account_reset_password"), {"email": "mei@example.com"})
    client.post(
        reverse("account_reset_password"),
        {"email": "sam@example.com"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    chinese, english = mail.outbox
    assert chinese.subject == "[RedNote] 密码重置邮件"
    assert "感谢您使用 RedNote！" in chinese.body
    assert english.subject == "[RedNote] Password Reset Email"
    assert "Thank you for using RedNote!" in english.body


def test_account_exists_notice_goes_to_the_owner_in_their_language():
    UserFactory(handle="mei_old", email="mei@example.com", ui_language="zh-hans")

    message = _sign_up("en")

    assert message.to == ["mei@example.com"]
    assert message.subject == "[RedNote] 账户已经存在"
