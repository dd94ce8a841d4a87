"""Notes' photos in the admin: thumbnails for the lists and the read-only photo rows of a note.

Photos are private files; the admin shows them through its own staff-only view
(`NoteAdmin.image_view`), since the public rendition view answers only to people who may see
the note.
"""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ImageStatus, NoteImage, RenditionKind

THUMBNAIL_WIDTH = 60


def _rendition_url(image: NoteImage, kind: str = RenditionKind.GRID) -> str:
    return reverse(
        "admin:notes_note_image",
        kwargs={"note_id": image.note_id, "image_id": image.pk, "kind": kind},
    )


def _thumbnail(image: NoteImage | None, *, width: int = THUMBNAIL_WIDTH) -> str:
    if image is None:
        return "—"
    if image.status != ImageStatus.READY or not image.grid:
        return image.get_status_display()
    height = round(width / image.aspect_ratio) if image.aspect_ratio else width
    # At the photo's own shape; no style attribute (the Content-Security-Policy refuses them).
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        _rendition_url(image),
        image.alt_text,
        width,
        height,
    )


class NoteImageInline(admin.TabularInline):
    model = NoteImage
    fk_name = "note"
    extra = 0
    can_delete = False
    show_change_link = False
    fields = (
        "preview",
        "position",
        "status",
        "alt_text",
        "original_metadata",
        "rendition_size",
        "placeholder_color",
        "failure_reason",
        "processed_at",
    )
    readonly_fields = fields
    ordering = ("position",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("preview"))
    def preview(self, image: NoteImage) -> str:
        if image.status == ImageStatus.READY and image.display:
            return format_html(
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                _rendition_url(image, RenditionKind.DISPLAY),
                _thumbnail(image, width=120),
            )
        return _thumbnail(image, width=120)

    @admin.display(description=_("original (private)"))
    def original_metadata(self, image: NoteImage) -> str:
        return format_html(
            "{} · {}×{} · {}",
            image.original_format,
            image.original_width,
            image.original_height,
            filesizeformat(image.original_size),
        )

    @admin.display(description=_("display size"))
    def rendition_size(self, image: NoteImage) -> str:
        if not image.width:
            return "—"
        return f"{image.width}×{image.height}"
