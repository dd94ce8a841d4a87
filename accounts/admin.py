from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import Block, Follow, Mute, User
from .relationships import RELATIONSHIP_KINDS, RelationshipKind
from .selectors import relationship_get
from .services import auth_tokens_revoke


class UserCreationAdminForm(AdminUserCreationForm):
    """The admin's "add user" form for our model: a handle (any-case unique) and an e-mail."""

    class Meta:
        model = User
        fields = ("handle", "email")


class PasswordChangeAdminForm(AdminPasswordChangeForm):
    """An admin setting (or disabling) someone's password ends their API tokens too, as a
    change through the site does (`services.password_set`)."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            auth_tokens_revoke(user=user)
        return user


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People. moderation registers a subclass in its place (`moderation/admin/users.py`):
    suspending goes through the moderation desk, deleting through closing the account.
    A closed account (`User.is_closed`, waiting for its erase) is shown as closed and can
    only be viewed: nothing here may bring it back."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = PasswordChangeAdminForm
    list_display = ("handle", "email", "display_name", "state", "is_staff", "date_joined")
    list_display_links = ("handle",)
    list_filter = ("is_active", "is_staff", "is_superuser", "ui_language", "date_joined")
    search_fields = ("handle", "email", "display_name")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    readonly_fields = ("state", "last_login", "date_joined", "deleted_at")
    fieldsets = (
        (None, {"fields": ("handle", "email", "password", "state")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "bio",
                    "region",
                    "avatar",
                    "avatar_color",
                    "languages",
                    "read_languages",
                    "ui_language",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "deleted_at")}),
    )

    @admin.display(description=_("state"), ordering="is_active")
    def state(self, user: User) -> str:
        if user.pk is None:
            return "—"
        if user.is_closed:
            return pgettext("account state", "Closed")
        if user.is_active:
            return pgettext("account state", "Active")
        return pgettext("account state", "Suspended")

    def has_change_permission(self, request, obj=None) -> bool:
        # A closed account is only shown: its owner (or staff) closed it for good.
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("handle", "email", "usable_password", "password1", "password2"),
            },
        ),
    )


class _GraphEdgeAdmin(admin.ModelAdmin):
    """Follows, blocks and mutes are written through the relationship table
    (accounts.relationships), as the web buttons and the API do, so adding or deleting one
    here sends the same domain events (feeds stay in step).
    An edge is never edited: it exists or it does not."""

    list_per_page = 50
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    kind: RelationshipKind  # set per subclass; its `people` are the fields shown

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.kind.people)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        actor, other = (getattr(obj, field) for field in self.kind.people)
        saved = self.kind.create(actor, other)
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def delete_model(self, request, obj):
        actor, other = (getattr(obj, field) for field in self.kind.people)
        self.kind.remove(actor, other)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class FollowAdminForm(forms.ModelForm):
    class Meta:
        model = Follow
        fields = ("follower", "followee")

    def clean(self):
        cleaned = super().clean()
        follower, followee = cleaned.get("follower"), cleaned.get("followee")
        if follower and followee and follower.pk != followee.pk:
            if not relationship_get(viewer=follower, other=followee).can_follow:
                raise forms.ValidationError(
                    _("One of these people blocks the other, so neither can follow.")
                )
        return cleaned


@admin.register(Follow)
class FollowAdmin(_GraphEdgeAdmin):
    form = FollowAdminForm
    list_display = ("follower", "followee", "created_at")
    search_fields = ("follower__handle", "followee__handle")
    kind = RELATIONSHIP_KINDS["follow"]
    autocomplete_fields = kind.people
    fields = kind.people


@admin.register(Block)
class BlockAdmin(_GraphEdgeAdmin):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__handle", "blocked__handle")
    kind = RELATIONSHIP_KINDS["block"]
    autocomplete_fields = kind.people
    fields = kind.people


@admin.register(Mute)
class MuteAdmin(_GraphEdgeAdmin):
    list_display = ("muter", "muted", "created_at")
    search_fields = ("muter__handle", "muted__handle")
    kind = RELATIONSHIP_KINDS["mute"]
    autocomplete_fields = kind.people
    fields = kind.people
