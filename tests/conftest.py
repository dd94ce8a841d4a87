import shutil

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytest_plugins = ["tests.fixtures.redis", "tests.fixtures.images", "tests.fixtures.events"]


@pytest.fixture(autouse=True)
def _media_dirs(settings):
    """Each test writes media and originals to its own throw-away directories."""
    yield
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (allauth, DRF throttles) count in the cache, which is Redis when REDIS_URL
    is set and outlives a test: start every test from an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Django's LocaleMiddleware leaves the language of the last request active in the thread;
    start each test in the default one so a Chinese request can't turn the next test Chinese."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(handle="alice", display_name="Alice")


@pytest.fixture
def other_user(db):
    return UserFactory(handle="bob", display_name="Bob")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def auth_api_client(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    redis = settings.REDIS_URL or "not set (Redis tests skip)"
    return [f"database: {db}", f"redis: {redis}"]
