"""What feeds keep in the database: the hashtags people follow, each note's Discover rank, and
the tags moderators keep out of trending. Timelines themselves live in Redis (`feeds.store`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notes.models import Hashtag, Note


class HashtagFollow(models.Model):
    """`user` follows `hashtag`: its new notes reach their home feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hashtag_follows",
        verbose_name=_("user"),
    )
    hashtag = models.ForeignKey(
        Hashtag, on_delete=models.CASCADE, related_name="follows", verbose_name=_("hashtag")
    )
    created_at = models.DateTimeField(_("followed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hashtag follow")
        verbose_name_plural = _("hashtag follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "hashtag"], name="feeds_hashtag_follow_unique")
        ]
        indexes = [models.Index(fields=["hashtag", "user"], name="feeds_hfollow_tag_user")]

    def __str__(self) -> str:
        return f"{self.user} → #{self.hashtag.name}"


class NoteRank(models.Model):
    """A note's Discover score: engagement with time decay, recomputed periodically."""

    note = models.OneToOneField(
        Note,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rank",
        verbose_name=_("note"),
    )
    # An integer so keyset cursors stay exact (`rednote.cursors`): the decayed score × 10⁶.
    score = models.BigIntegerField(_("score"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("Discover rank")
        verbose_name_plural = _("Discover ranks")
        indexes = [models.Index(fields=["-score", "-note"], name="feeds_rank_score")]

    def __str__(self) -> str:
        return f"{self.note_id}: {self.score}"


class TrendingExclusion(models.Model):
    """A hashtag moderators keep out of trending (it still has its page and its notes)."""

    hashtag = models.OneToOneField(
        Hashtag,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="trending_exclusion",
        verbose_name=_("hashtag"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excluded by"),
    )
    created_at = models.DateTimeField(_("excluded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hashtag kept out of trending")
        verbose_name_plural = _("hashtags kept out of trending")

    def __str__(self) -> str:
        return f"#{self.hashtag.name}"
