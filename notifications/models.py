"""The inbox: what happened to a person's notes, comments and profile, grouped as on RedNote.

A `Notification` is one entry of a person's inbox. Entries about the same thing group while
unread: every like of one note lands in one entry ("Mei and 12 others liked your note") until
the recipient reads it; a like after that starts a new entry, as RedNote shows new likes as
new news (the read entry stays in the history as it was). What groups is said by `group_key`
(`note:<id>`, `comment:<id>`, `user:<id>`): one unread entry per (recipient, kind, group_key).
Follows do not group: each new follower is an entry of its own (`user:<follower id>`, so a
follow, unfollow and follow again while unread stays one entry).

The people behind an entry are `NotificationActor` rows (who, and when they acted), so an
unlike takes exactly that person out of the unread entry, and the entry goes when nobody is
left. `actor_count` and `actor` (the latest) are kept with them for the list.

`note` and `comment_id` are references without a database constraint: a note or comment
deleted later leaves the id in place, so the task that hears of the deletion finds the
entries (and whose unread count to refresh) and deletes them; reads meanwhile leave out
entries whose note or comment is gone or no longer visible to the recipient.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    LIKE = "like", _("Liked your note")
    COLLECT = "collect", _("Collected your note")
    COMMENT_LIKE = "comment_like", _("Liked your comment")
    FOLLOW = "follow", _("Started following you")
    COMMENT = "comment", _("Commented on your note")
    REPLY = "reply", _("Replied to your comment")
    NOTE_MENTION = "note_mention", _("Mentioned you in a note")
    COMMENT_MENTION = "comment_mention", _("Mentioned you in a comment")
    FOLLOW_REQUEST = "follow_request", _("Asked to follow you")
    FOLLOW_ACCEPTED = "follow_accepted", _("Accepted your follow request")
    # From the site rather than a person (the actor is the recipient; `data` says the rest).
    EXPORT_READY = "export_ready", _("Your data export is ready")
    MODERATION = "moderation", _("A message from the moderators")


class NotificationTab(models.TextChoices):
    """RedNote's three inbox tabs."""

    LIKES = "likes", _("Likes and collects")
    FOLLOWS = "follows", pgettext_lazy("notifications tab", "New followers")
    COMMENTS = "comments", _("Comments and @")
    NOTICES = "notices", pgettext_lazy("notifications tab", "Notices")


TAB_OF_KIND: dict[str, str] = {
    NotificationKind.LIKE: NotificationTab.LIKES,
    NotificationKind.COLLECT: NotificationTab.LIKES,
    NotificationKind.COMMENT_LIKE: NotificationTab.LIKES,
    NotificationKind.FOLLOW: NotificationTab.FOLLOWS,
    NotificationKind.COMMENT: NotificationTab.COMMENTS,
    NotificationKind.REPLY: NotificationTab.COMMENTS,
    NotificationKind.NOTE_MENTION: NotificationTab.COMMENTS,
    NotificationKind.COMMENT_MENTION: NotificationTab.COMMENTS,
    NotificationKind.FOLLOW_REQUEST: NotificationTab.FOLLOWS,
    NotificationKind.FOLLOW_ACCEPTED: NotificationTab.FOLLOWS,
    NotificationKind.EXPORT_READY: NotificationTab.NOTICES,
    NotificationKind.MODERATION: NotificationTab.NOTICES,
}

# Kinds whose unread entry gathers several people; the others have one person each.
GROUPED_KINDS = frozenset(
    {NotificationKind.LIKE, NotificationKind.COLLECT, NotificationKind.COMMENT_LIKE}
)


class Notification(models.Model):
    # No index of its own: the page and unread indexes below start with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    # The kind's tab (TAB_OF_KIND), stored so a tab's page walks one index.
    tab = models.CharField(_("tab"), max_length=10, choices=NotificationTab.choices)
    group_key = models.CharField(max_length=40)
    # The latest person behind the entry (of `actors`); the one shown first.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor_count = models.PositiveIntegerField(_("people"), default=1)
    note = models.ForeignKey(
        "notes.Note",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    comment_id = models.BigIntegerField(null=True, blank=True)
    # What a notice says beyond its kind: a moderation message's action and reason, an
    # export's id... (plain values, rendered escaped).
    data = models.JSONField(default=dict, blank=True, db_default={})
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the last person joined: the inbox is ordered by it.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    # Set on a page's entries by `selectors.notifications_page`: the comment's row (or None),
    # and how the recipient and the latest person stand (`accounts.selectors.Relationship`).
    comment: Any
    relationship: Any
    # Set by `selectors.notifications_page` too: where a notice leads (or None).
    notice_url: str | None

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "tab", "-updated_at", "-id"], name="notification_tab_page"
            ),
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notification_page"),
            models.Index(
                fields=["recipient", "tab"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "group_key"],
                condition=Q(read_at__isnull=True),
                name="notification_one_unread_group",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(tab__in=NotificationTab.values), name="notification_tab_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.group_key})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def others_count(self) -> int:
        """People besides the one named first ("Mei and 12 others")."""
        return max(self.actor_count - 1, 0)


class NotificationActor(models.Model):
    """One person behind an entry, and when they acted."""

    # No index of its own: the (notification, acted_at) index starts with it.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="actor_links", db_index=False
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "actor"], name="notification_actor_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["notification", "-acted_at"], name="notification_actor_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.notification_id}"
