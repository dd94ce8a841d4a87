import re
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from rednote.languages import content_languages_for_ui, validate_language_list

# Length limits, said the same way by the model (so every service), the forms and the API.
HANDLE_MIN_LENGTH = 2
HANDLE_MAX_LENGTH = 30
DISPLAY_NAME_MAX_LENGTH = 50
BIO_MAX_LENGTH = 500
REGION_MAX_LENGTH = 60


def _too_long(limit: int) -> str:
    return ngettext(
        "Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit
    ) % {"limit": limit}


def _handle_length() -> str:
    # The minimum is in the words (an existing, translated message); HANDLE_MIN_LENGTH is 2.
    return _("A handle has 2 to %(max)s characters.") % {"max": HANDLE_MAX_LENGTH}


# Lazy, already formatted (no placeholders left), so Django fields (`%` params), DRF fields
# (`str.format`) and services can all show it as it is, in the reader's language.
too_long_message = lazy(_too_long, str)
handle_length_message = lazy(_handle_length, str)


def max_length_errors(limit: int) -> dict:
    """`error_messages` for a field with a maximum length (model, form or serializer field)."""
    return {"max_length": too_long_message(limit)}


handle_pattern = re.compile(r"[A-Za-z0-9_]+")
handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]+\Z",
    _("A handle may contain only letters, digits and underscores."),
    code="invalid_handle",
)


def handle_normalize(handle: str) -> str:
    """A handle as typed, made comparable: no surrounding blanks or leading @, NFC-composed.

    Handles keep the case their owner chose and are compared case-insensitively (the any-case
    unique constraint and `UserQuerySet.by_handle`); the allowed characters are ASCII, whose
    case-fold is their lower case.
    """
    return unicodedata.normalize("NFC", (handle or "").strip().removeprefix("@"))


def avatar_upload_to(instance: "User", filename: str) -> str:
    return f"avatars/{instance.pk}/{filename}"


def private_storage():
    """The storage with no public URL (originals, export archives). A callable, so migrations
    record its name rather than the settings of the moment."""
    return storages["private"]


def export_upload_to(instance: "DataExport", filename: str) -> str:
    return f"exports/{instance.user_id}/{filename}"


