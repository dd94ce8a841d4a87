"""The API keeps its own contract: schemathesis against /api/schema/.

For every operation in the OpenAPI schema, schemathesis generates a bounded number of requests
(deterministically, so CI is repeatable) and sends them through the whole Django stack in this
process (WSGI), signed in as a user with a token, throttles lifted. No response may be a
server error, carry a status code, content type or body the schema does not describe.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import auth_token_obtain
from tests.factories import BoardFactory, NoteFactory, UserFactory
from tests.translations.servers import FakeProviderServer, configure, libretranslate_answer

# Requests per operation (about 33 operations; ~1,600 requests, under a minute on one core).
EXAMPLES_PER_OPERATION = 50

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_run(monkeypatch, settings):
    """Throttles and allauth's rate limits lifted, the test's database connection kept open.

    Rate limits would turn most of the run into 429s. Django's handler closes the database
    connection after each request, which would end the test's transaction (Django's own test
    client disconnects that receiver too, for the same reason).
    """
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    settings.ACCOUNT_RATE_LIMITS = False
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def translation_provider(settings):
    """A local LibreTranslate for the translation endpoints: without a provider they answer
    their documented 503, which the server-error check cannot tell from a failure."""
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def token(db):
    """A signed-in user with something around: people, notes and boards to find."""
    user = UserFactory(handle="conformance")
    other = UserFactory(handle="neighbour")
    for author in (user, other):
        NoteFactory.create_batch(2, author=author)
        BoardFactory(owner=author)
    return auth_token_obtain(user=user).key


# Loaded when the module is collected (pytest-django has set Django up by then): the schema is
# generated from the code, so it needs neither the database nor a server.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token, api_run, translation_provider):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
