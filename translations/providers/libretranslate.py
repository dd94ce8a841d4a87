"""LibreTranslate (https://libretranslate.com, self-hosted in the compose file):
`POST {url}/translate` with `q` a list for a batch, `format: "text"`."""

from __future__ import annotations

import requests

from . import ProviderError, base_language, retry_after_seconds

# LibreTranslate's own codes where they are not the base language: its self-hosted models
# name Simplified Chinese "zh" and Traditional "zt".
_CODES = {"zh-Hans": "zh", "zh-Hant": "zt", "zh": "zh"}


def libretranslate_code(code: str) -> str:
    return _CODES.get(code, base_language(code))


class LibreTranslateProvider:
    key = "libretranslate"
    display_name = "LibreTranslate"
    max_batch = 50
    max_batch_chars = 20_000

    def __init__(self, *, url: str, api_key: str = "", timeout: float = 10.0):
        if not url:
            raise ValueError("TRANSLATION_API_URL must point at the LibreTranslate server.")
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout
        self.session = requests.Session()

    def translate(self, texts: list[str], *, source: str | None, target: str) -> list[str]:
        payload = {
            "q": texts,
            "source": libretranslate_code(source) if source else "auto",
            "target": libretranslate_code(target),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        try:
            response = self.session.post(self.url, json=payload, timeout=self.timeout)
        except requests.Timeout as exc:
            raise ProviderError("LibreTranslate did not answer in time.") from exc
        except requests.RequestException as exc:
            raise ProviderError(f"LibreTranslate could not be reached: {exc}") from exc
        if response.status_code == 429:
            raise ProviderError(
                "LibreTranslate asked to slow down.",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500:
            raise ProviderError(f"LibreTranslate failed ({response.status_code}).")
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderError("LibreTranslate answered something that is not JSON.") from exc
        if response.status_code != 200:
            # 400 (unsupported language, bad input) and 403 (key) will not get better.
            detail = body.get("error") if isinstance(body, dict) else None
            raise ProviderError(
                f"LibreTranslate refused ({response.status_code}): {detail}", retryable=False
            )
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if (
            not isinstance(translated, list)
            or len(translated) != len(texts)
            or not all(isinstance(text, str) for text in translated)
        ):
            raise ProviderError("LibreTranslate's answer does not match the texts sent.")
        return translated
