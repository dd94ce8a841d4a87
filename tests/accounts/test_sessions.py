"""Sessions that know their user (`accounts.sessions`): a sign-in records whose session it is,
`sessions_end` ends them all (database row and cached copy), and the upgrade copies the
sessions of Django's own table so nobody is signed out by it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoDBStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from accounts.models import UserSession
from accounts.sessions import sessions_end
from tests.factories import PASSWORD, UserFactory

BEFORE = [("accounts", "0008_dataexport_private_archive")]
AFTER = [("accounts", "0009_user_sessions_copy")]


@pytest.mark.django_db
def test_sign_in_records_the_user_and_sessions_end_ends_only_theirs(settings):
    alice, bob = UserFactory(handle="alice"), UserFactory(handle="bob")
    clients = [Client(), Client(), Client()]
    for client, handle in zip(clients, ["alice", "alice", "bob"], strict=True):
        client.post("/accounts/login/", {"login": handle, "password": PASSWORD})
    assert UserSession.objects.filter(user_id=alice.pk).count() == 2
    visitor = Client()
    visitor.get("/accounts/login/")  # a visitor's session (CSRF, messages...) has no user

    assert sessions_end(user_id=alice.pk) == 2

    assert not UserSession.objects.filter(user_id=alice.pk).exists()
    for client in clients[:2]:
        assert client.get("/api/v1/me/").status_code in (401, 403)
    assert clients[2].get("/api/v1/me/").json()["handle"] == "bob"
    assert UserSession.objects.filter(user_id=bob.pk).count() == 1


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_upgrade_copies_django_sessions_with_their_user():
    # Made with today's model, before the schema goes back (later migrations add user columns
    # that the historical table does not have).
    user = UserFactory(handle="carol")
    _migrate(BEFORE)
    try:
        UserSession.objects.all().delete()
        signed = DjangoDBStore()
        signed[SESSION_KEY] = str(user.pk)
        signed.create()
        anonymous = DjangoDBStore()
        anonymous["_language"] = "zh-hans"
        anonymous.create()
        Session.objects.create(
            session_key="x" * 32, session_data="not signed", expire_date=signed.get_expiry_date()
        )

        _migrate(AFTER)

        copied = dict(UserSession.objects.values_list("session_key", "user_id"))
        assert copied == {signed.session_key: user.pk, anonymous.session_key: None}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
