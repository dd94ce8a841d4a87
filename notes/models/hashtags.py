"""Hashtags, the groups moderators link them in across languages, and a note's link to a tag
(which carries a copy of the note's state, so a tag page walks one index)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .notes import Note, NoteStatus, Visibility


class HashtagGroup(models.Model):
    """Hashtags moderators linked as one topic across languages (#美食 ↔ #food): each tag's
    page shows the notes of the whole group, and following one tag follows the group.

    A tag belongs to at most one group (`Hashtag.group`); the links of its notes carry a copy of
    that group (`NoteHashtag.group`) so a group's page walks one index, newest first. Written
    only through `notes.services.hashtag_groups`, which keeps those copies right."""

    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("For moderators only; the tags' pages show the tags themselves."),
    )
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
        verbose_name = _("hashtag group")
        verbose_name_plural = _("hashtag groups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or gettext("Hashtag group %(id)s") % {"id": self.pk}


class Hashtag(models.Model):
    """A topic. `name` is the normalised key (NFKC + casefold); `display_name` as first typed.
    `group`: the tags it is linked with across languages, if any (`HashtagGroup`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    display_name = models.CharField(_("display name"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    group = models.ForeignKey(
        HashtagGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hashtags",
        verbose_name=_("group"),
    )

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")

    def __str__(self) -> str:
        return f"#{self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("feeds:tag", kwargs={"name": self.name})


# The note's columns each of its hashtag links carries a copy of (`NoteHashtag`).
NOTE_STATE_COLUMNS = ("published_at", "status", "visibility", "is_hidden")


class NoteHashtagQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Make links with their notes' current state copied in (NOTE_STATE_COLUMNS).
        `Note.hashtags.add/set/create` make their links through here, so a link is right
        from its first row whoever adds it."""
        objs = list(objs)
        states = Note.objects.filter(pk__in={link.note_id for link in objs}).values(
            "pk", *NOTE_STATE_COLUMNS
        )
        by_note = {state.pop("pk"): state for state in states}
        groups = dict(
            Hashtag.objects.filter(
                pk__in={link.hashtag_id for link in objs}, group__isnull=False
            ).values_list("pk", "group_id")
        )
        for link in objs:
            for column, value in by_note.get(link.note_id, {}).items():
                setattr(link, column, value)
            link.group_id = groups.get(link.hashtag_id)
        return super().bulk_create(objs, *args, **kwargs)

    def follow_notes(self, note_ids) -> int:
        """Copy the notes' current state (NOTE_STATE_COLUMNS) onto their links: in the
        transaction that changed it, after the change (`notes.services` does, on every path
        that writes those columns). Returns how many links were written."""
        own = Note.objects.filter(pk=models.OuterRef("note_id"))
        return self.filter(note_id__in=list(note_ids)).update(
            **{column: models.Subquery(own.values(column)[:1]) for column in NOTE_STATE_COLUMNS}
        )


class NoteHashtag(models.Model):
    """A note carries a hashtag. The link also holds a copy of what a tag page sorts and
    filters its notes by — the note's publication time, status, visibility and hidden flag —
    so the page walks the index (hashtag, newest first) of the links and reads a note only for
    the rows it shows, whatever the tag's size or age. The copies are written when the link is
    made (`NoteHashtagQuerySet.bulk_create`) and by every notes service that changes them
    (`NoteHashtagQuerySet.follow_notes`). Until then a link shows its note nowhere: its
    defaults (processing, private, hidden) fail closed."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="hashtag_links")
    # No index of its own: the (hashtag, published_at, note) index below starts with it.
    hashtag = models.ForeignKey(
        Hashtag, on_delete=models.CASCADE, related_name="note_links", db_index=False
    )
    published_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=NoteStatus.choices, db_default=NoteStatus.PROCESSING
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, db_default=Visibility.PRIVATE
    )
    is_hidden = models.BooleanField(db_default=True)
    # A copy of the hashtag's group (`Hashtag.group`), so the page of a linked tag walks the
    # group's links newest first in one index (`note_hashtag_group_latest`) instead of merging
    # each tag's. Written when the link is made (`bulk_create`) and whenever moderators link or
    # unlink the tag (`notes.services.hashtag_groups`).
    group = models.ForeignKey(
        HashtagGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    objects = NoteHashtagQuerySet.as_manager()

    class Meta:
        # The table the many-to-many field made before this model took it over.
        db_table = "notes_note_hashtags"
        unique_together = [("note", "hashtag")]
        indexes = [
            models.Index(fields=["hashtag", "-published_at", "-note"], name="note_hashtag_latest"),
            models.Index(
                fields=["group", "-published_at", "-note"],
                condition=Q(group__isnull=False),
                name="note_hashtag_group_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} #{self.hashtag_id}"
