"""Translations served and provider errors are counted for the community dashboard."""

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from translations import services
from translations.models import UsageKind
from translations.services import TranslationRequest
from translations.usage import usage_by_day

from .servers import Reply

ZH = "这家店的牛肉面真的太好吃了"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _translation_settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans"]
    settings.TRANSLATION_MAX_RETRIES = 0
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0


def counts():
    today = timezone.localdate()
    return {kind: days.get(today, 0) for kind, days in usage_by_day(start=today, end=today).items()}


def test_each_translation_served_is_counted_cached_or_not(libretranslate_server):
    requests = [TranslationRequest(text=f"{ZH} {n}", source="zh-Hans") for n in range(3)]
    services.translations_get_many(requests=requests, target="en", user=UserFactory())
    assert counts() == {UsageKind.MACHINE: 3}
    services.translations_get_many(requests=requests[:1], target="en")
    assert counts() == {UsageKind.MACHINE: 4}
    # The site reading for itself (screening, a moderator's preview) is not serving a reader.
    services.translations_get_many(requests=requests, target="en", served=False)
    assert counts() == {UsageKind.MACHINE: 4}
    # Nothing to translate is nothing served.
    services.translations_get_many(
        requests=[TranslationRequest(text="hi", source="en")], target="en"
    )
    assert counts() == {UsageKind.MACHINE: 4}


def test_a_provider_error_is_counted(libretranslate_server):
    libretranslate_server.answer = lambda call: Reply(status=500, body={"error": "boom"})
    result = services.translation_get(text=ZH, source="zh-Hans", target="en")
    assert result.is_unavailable
    assert counts() == {UsageKind.PROVIDER_ERROR: 1}
