"""People's notes in the admin, read-only, and the staff-only view of their photos."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import ImageStatus, Note, NoteImage, RenditionKind
from .moderated import RegistryModeratedAdmin
from .photos import NoteImageInline, _thumbnail


@admin.register(Note)
class NoteAdmin(RegistryModeratedAdmin):
    list_display = (
        "cover",
        "headline",
        "author",
        "status",
        "visibility",
        "language",
        "like_count",
        "collect_count",
        "comment_count",
        "is_hidden",
        "published_at",
    )
    list_display_links = ("cover", "headline")
    list_filter = ("status", "visibility", "language", "is_hidden", "published_at")
    search_fields = ("title", "body", "author__handle")
    list_select_related = ("author",)
    list_per_page = 50
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    actions = ("hide_notes", "unhide_notes")
    inlines = (NoteImageInline,)
    fieldsets = (
        (None, {"fields": ("author", "title", "body", "tags", "mentioned", "location")}),
        (
            _("State"),
            {
                "fields": (
                    "status",
                    "failure_reason",
                    "visibility",
                    "language",
                    "language_main",
                    "is_hidden",
                    "like_count",
                    "collect_count",
                    "comment_count",
                    "created_at",
                    "updated_at",
                    "published_at",
                )
            },
        ),
    )
    readonly_fields = (
        "author",
        "title",
        "body",
        "tags",
        "mentioned",
        "location",
        "status",
        "failure_reason",
        "visibility",
        "language",
        "language_main",
        "is_hidden",
        "like_count",
        "collect_count",
        "comment_count",
        "created_at",
        "updated_at",
        "published_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("images", queryset=NoteImage.objects.order_by("position")))
        )

    # People's words are not edited in the admin; notes are posted with photos on the site.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("cover"))
    def cover(self, note: Note) -> str:
        return _thumbnail(note.cover)

    @admin.display(description=_("note"), ordering="title")
    def headline(self, note: Note) -> str:
        return note.headline or f"#{note.pk}"

    @admin.display(description=_("hashtags"))
    def tags(self, note: Note) -> str:
        return ", ".join(str(tag) for tag in note.hashtags.all()) or "—"

    @admin.display(description=_("mentions"))
    def mentioned(self, note: Note) -> str:
        return ", ".join(str(user) for user in note.mentions.all()) or "—"

    # --- Moderation (through the moderation services: audit log, notices, feeds) --------

    @admin.action(description=_("Hide selected notes"), permissions=["moderate"])
    def hide_notes(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=True)
        self.message_user(
            request,
            ngettext("%(n)d note hidden.", "%(n)d notes hidden.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unhide selected notes"), permissions=["moderate"])
    def unhide_notes(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=False)
        self.message_user(
            request,
            ngettext("%(n)d note unhidden.", "%(n)d notes unhidden.", done) % {"n": done},
            messages.SUCCESS,
        )

    # --- Photos, for staff only ---------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:note_id>/images/<int:image_id>/<str:kind>.webp",
                self.admin_site.admin_view(self.image_view),
                name="notes_note_image",
            ),
            *super().get_urls(),
        ]

    def image_view(self, request, note_id: int, image_id: int, kind: str):
        """A rendition of any note's photo (hidden and private ones too), for staff who may
        view notes here. Originals are never served."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in RenditionKind.values:
            raise Http404
        image = NoteImage.objects.filter(pk=image_id, note_id=note_id).first()
        field = getattr(image, kind, None) if image is not None else None
        if not field or image.status != ImageStatus.READY:
            raise Http404
        if settings.MEDIA_STORAGE == "s3":
            response = HttpResponseRedirect(field.storage.url(field.name))
        else:
            try:
                response = FileResponse(field.open("rb"), content_type="image/webp")
            except FileNotFoundError as exc:
                raise Http404 from exc
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
