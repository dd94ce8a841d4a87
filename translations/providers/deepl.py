"""DeepL through its official package (`deepl`): one `translate_text` call per batch, its
`server_url` set from TRANSLATION_API_URL when given (else DeepL's own, Free or Pro by key)."""

from __future__ import annotations

import deepl
import deepl.http_client

from . import ProviderError, base_language

# DeepL's target codes where they are not the base language in capitals. English needs a
# variant as a target (plain "EN" is refused).
_TARGETS = {"en": "EN-US", "zh-Hans": "ZH-HANS", "zh-Hant": "ZH-HANT", "pt": "PT-BR"}


def deepl_source_code(code: str) -> str:
    return base_language(code).upper()


def deepl_target_code(code: str) -> str:
    return _TARGETS.get(code, base_language(code).upper())


class DeepLProvider:
    key = "deepl"
    display_name = "DeepL"
    max_batch = 50  # DeepL takes up to 50 texts per request
    max_batch_chars = 100_000  # and up to 128 KiB of request body

    def __init__(self, *, url: str = "", api_key: str = "", timeout: float = 10.0):
        self.timeout = timeout
        self.translator = deepl.Translator(
            api_key or "none", server_url=url or None, send_platform_info=False
        )

    def translate(self, texts: list[str], *, source: str | None, target: str) -> list[str]:
        # The package retries by itself (and waits up to 2 minutes between tries); the
        # translations queue does that, so it makes one try, within our timeout. These are the
        # package's module settings: this provider is its only user.
        deepl.http_client.max_network_retries = 0
        deepl.http_client.min_connection_timeout = self.timeout
        try:
            results = self.translator.translate_text(
                texts,
                source_lang=deepl_source_code(source) if source else None,
                target_lang=deepl_target_code(target),
            )
        except deepl.TooManyRequestsException as exc:
            raise ProviderError("DeepL asked to slow down.") from exc
        except deepl.QuotaExceededException as exc:
            raise ProviderError("DeepL's character quota is used up.", retryable=False) from exc
        except deepl.AuthorizationException as exc:
            raise ProviderError("DeepL refused the API key.", retryable=False) from exc
        except deepl.ConnectionException as exc:
            raise ProviderError(f"DeepL could not be reached in time: {exc}") from exc
        except deepl.DeepLException as exc:
            status = exc.http_status_code or 0
            retryable = exc.should_retry or status >= 500
            raise ProviderError(f"DeepL failed: {exc}", retryable=retryable) from exc
        if not isinstance(results, list) or len(results) != len(texts):
            raise ProviderError("DeepL's answer does not match the texts sent.")
        return [result.text for result in results]
