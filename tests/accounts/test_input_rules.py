"""Rules applied at the door to what people type: e-mail addresses unique in any case (in the
database, so racing sign-ups cannot both win), handles Unicode-normalised, control characters
refused by field, and one wording per length limit in the form, the service and the API."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.forms import ProfileForm
from accounts.models import BIO_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH, REGION_MAX_LENGTH, User
from accounts.selectors import user_get_by_handle
from accounts.services import handle_validate, profile_update, user_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL): SQLite serialises writers, so there is no race",
)
PASSWORD = "plum-blossom-river-42"


# --- E-mail addresses unique in any case ----------------------------------------------------


def test_email_unique_in_any_case_in_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(handle="alice_two", email="ALICE@Example.COM")


def test_accounts_without_an_address_do_not_collide(db):
    User.objects.create(handle="no_mail_1", email="")
    User.objects.create(handle="no_mail_2", email="")

    assert User.objects.filter(email="").count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_with_emails_differing_in_case_make_one_account():
    emails = ["Dup@Example.org", "dup@example.org", "DUP@EXAMPLE.ORG", "dUp@example.ORG"]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(emails))
    errors: list[BaseException] = []

    def sign_up(i):
        try:
            barrier.wait()
            user_create(handle=f"dup_{i}", email=emails[i], password=PASSWORD)
            outcomes.append("created")
        except ValidationError as exc:
            assert list(exc.message_dict) == ["email"]
            outcomes.append("refused")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(len(emails))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["created"] + ["refused"] * (len(emails) - 1)
    assert User.objects.filter(email__iexact="dup@example.org").count() == 1
    assert EmailAddress.objects.filter(email__iexact="dup@example.org").count() == 1


# --- Handles: normalised, then compared in any case -----------------------------------------


def test_handle_is_nfc_normalised_before_it_is_checked_and_stored(db):
    # U+212A KELVIN SIGN composes to the letter K under NFC.
    user = user_create(handle="\u212aate", email="kate@example.com", password=PASSWORD)

    assert user.handle == "Kate"
    with pytest.raises(ValidationError) as exc:
        handle_validate("kate")
    assert exc.value.message_dict["handle"] == ["This handle is already taken."]
    assert user_get_by_handle(handle="\u212aATE") == user


@pytest.mark.parametrize("bad", ["ali\x00ce", "ali\x1bce", "ali\nce", "a\u0085b"])
def test_control_characters_in_a_handle_are_a_field_error(db, bad):
    with pytest.raises(ValidationError) as exc:
        user_create(handle=bad, email="new@example.com", password=PASSWORD)

    assert exc.value.message_dict == {"handle": ["Remove the control characters from this field."]}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "bad", ["new\x01@example.com", "new@exa\x7fmple.com", "new\x0b@example.com"]
)
def test_control_characters_in_an_email_are_a_field_error(db, bad):
    with pytest.raises(ValidationError) as exc:
        user_create(handle="newbie", email=bad, password=PASSWORD)

    assert exc.value.message_dict == {"email": ["Remove the control characters from this field."]}


def test_api_sign_up_names_the_field_holding_a_control_character(db):
    response = APIClient().post(
        reverse("api:auth-signup"),
        {"email": "new@exa\x1bmple.com", "handle": "new\x07bie", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "handle"}


@pytest.mark.parametrize("handle", ["%00", "a%00b", "%1B"])
def test_user_lookup_with_a_control_character_is_a_404(db, handle):
    response = APIClient().get(f"/api/v1/users/{handle}/")

    assert response.status_code == 404


# --- Length limits: one wording -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("display_name", DISPLAY_NAME_MAX_LENGTH),
        ("bio", BIO_MAX_LENGTH),
        ("region", REGION_MAX_LENGTH),
    ],
)
def test_length_limit_said_alike_by_form_service_and_api(user, field, limit):
    too_long = "x" * (limit + 1)
    expected = [f"Use at most {limit} characters."]

    form = ProfileForm({"handle": user.handle, field: too_long}, user=user)
    with pytest.raises(ValidationError) as service:
        profile_update(user=UserFactory(), **{field: too_long})
    api = APIClient()
    api.force_authenticate(user)
    response = api.patch(reverse("api:me"), {field: too_long}, format="json")

    assert not form.is_valid()
    assert form.errors[field] == expected
    assert service.value.message_dict[field] == expected
    assert response.status_code == 400
    assert response.json()["errors"][field] == expected


def test_length_limit_in_chinese(user):
    api = APIClient()
    api.force_authenticate(user)

    response = api.patch(
        reverse("api:me"), {"region": "x" * 61}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400
    assert "60" in response.json()["errors"]["region"][0]
