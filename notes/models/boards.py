"""Boards: the collections people save notes to ("Saved" is everyone's default)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .notes import Note

BOARD_NAME_MAX_LENGTH = 50
BOARD_DESCRIPTION_MAX_LENGTH = 200


class BoardQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The one rule for "board visible to this viewer": the viewer's own boards, and
        others' public boards."""
        public = self.filter(is_private=False)
        if viewer is None or not viewer.is_authenticated:
            return public
        return self.filter(Q(owner=viewer) | Q(is_private=False))


class Board(models.Model):
    """A collection of notes. Every user has one default board, "Saved"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boards"
    )
    name = models.CharField(_("name"), max_length=BOARD_NAME_MAX_LENGTH)
    description = models.CharField(
        _("description"), max_length=BOARD_DESCRIPTION_MAX_LENGTH, blank=True
    )
    is_private = models.BooleanField(_("private"), default=False)
    is_default = models.BooleanField(default=False, editable=False)
    notes = models.ManyToManyField(Note, through="BoardNote", related_name="boards")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="board_name_unique"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="board_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notes:board", kwargs={"board_id": self.pk})

    @property
    def label(self) -> str:
        """The name to show: the default board is "Saved" in the reader's language, whatever
        language was active when it was created."""
        return gettext("Saved") if self.is_default else self.name


class BoardNote(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="entries")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="board_entries")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "note"], name="board_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} in {self.board_id}"
