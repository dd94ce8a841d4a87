"""The migration that makes e-mail addresses unique in any case runs on existing data, and
stops with the addresses to settle when two accounts share one in different case."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_email_any_case_unique")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0001(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_migration_keeps_distinct_addresses_and_empty_ones(at_0001):
    User = at_0001.get_model("accounts", "User")
    User.objects.create(handle="one", email="One@example.org")
    User.objects.create(handle="two", email="two@example.org")
    User.objects.create(handle="none_1", email="")
    User.objects.create(handle="none_2", email="")

    apps = _migrate(AFTER)

    assert apps.get_model("accounts", "User").objects.count() == 4


def test_migration_names_addresses_shared_in_different_case(at_0001):
    User = at_0001.get_model("accounts", "User")
    User.objects.create(handle="dup_a", email="Dup@Example.org")
    User.objects.create(handle="dup_b", email="dup@example.org")

    with pytest.raises(RuntimeError, match="dup@example.org"):
        _migrate(AFTER)

    User.objects.filter(handle="dup_b").update(email="dup_b@example.org")
