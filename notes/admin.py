"""Admin for notes, their photos, hashtags, boards and comments.

People's notes are read-only here: moderators hide, unhide or delete them, and each of those
goes through the moderation services (the notes services behind them), so a hidden note leaves
every feed and page through the same events as anywhere else. Deleting a note or a board runs
the services too (files removed, collect counts kept right) — never a bare `queryset.delete()`.

Photos are private files; the admin shows them through its own staff-only view, since the
public rendition view answers only to people who may see the note.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from moderation.services.actions import content_delete, content_hide, content_unhide

from . import services
from .models import (
    Board,
    Comment,
    Hashtag,
    HashtagGroup,
    ImageStatus,
    Note,
    NoteHashtag,
    NoteImage,
    RenditionKind,
)

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


class RegistryModeratedAdmin(admin.ModelAdmin):
    """Hiding, unhiding and deleting through the moderation services (`moderation.services.
    actions`, which act through the registry): the same notes services, events and feeds as
    everywhere else, plus the audit-log entry (which an appeal hangs on), the author's notice
    and the target's open reports closed; each change also in the admin's history. These
    actions give a standard reason; the moderation desk asks for one. The model's admin
    declares its own actions (their wording) and calls `_moderate`."""

    def has_moderate_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def _moderate(self, request, queryset, *, hide: bool) -> int:
        if hide:
            act, reason, log = content_hide, gettext("Hidden by a moderator."), gettext("Hidden")
        else:
            act, reason, log = content_unhide, "", gettext("Unhidden")
        done = 0
        for target in queryset.filter(is_hidden=not hide):
            act(moderator=request.user, target=target, reason=reason)
            self.log_change(request, target, log)
            done += 1
        return done

    def delete_model(self, request, obj) -> None:
        content_delete(
            moderator=request.user, target=obj, reason=gettext("Deleted by a moderator.")
        )

    def delete_queryset(self, request, queryset) -> None:
        reason = gettext("Deleted by a moderator.")
        for target in queryset:
            content_delete(moderator=request.user, target=target, reason=reason)


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


@admin.register(Comment)
class CommentAdmin(RegistryModeratedAdmin):
    """Comments, read-only: moderators hide, unhide or delete them through the moderation
    registry (`notes.services.comments`), which keeps the counters and sends the events."""

    list_display = (
        "body_excerpt",
        "author",
        "note",
        "parent",
        "language",
        "like_count",
        "reply_count",
        "is_hidden",
        "created_at",
    )
    list_filter = ("is_hidden", "language", "created_at")
    search_fields = ("body", "author__handle")
    list_select_related = ("author", "note", "parent")
    list_per_page = 50
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    actions = ("hide_comments", "unhide_comments")
    fields = (
        "note",
        "author",
        "parent",
        "reply_to",
        "body",
        "language",
        "language_main",
        "like_count",
        "reply_count",
        "is_hidden",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"), ordering="body")
    def body_excerpt(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description=_("Hide selected comments"), permissions=["moderate"])
    def hide_comments(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=True)
        self.message_user(
            request,
            ngettext("%(n)d comment hidden.", "%(n)d comments hidden.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unhide selected comments"), permissions=["moderate"])
    def unhide_comments(self, request, queryset) -> None:
        done = self._moderate(request, queryset, hide=False)
        self.message_user(
            request,
            ngettext("%(n)d comment unhidden.", "%(n)d comments unhidden.", done) % {"n": done},
            messages.SUCCESS,
        )


def _group_permission(request, action: str) -> bool:
    return request.user.has_perm(f"notes.{action}_{HashtagGroup._meta.model_name}")


@admin.register(Hashtag)
class HashtagAdmin(admin.ModelAdmin):
    """Tags come from notes; here they are found and their display form corrected, and
    moderators link the ones naming one topic across languages (actions "Link the selected
    tags" and "Unlink the selected tags", through `notes.services.hashtag_groups`; each tag
    linked or unlinked is recorded in the admin's history, the moderation audit)."""

    list_display = ("display_name", "name", "group", "note_total", "created_at")
    list_select_related = ("group",)
    list_filter = (("group", admin.EmptyFieldListFilter),)
    search_fields = ("name", "display_name")
    ordering = ("name",)
    fields = ("name", "display_name", "group", "created_at")
    readonly_fields = ("name", "group", "created_at")
    actions = ("link_hashtags", "unlink_hashtags")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(note_total=Count("notes"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_link_permission(self, request) -> bool:
        """Linking tags changes groups: the hashtag group permissions decide."""
        return _group_permission(request, "add") and _group_permission(request, "change")

    @admin.display(description=_("notes"), ordering="note_total")
    def note_total(self, tag: Hashtag) -> int:
        return tag.note_total

    @admin.action(
        description=_("Link the selected tags (one topic across languages)"), permissions=["link"]
    )
    def link_hashtags(self, request, queryset) -> None:
        tags = list(queryset)
        try:
            group = services.hashtags_link(hashtags=tags, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        members = list(group.hashtags.order_by("name"))
        names = ", ".join(str(tag) for tag in members)
        for tag in members:
            self.log_change(
                request,
                tag,
                gettext("Linked in %(group)s: %(tags)s.") % {"group": group, "tags": names},
            )
        self.message_user(
            request,
            gettext("Linked as one topic: %(tags)s.") % {"tags": names},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unlink the selected tags from their groups"), permissions=["link"])
    def unlink_hashtags(self, request, queryset) -> None:
        before = {tag.pk: tag.group for tag in queryset.select_related("group")}
        count = services.hashtags_unlink(hashtags=list(queryset))
        unlinked = Hashtag.objects.filter(pk__in=list(before), group__isnull=True)
        for tag in unlinked:
            if before[tag.pk] is not None:
                self.log_change(
                    request, tag, gettext("Unlinked from %(group)s.") % {"group": before[tag.pk]}
                )
        self.message_user(
            request,
            ngettext(
                "%(count)d tag unlinked from its group.",
                "%(count)d tags unlinked from their groups.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class HashtagGroupForm(forms.ModelForm):
    """A group and its tags, found by name as you type (the hashtag admin's search)."""

    hashtags = forms.ModelMultipleChoiceField(
        label=_("tags"),
        queryset=Hashtag.objects.order_by("name"),
        # The autocomplete widget asks the hashtag admin's search through a relation to
        # Hashtag; a note's link to its tag is one.
        widget=AutocompleteSelectMultiple(NoteHashtag._meta.get_field("hashtag"), admin.site),
        help_text=_(
            "The tags naming one topic across languages, such as #美食 and #food. Their "
            "pages show the notes of all of them, and following one follows them all."
        ),
    )

    class Meta:
        model = HashtagGroup
        fields = ("name", "hashtags")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["hashtags"] = list(self.instance.hashtags.order_by("name"))

    def clean(self):
        cleaned = super().clean()
        tags = cleaned.get("hashtags")
        if tags is not None:
            problem = services.hashtag_group_problems(group=self.instance, hashtags=tags)
            if problem is not None:
                raise problem
        return cleaned


@admin.register(HashtagGroup)
class HashtagGroupAdmin(admin.ModelAdmin):
    """Groups of tags moderators linked: create one and add its tags by name; every save and
    deletion goes through `notes.services.hashtag_groups` (the tags' pages, caches and links
    follow) and is recorded in the admin's history."""

    form = HashtagGroupForm
    list_display = ("__str__", "tag_list", "created_by", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("name", "hashtags__name", "hashtags__display_name")
    ordering = ("-created_at", "-id")
    readonly_fields = ("created_by", "created_at")

    def get_fields(self, request, obj=None):
        return ("name", "hashtags", *(self.readonly_fields if obj is not None else ()))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("hashtags", queryset=Hashtag.objects.order_by("name")))
        )

    @admin.display(description=_("tags"))
    def tag_list(self, group: HashtagGroup) -> str:
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:notes_hashtag_change", args=[tag.pk]), str(tag))
                for tag in group.hashtags.all()
            ),
        )

    def save_model(self, request, obj, form, change) -> None:
        services.hashtag_group_save(
            group=obj, hashtags=form.cleaned_data["hashtags"], by=request.user
        )

    def delete_model(self, request, obj) -> None:
        services.hashtag_group_delete(group=obj)

    def delete_queryset(self, request, queryset) -> None:
        for group in queryset:
            services.hashtag_group_delete(group=group)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """People's boards, read-only; deleting one runs `board_delete` (counts kept right)."""

    list_display = ("name", "owner", "is_private", "is_default", "note_total", "created_at")
    list_filter = ("is_private", "is_default")
    search_fields = ("name", "owner__handle")
    list_select_related = ("owner",)
    ordering = ("-created_at", "-id")
    fields = ("owner", "name", "description", "is_private", "is_default", "notes_list")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(note_total=Count("entries"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("notes"), ordering="note_total")
    def note_total(self, board: Board) -> int:
        return board.note_total

    @admin.display(description=_("notes"))
    def notes_list(self, board: Board) -> str:
        notes = board.notes.order_by("-board_entries__created_at")[:50]
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:notes_note_change", args=[n.pk]), n.headline) for n in notes),
            )
            or "—"
        )

    def delete_model(self, request, obj: Board) -> None:
        services.board_delete(board=obj)

    def delete_queryset(self, request, queryset) -> None:
        # "Saved" boards never get here: has_delete_permission refuses them first.
        for board in queryset:
            services.board_delete(board=board)
