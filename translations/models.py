"""Machine translations (the permanent cache), community translations with their votes, and
readers' feedback on translations.

`translations` sits below `notes`: it knows texts and languages, not notes. The cache is keyed
by the text's hash, so every reader of the same text shares one translation; community
translations and feedback point at their note or comment generically (content type + id).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A community translation may be longer than its text (Chinese into English grows), within
# reason.
COMMUNITY_TRANSLATION_MAX_LENGTH = 4000
FEEDBACK_COMMENT_MAX_LENGTH = 500


class MachineTranslationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the provider")
    DONE = "done", _("translated")
    FAILED = "failed", _("unavailable")


class MachineTranslation(models.Model):
    """One text's translation into one language by one provider, shared by every reader.

    Kept for good once made (the same text never costs a second provider call). A row is
    `pending` from the moment a reader asks until the translations queue has an answer, with
    the text in `pending_text` (emptied once done: a hash is all the cache keeps of the
    original); `failed` when the provider could not or would not translate it after the
    retries, with the reason for moderators and operators.
    """

    text_hash = models.CharField(_("text hash"), max_length=64, help_text=_("SHA-256, hex."))
    source_language = models.CharField(
        _("source language"),
        max_length=16,
        blank=True,
        help_text=_("Empty: the provider detected it."),
    )
    target_language = models.CharField(_("target language"), max_length=16)
    provider = models.CharField(_("provider"), max_length=32)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=MachineTranslationStatus.choices,
        default=MachineTranslationStatus.PENDING,
    )
    pending_text = models.TextField(_("text waiting for translation"), blank=True)
    translation = models.TextField(_("translation"), blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("provider calls"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("machine translation")
        verbose_name_plural = _("machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["text_hash", "source_language", "target_language", "provider"],
                name="translations_machine_unique",
            ),
        ]
        indexes = [
            # The translations queue picks up what is waiting.
            models.Index(
                fields=["updated_at"],
                name="translations_machine_pending",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text_hash[:12]} {self.source_language or '?'}→{self.target_language}"


class CommunityTranslation(models.Model):
    """A reader's translation of a note or comment into a language.

    It replaces the machine translation once the content's author accepts it or it has
    `COMMUNITY_TRANSLATION_ACCEPT_VOTES` upvotes, and only while the content's text is the one
    it translated (`source_hash`): an edit makes it stale. One per reader, content, part and
    language; a new suggestion replaces the reader's previous one (and its votes).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    part = models.CharField(
        _("part"),
        max_length=16,
        blank=True,
        help_text=_("Which of the content's texts, when it has several (a note's title, body)."),
    )
    language = models.CharField(_("language"), max_length=16)
    source_hash = models.CharField(_("hash of the translated text"), max_length=64)
    text = models.TextField(
        _("translation"),
        max_length=COMMUNITY_TRANSLATION_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMUNITY_TRANSLATION_MAX_LENGTH)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_translations",
        verbose_name=_("translator"),
    )
    upvote_count = models.PositiveIntegerField(_("upvotes"), default=0)
    is_accepted = models.BooleanField(_("accepted by the author"), default=False)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("community translation")
        verbose_name_plural = _("community translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "part", "language", "author"],
                name="translations_community_one_per_reader",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "language"],
                name="translations_community_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} → {self.language} by {self.author}"


