"""A note's photos: the private original and the web renditions the worker makes of it."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .notes import Note

ALT_TEXT_MAX_LENGTH = 500
MAX_IMAGES = 18


# Originals and renditions live in the private storage: nothing under it has a public URL;
# renditions are served by a view that checks the note's visibility first.
# A callable, not the storage itself: migrations then record the function (0001 names it
# `notes.models.private_storage`, which the package re-exports) rather than this machine's
# directory (which made `makemigrations --check` fail elsewhere).
def private_storage():
    return storages["private"]


class ImageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class RenditionKind(models.TextChoices):
    DISPLAY = "display", _("Display")
    GRID = "grid", _("Grid")


class NoteImage(models.Model):
    """An uploaded photo: its private original and, once processed, its web renditions.

    Uploaded first (owner set, note empty), attached to a note on posting, in order.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_images"
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="images", null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=ALT_TEXT_MAX_LENGTH, blank=True)
    original = models.FileField(storage=private_storage, max_length=255)
    original_format = models.CharField(max_length=10)
    original_width = models.PositiveIntegerField()
    original_height = models.PositiveIntegerField()
    original_size = models.PositiveIntegerField()
    display = models.FileField(storage=private_storage, max_length=255, blank=True)
    grid = models.FileField(storage=private_storage, max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    grid_width = models.PositiveIntegerField(null=True, blank=True)
    grid_height = models.PositiveIntegerField(null=True, blank=True)
    placeholder_color = models.CharField(max_length=7, blank=True)
    status = models.CharField(
        max_length=10, choices=ImageStatus.choices, default=ImageStatus.PENDING
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    # Deliveries of the image task that began decoding this photo, counted (and committed)
    # before each decode: a photo that keeps killing its worker is failed, not retried forever.
    processing_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note image")
        verbose_name_plural = _("note images")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "position"],
                condition=Q(note__isnull=False),
                name="note_image_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Image {self.pk} of note {self.note_id}"

    def rendition_name(self, kind: str) -> str:
        """Where the worker writes this photo's rendition: fixed, so reruns replace it and a
        deletion can remove it even before the worker has recorded it."""
        return f"renditions/{self.owner_id}/{self.pk}-{kind}.webp"

    def url(self, kind: str = RenditionKind.DISPLAY) -> str:
        return reverse(
            "notes:image",
            kwargs={"note_id": self.note_id, "image_id": self.pk, "kind": kind},
        )

    @property
    def display_url(self) -> str:
        return self.url(RenditionKind.DISPLAY)

    @property
    def grid_url(self) -> str:
        return self.url(RenditionKind.GRID)

    @property
    def aspect_ratio(self) -> float:
        w = self.width or self.original_width
        h = self.height or self.original_height
        return round(w / h, 4) if w and h else 1.0
