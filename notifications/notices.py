"""Notices from the site itself (the Notices tab): what a data-export or moderation entry says.

A notice's actor is its recipient (no person acted); `Notification.data` holds the rest, plain
values written by `notifications.services` (a moderation message's action, reason, target and
the content's title as it was; an export's id). This module turns an entry into the sentence
the inbox page and the API both show (`notice_text`), in the active language, as plain text:
templates and API clients escape it, like the moderator's reason (`notice_reason`).
"""

from datetime import UTC, datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from moderation.models import ModerationAction

from .models import Notification, NotificationKind

# How much of a note's title or a comment's text a notice quotes.
TITLE_SHOWN = 60

# The short names of what moderators act on, from the content type's "app_label.model".
TARGET_KINDS = {"notes.note": "note", "notes.comment": "comment", "accounts.user": "user"}


def target_kind(target_type: object) -> str:
    """ "note", "comment" or "user" for a target type sent as "app_label.model" (or already
    short); "" for anything else."""
    name = str(target_type or "").lower()
    if name in TARGET_KINDS.values():
        return name
    return TARGET_KINDS.get(name, "")


def title_excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TITLE_SHOWN else f"{text[: TITLE_SHOWN - 1]}…"


def _thing(data: dict) -> str:
    """The content a moderation notice is about, as a phrase ("your note “Dumplings”")."""
    kind, title = data.get("target_kind", ""), data.get("title", "")
    if kind == "note":
        return _("your note “%(title)s”") % {"title": title} if title else _("your note")
    if kind == "comment":
        return _("your comment “%(title)s”") % {"title": title} if title else _("your comment")
    return _("your account")


def _until(data: dict) -> str:
    value = data.get("until")
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _moderation_text(data: dict) -> str:
    action, thing = data.get("action", ""), _thing(data)
    about_content = data.get("target_kind") in ("note", "comment")
    if action == ModerationAction.HIDE:
        return _("The moderators hid %(thing)s.") % {"thing": thing}
    if action == ModerationAction.UNHIDE:
        return _("The moderators restored %(thing)s: it is visible again.") % {"thing": thing}
    if action == ModerationAction.DELETE:
        return _("The moderators deleted %(thing)s.") % {"thing": thing}
    if action == ModerationAction.WARN:
        if about_content:
            return _("The moderators warned you about %(thing)s.") % {"thing": thing}
        return _("The moderators sent you a warning.")
    if action == ModerationAction.SUSPEND:
        until = _until(data)
        if until:
            return _("The moderators suspended your account until %(until)s.") % {"until": until}
        return _("The moderators suspended your account permanently.")
    if action == ModerationAction.UNSUSPEND:
        return _("The moderators lifted the suspension of your account.")
    if action == ModerationAction.APPROVE:
        return _("The moderators approved %(thing)s: others can see it now.") % {"thing": thing}
    if action == ModerationAction.REJECT:
        return _("The moderators rejected %(thing)s: it will not be published.") % {"thing": thing}
    if action == ModerationAction.APPEAL_GRANT:
        return _("The moderators granted your appeal: %(thing)s is visible again.") % {
            "thing": thing
        }
    if action == ModerationAction.APPEAL_DENY:
        return _("The moderators denied your appeal about %(thing)s.") % {"thing": thing}
    if action == ModerationAction.DISMISS:
        return _("The moderators reviewed the reports about %(thing)s.") % {"thing": thing}
    return _("A message from the moderators.")


def notice_text(entry: Notification) -> str:
    """What a notice says, as plain text in the active language ("" for other kinds)."""
    data = entry.data or {}
    if entry.kind == NotificationKind.MODERATION:
        return _moderation_text(data)
    if entry.kind == NotificationKind.EXPORT_READY:
        return _("Your data export is ready to download.")
    return ""


def notice_reason(entry: Notification) -> str:
    """The moderators' reason (their own words, plain text), or ""."""
    if entry.kind != NotificationKind.MODERATION:
        return ""
    return str((entry.data or {}).get("reason") or "")


def notice_link_label(entry: Notification) -> str:
    if entry.kind == NotificationKind.EXPORT_READY:
        return _("Download it from your settings")
    if (entry.data or {}).get("target_kind") == "comment":
        return pgettext("moderation notice link", "See the comment")
    return pgettext("moderation notice link", "See the note")


def export_url() -> str:
    """Where a person downloads their export: the export part of their settings."""
    return f"{reverse('accounts:settings')}#export"
