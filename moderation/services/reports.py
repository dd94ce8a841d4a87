"""People reporting a note, a comment or another person to the moderators.

The page's form and `POST /api/v1/reports/` both find the target with
`moderation.targets.target_get_visible` (404 for what the reporter may not see) and file it with
`report_create`; both count against the `reports` rate (`REPORTS_THROTTLE_SCOPE`) before it.
"""

import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import REPORT_TEXT_MAX_LENGTH, Report, ReportReason, ReportStatus
from ..targets import target_owner_id

# The throttle scope (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES) shared by the API and the page.
REPORTS_THROTTLE_SCOPE = "reports"

ALREADY_REPORTED = gettext_lazy("You have already reported this.")


def report_text_clean(text: str) -> tuple[str, list[str]]:
    """The details as stored (CRLF made LF, trimmed) and what is wrong with them."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    problems = []
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        problems.append(_("The details cannot contain control characters."))
    if len(text) > REPORT_TEXT_MAX_LENGTH:
        problems.append(
            _("The details can have at most %(limit)s characters; they have %(n)s.")
            % {"limit": REPORT_TEXT_MAX_LENGTH, "n": len(text)}
        )
    return text, problems


def report_reason_problems(reason: str) -> list[str]:
    if reason in ReportReason.values:
        return []
    return [
        _("Choose a reason: %(choices)s.") % {"choices": ", ".join(ReportReason.values)}
        if reason
        else _("Choose a reason.")
    ]


def report_create(*, reporter: User, target: models.Model, reason: str, text: str = "") -> Report:
    """File `reporter`'s report of `target` (a note, a comment or a person they may see: the
    caller found it with `target_get_visible`). Refused with a ValidationError naming the field
    (`reason`, `text`, `target` for one's own content) or, when the reporter already has an
    open report of it, "You have already reported this." Nothing is stored when refused."""
    errors: dict[str, list[str]] = {}
    if problems := report_reason_problems(reason):
        errors["reason"] = problems
    text, problems = report_text_clean(text)
    if problems:
        errors["text"] = problems
    owner_id = target_owner_id(target)
    if owner_id == reporter.pk:
        errors["target"] = [_("You cannot report yourself or what you posted.")]
    if errors:
        raise ValidationError(errors)

    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    open_reports = Report.objects.filter(
        reporter=reporter,
        target_type=content_type,
        target_id=target.pk,
        status=ReportStatus.OPEN,
    )
    if open_reports.exists():
        raise ValidationError(str(ALREADY_REPORTED), code="duplicate")
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter,
                target_type=content_type,
                target_id=target.pk,
                target_owner_id=owner_id,
                reason=reason,
                text=text,
            )
    except IntegrityError:
        # The same report sent twice at once: the one-open-report constraint kept one.
        raise ValidationError(str(ALREADY_REPORTED), code="duplicate") from None
