"""Keyword rules: written here only (the admin calls these), so the cached active rules
(`moderation.keywords.rules_active`) are dropped on every change."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..keywords import rules_forget, text_fold
from ..models import REASON_MAX_LENGTH, KeywordAction, KeywordRule

TERM_MAX_LENGTH = 100


def _rules_changed() -> None:
    """Drop the cached rules now and again after commit: a screening in another process may
    cache the old rules in between."""
    rules_forget()
    transaction.on_commit(rules_forget)


def keyword_rule_clean(*, term: str, language: str, action: str, message: str) -> dict:
    """A rule's fields stripped and checked; ValidationError by field."""
    errors: dict[str, list[str]] = {}
    term = (term or "").strip()
    message = (message or "").strip()
    language = (language or "").strip()
    if not text_fold(term):
        errors["term"] = [_("Give the word or phrase to look for.")]
    elif len(term) > TERM_MAX_LENGTH:
        errors["term"] = [
            _("At most %(max)s characters (it has %(n)s).")
            % {"max": TERM_MAX_LENGTH, "n": len(term)}
        ]
    elif any(ord(char) < 32 for char in term):
        errors["term"] = [_("The term may not contain control characters.")]
    if language and language not in settings.CONTENT_LANGUAGES:
        errors["language"] = [_("Unknown language.")]
    if action not in KeywordAction.values:
        errors["action"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(KeywordAction.values)}
        ]
    if len(message) > REASON_MAX_LENGTH:
        errors["message"] = [
            _("At most %(max)s characters (it has %(n)s).")
            % {"max": REASON_MAX_LENGTH, "n": len(message)}
        ]
    if errors:
        raise ValidationError(errors)
    return {"term": term, "language": language, "action": action, "message": message}


@transaction.atomic
def keyword_rule_create(
    *,
    moderator: User | None,
    term: str,
    language: str = "",
    action: str = KeywordAction.HOLD,
    message: str = "",
    is_active: bool = True,
) -> KeywordRule:
    """Add a rule (`moderator` recorded as its author); it screens new text at once."""
    fields = keyword_rule_clean(term=term, language=language, action=action, message=message)
    rule = KeywordRule.objects.create(created_by=moderator, is_active=bool(is_active), **fields)
    _rules_changed()
    return rule


@transaction.atomic
def keyword_rule_update(
    *,
    rule: KeywordRule,
    term: str,
    language: str,
    action: str,
    message: str,
    is_active: bool,
) -> KeywordRule:
    """Change a rule; content it held already stays held until a moderator decides."""
    fields = keyword_rule_clean(term=term, language=language, action=action, message=message)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.is_active = bool(is_active)
    rule.save(update_fields=[*fields, "is_active"])
    _rules_changed()
    return rule


@transaction.atomic
def keyword_rules_deactivate(*, rule_ids: list[int]) -> int:
    """Stop the rules screening new text (their holds stay); how many were active."""
    count = KeywordRule.objects.filter(pk__in=list(rule_ids), is_active=True).update(
        is_active=False
    )
    _rules_changed()
    return count
