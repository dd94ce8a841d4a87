from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rednote.languages import validate_language_list

HANDLE_MAX_LENGTH = 30
handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]+\Z",
    _("A handle may contain only letters, digits and underscores."),
    code="invalid_handle",
)


def avatar_upload_to(instance: "User", filename: str) -> str:
    return f"avatars/{instance.pk}/{filename}"


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def by_handle(self, handle: str):
        return self.filter(handle__iexact=handle)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, handle, email, password, **extra_fields):
        if not handle:
            raise ValueError("A user needs a handle.")
        user = self.model(handle=handle, email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, handle, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(handle, email or "", password, **extra_fields)

    def create_superuser(self, handle, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(handle, email or "", password, **extra_fields)

    def get_by_natural_key(self, handle):
        return self.get(handle__iexact=handle)


class User(AbstractBaseUser, PermissionsMixin):
    """A person on the platform, known by a case-insensitively unique @handle."""

    handle = models.CharField(
        _("handle"),
        max_length=HANDLE_MAX_LENGTH,
        unique=True,
        validators=[handle_validator],
        help_text=_("Letters, digits and underscores; shown as @handle."),
    )
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    # TextField's max_length only reaches form widgets; the validator makes full_clean (and so
    # every service) enforce it too.
    bio = models.TextField(
        _("bio"), max_length=500, blank=True, validators=[MaxLengthValidator(500)]
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    avatar_color = models.CharField(
        _("avatar colour"),
        max_length=7,
        default="#ff2442",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}\Z")],
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_language_list]
    )
    read_languages = models.JSONField(
        _("languages I read"), default=list, blank=True, validators=[validate_language_list]
    )
    ui_language = models.CharField(
        _("interface language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: follow the browser."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("handle"),
                name="accounts_user_handle_ci_unique",
                violation_error_message=_("This handle is already taken."),
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"handle": self.handle})

    @property
    def reads(self) -> list[str]:
        """Languages this person reads: the explicit list, else the ones they speak."""
        return self.read_languages or self.languages


class Follow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_set"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_set"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower} → {self.followee}"


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocking_set"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"


class Mute(models.Model):
    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muting_set"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muter} 🔇 {self.muted}"