def _is_person(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def blocked_either_way(viewer, *, user: str = "pk") -> models.Expression:
    """The one rule for "blocked in either direction", as a condition on the rows of any
    query: true where the user at `user` (a path to a user id in that query, e.g.
    `"author_id"`) blocks `viewer` or is blocked by them. Never true for an anonymous viewer.

    Filter with it (`.exclude(blocked_either_way(viewer, user="author_id"))`) so pages, the
    API, the admin and the feed store leave out the same people."""
    if not _is_person(viewer):
        return models.Value(False, output_field=models.BooleanField())
    return models.Exists(Block.objects.between(viewer, models.OuterRef(user)))


def muted_by(viewer, *, user: str = "pk") -> models.Expression:
    """The one rule for "muted by this viewer": true where the user at `user` (a path to a
    user id in the query filtered) is muted by `viewer`. Never true for an anonymous viewer."""
    if not _is_person(viewer):
        return models.Value(False, output_field=models.BooleanField())
    return models.Exists(Mute.objects.filter(muter=viewer, muted=models.OuterRef(user)))


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def closed(self):
        """Accounts closed for good (`User.is_closed`): their owner deleted them or staff
        removed them; each is waiting for (or failed) its erase task. Never reactivated."""
        return self.filter(deleted_at__isnull=False)

    def suspended(self):
        """Accounts that are inactive because moderators suspended them: not closed ones."""
        return self.filter(is_active=False, deleted_at__isnull=True)

    def by_handle(self, handle: str):
        """The user with this handle in any case (typed forms normalised); a string that
        cannot be a handle matches no one, without reaching the database's text rules."""
        handle = handle_normalize(handle)
        if not handle_pattern.fullmatch(handle):
            return self.none()
        return self.filter(handle__iexact=handle)

    def blocked_either_way(self, viewer):
        """People who block `viewer` or whom `viewer` blocks (none for an anonymous viewer)."""
        return self.filter(blocked_either_way(viewer))

    def muted_by(self, viewer):
        """People `viewer` muted (none for an anonymous viewer)."""
        return self.filter(muted_by(viewer))


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
        error_messages={"max_length": handle_length_message()},
        help_text=_("Letters, digits and underscores; shown as @handle."),
    )
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        blank=True,
        error_messages=max_length_errors(DISPLAY_NAME_MAX_LENGTH),
    )
    # TextField's max_length only reaches form widgets; the validator makes full_clean (and so
    # every service) enforce it too.
    bio = models.TextField(
        _("bio"),
        max_length=BIO_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(BIO_MAX_LENGTH)],
        error_messages=max_length_errors(BIO_MAX_LENGTH),
    )
    region = models.CharField(
        _("region"),
        max_length=REGION_MAX_LENGTH,
        blank=True,
        error_messages=max_length_errors(REGION_MAX_LENGTH),
    )
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
    likes_public = models.BooleanField(
        _("show the notes I liked on my profile"),
        default=False,
        help_text=_("Off: only you see your Liked tab."),
    )
    auto_translate = models.BooleanField(
        _("translate automatically"),
        default=False,
        # A database default too: code that predates the column (a deploy's old processes, the
        # historical models of migrations) can still insert users.
        db_default=False,
        help_text=_(
            "On: notes and comments in languages you do not read show their translation at once."
        ),
    )
    reading_aids = models.CharField(
        _("reading aids"),
        max_length=8,
        choices=[
            ("learning", _("On for the languages I'm learning")),
            ("off", pgettext_lazy("reading aids", "Off")),
        ],
        default="learning",
        db_default="learning",
        help_text=_(
            "Pinyin, word glosses and slang explanations on notes and comments in the "
            "languages you are learning."
        ),
    )
    learning_languages = models.JSONField(
        _("languages I'm learning"),
        default=list,
        db_default=[],
        blank=True,
        validators=[validate_language_list],
        help_text=_("Empty: every language you do not read."),
    )
    is_private = models.BooleanField(
        _("private account"),
        default=False,
        db_default=False,
        help_text=_(
            "On: people ask to follow you, and only followers you approve see your "
            "followers-only notes and your follower lists."
        ),
    )
    # A suspension's end; None with is_active=False is a permanent suspension (unless closed).
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # When the account was closed (its owner deleted it, or staff removed it): set in the same
    # transaction that deactivates it (`services.deletion.account_delete`), then the erase task
    # removes the row. A closed account is never active again (`is_closed`; the constraint).
    deleted_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When the person last used the site (signed in), to the hour: home feeds are pushed only
    # to recent readers (`services.user_seen`), the others are rebuilt when they come back.
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True, db_index=True)

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
            # Like handles: one account per address in any case (Dup@Example.org and
            # dup@example.org are the same person). Accounts may have no address at all.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
            # The one rule "a closed account is never reactivated", kept by the database too,
            # whatever path tries (a suspension lifted in the seconds before the erase).
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(is_active=False),
                name="accounts_user_closed_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    @property
    def is_closed(self) -> bool:
        """Closed for good by its owner or by staff (see `deleted_at`): it cannot sign in, be
        suspended or have a suspension lifted; the erase task removes it."""
        return self.deleted_at is not None

    def get_absolute_url(self) -> str:
        # The profile page is served by notes (it shows the person's notes grid, which accounts
        # may not import); a route name is wiring, not an import.
        return reverse("notes:profile", kwargs={"handle": self.handle})

    @property
    def reads(self) -> list[str]:
        """Languages this person reads ("Languages I read"): the explicit list, else their
        interface language's content language (when they chose one) and the ones they speak.

        Empty for someone who said nothing and follows the browser: callers then use the
        request's interface language (`rednote.languages.content_languages_for_ui`)."""
        if self.read_languages:
            return self.read_languages
        reads = content_languages_for_ui(self.ui_language) if self.ui_language else []
        return [*reads, *(code for code in self.languages if code not in reads)]


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


class FollowRequest(models.Model):
    """A request to follow a private account, waiting for its owner to accept or decline."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_requests_sent"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow request")
        verbose_name_plural = _("follow requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="follow_request_unique"),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("target")), name="follow_request_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["target", "-created_at"], name="follow_request_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ? {self.target}"


class DataExportStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("export status", "Being prepared")
    READY = "ready", pgettext_lazy("export status", "Ready")
    FAILED = "failed", pgettext_lazy("export status", "Failed")


class DataExport(models.Model):
    """An archive of a person's data (JSON and photos), built by Celery, downloadable by that
    person only until `expires_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PENDING
    )
    # Kept in private storage (no URL); served only through the owner's download view.
    archive = models.FileField(upload_to=export_upload_to, storage=private_storage, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="data_export_user")]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:export_download", kwargs={"export_id": self.pk})

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_downloadable(self) -> bool:
        return self.status == DataExportStatus.READY and bool(self.archive) and not self.is_expired


class BlockQuerySet(models.QuerySet):
    def between(self, a, b):
        """Blocks between `a` and `b` in either direction; each a user, a user id or an
        `OuterRef` to one. `Block.objects.between(a, b).exists()` asks "is either blocked?"."""
        return self.filter(models.Q(blocker=a, blocked=b) | models.Q(blocker=b, blocked=a))


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocking_set"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = BlockQuerySet.as_manager()

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


class UserSession(AbstractBaseSession):
    """A browser session that knows whose it is (`user_id`, from the signed-in user's id in its
    data), so every session of one person can be ended at once (suspension, deletion) with an
    indexed query instead of decoding every session in the store. Django's session model with
    one column more; stored through `accounts.sessions` (the SESSION_ENGINE)."""

    user_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        # By name: the engines import this model (no import cycle).
        return import_string("accounts.sessions.db.SessionStore")
