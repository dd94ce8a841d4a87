"""Hashtags and the groups moderators link them in (one topic across languages)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Hashtag, HashtagGroup, NoteHashtag


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