class CommunityTranslationVote(models.Model):
    """One reader's upvote of a community translation."""

    translation = models.ForeignKey(
        CommunityTranslation, on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community translation vote")
        verbose_name_plural = _("community translation votes")
        constraints = [
            models.UniqueConstraint(fields=["translation", "user"], name="translations_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↑ {self.translation_id}"


class FeedbackKind(models.TextChoices):
    BAD_TRANSLATION = "bad_translation", _("Bad translation")
    WRONG_LANGUAGE = "wrong_language", _("Wrong language")


class TranslationFeedback(models.Model):
    """A reader's report that a translation is bad or that the original's language was
    detected wrongly; moderators see them in admin. One per reader, content, language and
    kind."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    language = models.CharField(_("translated into"), max_length=16, blank=True)
    detected_language = models.CharField(
        _("language detected"),
        max_length=16,
        blank=True,
        help_text=_("What the original was taken to be when the reader reported it."),
    )
    provider = models.CharField(_("translated by"), max_length=32, blank=True)
    machine_translation = models.ForeignKey(
        MachineTranslation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    community_translation = models.ForeignKey(
        CommunityTranslation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    translation_text = models.TextField(_("translation shown"), blank=True)
    comment = models.CharField(
        pgettext_lazy("feedback", "remark"), max_length=FEEDBACK_COMMENT_MAX_LENGTH, blank=True
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="translation_feedback",
        verbose_name=_("reported by"),
    )
    is_resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("translation feedback")
        verbose_name_plural = _("translation feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id", "language", "kind"],
                name="translations_feedback_once",
            ),
        ]
        indexes = [
            models.Index(fields=["is_resolved", "-created_at"], name="translations_feedback_queue")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.content_type.model} {self.object_id}"


class UsageKind(models.TextChoices):
    MACHINE = "machine", _("Machine translations served")
    COMMUNITY = "community", _("Community translations served")
    PROVIDER_ERROR = "provider_error", _("Provider errors")


class TranslationUsage(models.Model):
    """How many translations were served (by kind) and how many provider calls failed, per
    day. Counted in the cache as it happens and added here by a periodic task
    (`translations.usage`), so no reader waits on a shared row."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=UsageKind.choices)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("translation usage")
        verbose_name_plural = _("translation usage")
        constraints = [
            models.UniqueConstraint(fields=["day", "kind"], name="translation_usage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"


# The slang glossary (reading aids): terms are short; explanations say what a term means and
# where it comes from, in both languages; an example shows it in use.
GLOSSARY_TERM_MAX_LENGTH = 40
GLOSSARY_EXPLANATION_MAX_LENGTH = 600
GLOSSARY_EXAMPLE_MAX_LENGTH = 300


class GlossaryStatus(models.TextChoices):
    SUGGESTED = "suggested", pgettext_lazy("glossary status", "Suggested")
    APPROVED = "approved", pgettext_lazy("glossary status", "Approved")
    REJECTED = "rejected", pgettext_lazy("glossary status", "Rejected")


class GlossaryTerm(models.Model):
    """One entry of the two-way slang glossary ("yyds", "绝绝子", "no cap", "the ick").

    Approved entries are underlined wherever they occur in a note or comment in their language
    (the term or one of its variants, on word boundaries) and listed by `GET
    /api/v1/glossary/`. Readers suggest entries (held as `suggested` until a moderator
    approves or rejects them in admin); moderators edit them there. A term is unique (case
    aside) per language among the entries that are not rejected."""

    term = models.CharField(_("term"), max_length=GLOSSARY_TERM_MAX_LENGTH)
    language = models.CharField(
        _("language"), max_length=16, help_text=_("The language the term is used in.")
    )
    variants = models.JSONField(
        _("variants"),
        default=list,
        blank=True,
        help_text=_("Other spellings found in text, e.g. YYDS, 永遠的神."),
    )
    pinyin = models.CharField(
        _("pinyin"), max_length=120, blank=True, help_text=_("For Chinese terms, with tone marks.")
    )
    explanation_en = models.TextField(
        _("explanation in English"),
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(GLOSSARY_EXPLANATION_MAX_LENGTH)],
    )
    explanation_zh = models.TextField(
        _("explanation in Chinese"),
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(GLOSSARY_EXPLANATION_MAX_LENGTH)],
    )
    example = models.CharField(_("example"), max_length=GLOSSARY_EXAMPLE_MAX_LENGTH, blank=True)
    example_translation = models.CharField(
        _("example's translation"), max_length=GLOSSARY_EXAMPLE_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GlossaryStatus.choices,
        default=GlossaryStatus.SUGGESTED,
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="glossary_suggestions",
        verbose_name=_("suggested by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("term"),
                "language",
                condition=~Q(status="rejected"),
                name="translations_glossary_term_unique",
                violation_error_message=_("This term is already in the glossary."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="translations_glossary_queue")
        ]

    def __str__(self) -> str:
        return self.term
