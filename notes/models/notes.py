"""Notes, their visibility rule (`note_visible_q`, the one rule pages, the API, image renditions
and the feed store share) and their likes."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Follow, blocked_either_way, muted_by

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 2000
LOCATION_MAX_LENGTH = 80


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    FOLLOWERS = "followers", pgettext_lazy("visibility", "Followers")
    PRIVATE = "private", _("Only me")


class NoteStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    # A keyword rule held it for review (`moderation.services.holds`): only its author sees
    # it, like a note still processing, until a moderator approves it (then it is published).
    HELD = "held", pgettext_lazy("hold status", "Waiting for review")


def note_published_q(*, state: str = "") -> Q:
    """Published and not hidden. `state` as in `note_visible_q`."""
    return Q(**{f"{state}status": NoteStatus.PUBLISHED, f"{state}is_hidden": False})


def note_visible_q(viewer, *, state: str = "") -> Q:
    """The one rule for "note visible to this viewer", as a condition on notes: not hidden,
    by an active author who is not in a block with the viewer (either way), and published and
    public, or followers-only with the viewer following; or the viewer's own (in every status).

    `state` is the path to the columns holding the note's status, visibility and hidden flag:
    "" for the note's own, "hashtag_links__" for the copies its link to a hashtag carries
    (`NoteHashtag`), so a tag page filters that link's index before it reads a note. The
    author's conditions always read the note's own `author`."""
    hidden, status, visibility = (f"{state}{c}" for c in ("is_hidden", "status", "visibility"))
    rule = Q(**{hidden: False, "author__is_active": True})
    if viewer is None or not viewer.is_authenticated:
        return rule & Q(**{status: NoteStatus.PUBLISHED, visibility: Visibility.PUBLIC})
    follows = Follow.objects.filter(follower=viewer, followee=models.OuterRef("author_id"))
    others = (
        Q(**{status: NoteStatus.PUBLISHED})
        & (
            Q(**{visibility: Visibility.PUBLIC})
            | (Q(**{visibility: Visibility.FOLLOWERS}) & models.Exists(follows))
        )
        & ~Q(blocked_either_way(viewer, user="author_id"))
    )
    return rule & (Q(author=viewer) | others)


class NoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(note_published_q())

    def visible_to(self, viewer):
        """Notes `viewer` may see (`note_visible_q`, the one rule). Pages, the API, image
        renditions and the feed store all filter with this."""
        return self.filter(note_visible_q(viewer))

    def without_muted_by(self, viewer):
        """Leave out notes by people `viewer` muted (feeds, discover and tag lists; a
        profile and a note page still show them)."""
        return self.exclude(muted_by(viewer, user="author_id"))

    def for_cards(self):
        """What a note card needs from the row: its author. Not its photos: the card cache
        (`notes.cards.note_cards_html`) loads them, in one query, only for the cards it has
        to render, and the API's note JSON (`notes.representation`) keeps them in the cache;
        prefetched here they cost a query on every page (3.5 → 1.4 ms for 20 notes). A
        caller that shows photos itself prefetches them (`note_get_visible`)."""
        return self.select_related("author")


class Note(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(
        _("body"),
        max_length=BODY_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    location = models.CharField(_("location"), max_length=LOCATION_MAX_LENGTH, blank=True)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("BCP 47 code of the language the note is written in; 'mixed' for several."),
    )
    language_main = models.CharField(
        _("main language"),
        max_length=16,
        blank=True,
        help_text=_(
            "BCP 47 code of the note's main language: the language itself, or for mixed text "
            "the one most of it is written in; empty when unknown."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NoteStatus.choices, default=NoteStatus.PROCESSING
    )
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hashtags = models.ManyToManyField(
        "Hashtag", related_name="notes", blank=True, through="NoteHashtag"
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    collect_count = models.PositiveIntegerField(_("collects"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["author", "-published_at"], name="note_author_published"),
            models.Index(fields=["status", "visibility", "-published_at"], name="note_feed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="note_like_count_gte_0"),
            models.CheckConstraint(
                condition=Q(collect_count__gte=0), name="note_collect_count_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(comment_count__gte=0), name="note_comment_count_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="note_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=NoteStatus.values), name="note_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:40] or f"Note {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("notes:detail", kwargs={"note_id": self.pk})

    @property
    def headline(self) -> str:
        """The card title: the title, else the first line of the body."""
        return self.title or (self.body.strip().splitlines() or [""])[0][:TITLE_MAX_LENGTH]

    @property
    def cover(self):
        images = list(self.images.all())
        return images[0] if images else None


class NoteLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_likes"
    )
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["user", "note"], name="note_like_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.note_id}"
