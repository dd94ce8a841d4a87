"""System checks: machine translation's settings fit together (`manage.py check`, and at
every start)."""

from django.conf import settings
from django.core import checks

from .providers import provider_get


@checks.register()
def translation_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        provider_get()
    except ValueError as exc:
        return [
            checks.Error(
                str(exc),
                hint="See TRANSLATION_* in README.md; an empty TRANSLATION_PROVIDER turns "
                "machine translation off.",
                id="translations.E001",
            )
        ]
    unknown = [
        code
        for code in settings.CONTENT_LANGUAGES
        if code.split("-")[0].lower() not in {"zh", "ja", "ko"}
        and not _lingua_knows(code.split("-")[0])
    ]
    if unknown:
        return [
            checks.Warning(
                f"CONTENT_LANGUAGES has codes language detection does not know: {unknown}.",
                hint="Use BCP 47 codes such as en, zh-Hans, zh-Hant, ja, ko, fr.",
                id="translations.W001",
            )
        ]
    return []


def _lingua_knows(base: str) -> bool:
    from lingua import IsoCode639_1

    return hasattr(IsoCode639_1, base.upper())
