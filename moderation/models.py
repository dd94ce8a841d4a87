"""Reports, the moderators' audit log, appeals and keyword rules.

Targets are generic (a content type and an id): a note, a comment or a user. `moderation` sits
below `notes` in the layers and never imports it; notes registers its models in `registry`.
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

from accounts.models import User, UserQuerySet

REPORT_TEXT_MAX_LENGTH = 1000
APPEAL_TEXT_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment")
    HATE = "hate", _("Hate")
    NUDITY = "nudity", _("Nudity or sexual content")
    MISINFORMATION = "misinformation", _("Misinformation")
    OTHER = "other", pgettext_lazy("report reason", "Other")


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("report status", "Open")
    DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")
    ACTIONED = "actioned", pgettext_lazy("report status", "Acted on")


class Report(models.Model):
    """A person's report of a note, a comment or a user. One open report per reporter and
    target; a decision closes every open report of its target."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reporter"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    # Whose content it is (the user, for a report of a user): the desk groups and suspends by it.
    target_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_received",
        verbose_name=_("reported person"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(
        _("details"),
        blank=True,
        max_length=REPORT_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(REPORT_TEXT_MAX_LENGTH)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # The audit-log action that closed it ("dismiss", "hide"...), empty while open.
    decision = models.CharField(_("decision"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="report_one_open_per_reporter_target",
                violation_error_message=_("You have already reported this."),
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["target_type", "target_id"],
                condition=Q(status="open"),
                name="report_open_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.target_type_id}/{self.target_id} by {self.reporter_id}"


class ModerationAction(models.TextChoices):
    DISMISS = "dismiss", _("Dismissed the reports")
    HIDE = "hide", _("Hid")
    UNHIDE = "unhide", _("Unhid")
    DELETE = "delete", pgettext_lazy("moderation action", "Deleted")
    WARN = "warn", _("Warned")
    SUSPEND = "suspend", _("Suspended")
    UNSUSPEND = "unsuspend", _("Lifted the suspension")
    APPROVE = "approve", _("Approved held content")
    REJECT = "reject", _("Rejected held content")
    APPEAL_GRANT = "appeal_grant", _("Granted the appeal")
    APPEAL_DENY = "appeal_deny", _("Denied the appeal")
    LINK_TAGS = "link_tags", _("Linked hashtags")
    GLOSSARY_APPROVE = "glossary_approve", _("Approved a glossary term")
    GLOSSARY_REJECT = "glossary_reject", _("Rejected a glossary term")
    GLOSSARY_ADD = "glossary_add", _("Added a glossary term")
    GLOSSARY_EDIT = "glossary_edit", _("Edited a glossary term")
    GLOSSARY_DELETE = "glossary_delete", _("Deleted a glossary term")


class AuditLogEntry(models.Model):
    """One moderator action: who, what, on which target, why, when. Written by the moderation
    services only (single and bulk actions alike: a bulk action writes one entry per target);
    read-only in admin."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    # Kept as text too: the log outlives a moderator's account.
    moderator_handle = models.CharField(_("moderator handle"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(_("target id"))
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    target_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    # Action details: a suspension's end, the reports it closed, a bulk action's batch id...
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ModerationAction.values), name="audit_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.moderator_handle} {self.action} {self.target_repr}"


class AppealStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appeal status", "Open")
    GRANTED = "granted", pgettext_lazy("appeal status", "Granted")
    DENIED = "denied", pgettext_lazy("appeal status", "Denied")


class Appeal(models.Model):
    """An author's appeal against a hide: one per hide decision (`hide_entry`)."""

    hide_entry = models.OneToOneField(
        AuditLogEntry,
        on_delete=models.CASCADE,
        related_name="appeal",
        verbose_name=_("decision appealed"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appeals",
        verbose_name=_("author"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    text = models.TextField(
        _("appeal"),
        max_length=APPEAL_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(APPEAL_TEXT_MAX_LENGTH)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    created_at = models.DateTimeField(_("appealed"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AppealStatus.values), name="appeal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} by {self.author_id}"


class KeywordAction(models.TextChoices):
    HOLD = "hold", _("Hold for review")
    REFUSE = "refuse", _("Refuse with a message")


class KeywordRule(models.Model):
    """A term screened in new notes and comments, on the original text and its translation."""

    term = models.CharField(_("term"), max_length=100)
    # A content language code, or "" for any language.
    language = models.CharField(_("language"), max_length=10, blank=True)
    action = models.CharField(
        _("action"), max_length=10, choices=KeywordAction.choices, default=KeywordAction.HOLD
    )
    message = models.CharField(
        _("message"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        help_text=_("Shown to the author when their text is refused."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=KeywordAction.values), name="keyword_action_valid"
            ),
            models.CheckConstraint(condition=~Q(term=""), name="keyword_term_not_empty"),
        ]

    def __str__(self) -> str:
        return self.term


class HoldStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("hold status", "Waiting for review")
    APPROVED = "approved", pgettext_lazy("hold status", "Approved")
    REJECTED = "rejected", pgettext_lazy("hold status", "Rejected")


class HeldContent(models.Model):
    """A note or comment a keyword rule held: visible only to its author until approved."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    rule = models.ForeignKey(
        KeywordRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("rule"),
    )
    matched_term = models.CharField(_("matched term"), max_length=100)
    # Where the term was found: the original text, or its translation into this language.
    matched_in = models.CharField(_("matched in"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.PENDING
    )
    created_at = models.DateTimeField(_("held"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("held content")
        verbose_name_plural = _("held content")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=Q(status="pending"),
                name="held_one_pending_per_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoldStatus.values), name="held_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"held {self.target_type_id}/{self.target_id} ({self.matched_term})"


class SuspendedAccount(User):
    """People as the suspensions admin lists them (a proxy of the user: no table of its own);
    lifting a suspension goes through `services.suspensions.account_unsuspend`. The admin
    lists `objects.suspended()`: inactive and not closed (accounts' one rule)."""

    objects = UserQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("suspended account")
        verbose_name_plural = _("suspended accounts")
