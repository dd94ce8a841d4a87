"""The translation services' types and shared helpers: what a reader gets (`TranslationResult`,
with its `State`, `Reason` and `Kind`), what a caller asks (`TranslationRequest`), the texts'
cache keys and the configured provider."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from ..providers import TranslationProvider, provider_get

logger = logging.getLogger(__name__)

# Enqueued by name: tasks import services, never the other way round.
TRANSLATE_TASK = "translations.translate"
# A failed translation is tried again when someone asks after this long (the provider may be
# back); a pending one is enqueued again when its message seems lost.
FAILED_RETRY_AFTER = timedelta(minutes=30)
PENDING_STALE_AFTER = timedelta(minutes=15)
# The longest wait between two tries of a queued translation, whatever Retry-After says.
MAX_RETRY_WAIT_SECONDS = 600.0


class State:
    DONE = "done"
    PENDING = "pending"
    UNAVAILABLE = "unavailable"


class Reason:
    """Why a translation is unavailable (`TranslationResult.reason`)."""

    NOT_CONFIGURED = "not_configured"
    PRIVATE = "private"
    QUOTA = "quota"
    FAILED = "failed"
    EMPTY = "empty"
    SAME_LANGUAGE = "same_language"
    # A poll (`poll=True`) about a text nobody asked to translate (or whose failure may be
    # tried again): polling never asks the provider; asking again without polling does.
    NOT_ASKED = "not_asked"


class Kind:
    MACHINE = "machine"
    COMMUNITY = "community"


@dataclass(frozen=True)
class TranslationResult:
    """What a reader gets for one text.

    `state` "done" carries `text` (plain, unescaped), the languages, `provider` (a display
    name: "LibreTranslate", or the translator's handle for a community translation) and `kind`;
    "pending" means queued, ask again; "unavailable" carries `reason` (a `Reason`) and
    `detail`, a sentence in the active language for the reader.
    """

    state: str
    target_language: str
    source_language: str | None = None
    text: str = ""
    provider: str = ""
    kind: str = Kind.MACHINE
    cached: bool = False
    reason: str = ""
    detail: str = ""
    community_translation_id: int | None = None

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE

    @property
    def is_pending(self) -> bool:
        return self.state == State.PENDING

    @property
    def is_unavailable(self) -> bool:
        return self.state == State.UNAVAILABLE

    def as_json(self) -> dict:
        """The API's shape (`notes/<id>/translation/` and the like): `text`,
        `source_language`, `target_language`, `provider`, `kind`, `cached`; `detail` when
        unavailable. The state decides the status code (200, 202 pending, 503)."""
        data = {
            "text": self.text,
            "source_language": self.source_language,
            "target_language": self.target_language,
            "provider": self.provider,
            "kind": self.kind,
            "cached": self.cached,
        }
        if self.is_unavailable:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True)
class TranslationRequest:
    """One text to translate in a batch: its source language (None or "mixed": the provider
    detects it), whether it is private, and the note or comment it is (with `part` naming
    which of its texts, e.g. a note's "title" or "body"), for community translations."""

    text: str
    source: str | None = None
    private: bool = False
    content: models.Model | None = None
    part: str = ""


class QuotaExceeded(Exception):
    pass


def text_normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def text_hash(text: str) -> str:
    """The cache's key for a text: SHA-256 of its normalised form."""
    return hashlib.sha256(text_normalize(text).encode("utf-8")).hexdigest()


def _source_code(source: str | None) -> str:
    """The source language as stored with a cached translation; "" lets the provider detect
    it (mixed or unknown text)."""
    if not source or source == "mixed":
        return ""
    return source


def _unavailable(target: str, source: str | None, reason: str) -> TranslationResult:
    return TranslationResult(
        state=State.UNAVAILABLE,
        target_language=target,
        source_language=source or None,
        reason=reason,
        detail=unavailable_detail(reason),
    )


def unavailable_detail(reason: str) -> str:
    """The sentence a reader sees for an unavailable translation."""
    details = {
        Reason.NOT_CONFIGURED: _("Machine translation is not set up on this site."),
        Reason.PRIVATE: _(
            "This text is not public, and this site's translation service is run by a third "
            "party, so it is not sent there."
        ),
        Reason.QUOTA: _("You have translated a lot in the last hour. Please try again later."),
        Reason.FAILED: _("Translation unavailable. Please try again later."),
        Reason.EMPTY: _("There is nothing to translate."),
        Reason.SAME_LANGUAGE: _("This text is already in that language."),
        Reason.NOT_ASKED: _("This translation has not been asked for yet."),
    }
    return str(details.get(reason, details[Reason.FAILED]))


def _content_key(content: models.Model) -> tuple[int, int]:
    content_type = ContentType.objects.get_for_model(content)
    return content_type.pk, int(content.pk)


def _provider() -> TranslationProvider | None:
    """The configured provider; None, with an error logged, when its settings are incomplete
    (the system check `translations.E001` says which): readers then see "not set up", never
    a 500."""
    try:
        return provider_get()
    except ValueError:
        logger.exception("machine translation is misconfigured")
        return None
