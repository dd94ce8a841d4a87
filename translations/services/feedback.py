"""Readers' feedback on a translation ("bad translation", "wrong language"), kept for
moderators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..detection import Detection, language_detect
from ..models import (
    FEEDBACK_COMMENT_MAX_LENGTH,
    FeedbackKind,
    MachineTranslation,
    MachineTranslationStatus,
    TranslationFeedback,
)
from .types import (
    FAILED_RETRY_AFTER,
    Kind,
    TranslationResult,
    _content_key,
    _provider,
    _source_code,
    text_hash,
    text_normalize,
)


@dataclass(frozen=True)
class FeedbackOutcome:
    feedback: TranslationFeedback
    created: bool
    #: For "wrong language": the original's language detected again; the caller stores it on
    #: the note or comment (`Detection.stored`), since translations cannot write them.
    detection: Detection | None = None


@transaction.atomic
def translation_feedback_record(
    *,
    user: User,
    content: models.Model,
    kind: str,
    text: str,
    source: str | None,
    target: str = "",
    shown: TranslationResult | None = None,
    comment: str = "",
) -> FeedbackOutcome:
    """Record a reader's "bad translation" or "wrong language" report on `content` (whose
    text is `text`, taken to be in `source`, translated into `target` as `shown`), once per
    reader, content, language and kind; moderators see it in admin.

    A bad machine translation leaves the cache, so the next reader gets a new one (with an
    LLM, likely a different one; the reader's quota pays for it). A wrong language is detected
    again and returned for the caller to store."""
    if kind not in FeedbackKind.values:
        raise ValidationError(
            {
                "kind": [
                    _("Choose one of: {choices}.").format(choices=", ".join(FeedbackKind.values))
                ]
            }
        )
    comment = text_normalize(comment)
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        limit = _("At most {limit} characters.").format(limit=FEEDBACK_COMMENT_MAX_LENGTH)
        raise ValidationError({"comment": [limit]})
    content_type_id, object_id = _content_key(content)
    provider = _provider()
    machine = None
    if (
        kind == FeedbackKind.BAD_TRANSLATION
        and provider is not None
        and target
        and (shown is None or shown.kind == Kind.MACHINE)
    ):
        machine = MachineTranslation.objects.filter(
            text_hash=text_hash(text),
            source_language=_source_code(source),
            target_language=target,
            provider=provider.key,
        ).first()
    feedback, created = TranslationFeedback.objects.get_or_create(
        reporter=user,
        content_type_id=content_type_id,
        object_id=object_id,
        language=target,
        kind=kind,
        defaults={
            "detected_language": source or "",
            "provider": (shown.provider if shown else "")[:32],
            "machine_translation": machine,
            "community_translation_id": shown.community_translation_id if shown else None,
            "translation_text": (shown.text if shown else "")
            or (machine.translation if machine else ""),
            "comment": comment,
        },
    )
    detection = None
    if created and machine is not None and machine.status == MachineTranslationStatus.DONE:
        # Out of the cache (the report keeps its text): the next reader gets a new one.
        MachineTranslation.objects.filter(pk=machine.pk).update(
            status=MachineTranslationStatus.FAILED,
            failure_reason="Reported as a bad translation.",
            updated_at=timezone.now() - FAILED_RETRY_AFTER - timedelta(seconds=1),
        )
    if kind == FeedbackKind.WRONG_LANGUAGE:
        detection = language_detect(text)
    return FeedbackOutcome(feedback=feedback, created=created, detection=detection)
