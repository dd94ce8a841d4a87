"""API shapes for accounts: one input serializer per operation, output serializers per resource.

Input serializers only check types and sizes; the services validate the content (handle rules,
e-mail uniqueness, password strength, language codes) and report every problem by field, so the
web forms and the API give the same answers.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    REGION_MAX_LENGTH,
    User,
    max_length_errors,
)

# HANDLE_MIN_LENGTH and HANDLE_MAX_LENGTH, in the words the catalogue already translates.
_HANDLE_HELP = _("Letters, digits and underscores; 2 to 30 characters.")


def _max_length(name: str) -> int:
    return User._meta.get_field(name).max_length


class _LimitedCharField(serializers.CharField):
    """A text field with the model's length limit, refused in the model's words."""

    def __init__(self, max_length: int, **kwargs):
        kwargs.setdefault("error_messages", max_length_errors(max_length))
        super().__init__(max_length=max_length, **kwargs)


class LanguageListField(serializers.ListField):
    """A list of content-language codes (BCP 47, e.g. `en`, `zh-Hans`); checked by the service."""

    child = serializers.CharField(max_length=20)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("Content-language codes (BCP 47) such as en or zh-Hans; no repeats.")
        )
        super().__init__(**kwargs)


# --- Output -------------------------------------------------------------------------------


class RelationshipSerializer(serializers.Serializer):
    # Serialises `accounts.selectors.Relationship`.

    is_self = serializers.BooleanField(help_text=_("The viewer is this person."))
    following = serializers.BooleanField(help_text=_("The viewer follows this person."))
    followed_by = serializers.BooleanField(help_text=_("This person follows the viewer."))
    blocking = serializers.BooleanField(help_text=_("The viewer blocks this person."))
    blocked_by = serializers.BooleanField(help_text=_("This person blocks the viewer."))
    muting = serializers.BooleanField(help_text=_("The viewer mutes this person."))
    requested = serializers.BooleanField(
        help_text=_(
            "The viewer asked to follow this private account and waits for an answer "
            "(`following` is false until it is accepted)."
        )
    )


class _UserBaseSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.URLField(
            allow_null=True, help_text=_("Null when there is no photo: show `avatar_color`.")
        )
    )
    def get_avatar_url(self, user: User) -> str | None:
        if not user.avatar:
            return None
        url = user.avatar.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, user: User) -> str:
        url = user.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class UserCardSerializer(_UserBaseSerializer):
    # A person in a list (followers, following): enough for a row with a follow button. The
    # queryset must carry `viewer_follows` (`accounts.selectors.users_annotate_followed`).

    viewer_follows = serializers.BooleanField(
        read_only=True, help_text=_("The signed-in viewer follows this person.")
    )
    viewer_requested = serializers.BooleanField(
        read_only=True,
        help_text=_("The signed-in viewer asked to follow this private account and waits."),
    )

    class Meta:
        model = User
        fields = (
            "handle",
            "display_name",
            "bio",
            "avatar_url",
            "avatar_color",
            "languages",
            "read_languages",
            "is_private",
            "url",
            "viewer_follows",
            "viewer_requested",
        )
        read_only_fields = fields


class UserPublicSerializer(_UserBaseSerializer):
    # The user must carry `follower_count` and `following_count`
    # (`accounts.selectors.user_get_profile`); the view passes `relationship` in the context
    # for a signed-in viewer.

    follower_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    relationship = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "handle",
            "display_name",
            "bio",
            "region",
            "avatar_url",
            "avatar_color",
            "languages",
            "read_languages",
            "is_private",
            "follower_count",
            "following_count",
            "url",
            "relationship",
        )
        read_only_fields = fields

    @extend_schema_field(RelationshipSerializer(allow_null=True))
    def get_relationship(self, user: User) -> dict | None:
        relationship = self.context.get("relationship")
        if relationship is None:
            return None
        return RelationshipSerializer(relationship).data


class UserPrivateSerializer(_UserBaseSerializer):
    # The signed-in person's own profile, with private settings; needs the counts annotated.

    ui_language = serializers.ChoiceField(
        choices=[("", _("Automatic (browser)")), *settings.LANGUAGES],
        read_only=True,
        help_text=_("Interface language; empty to follow the browser."),
    )
    follower_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = User
        fields = (
            "id",
            "handle",
            "email",
            "display_name",
            "bio",
            "region",
            "avatar_url",
            "avatar_color",
            "languages",
            "read_languages",
            "ui_language",
            "likes_public",
            "auto_translate",
            "reading_aids",
            "learning_languages",
            "is_private",
            "is_staff",
            "date_joined",
            "follower_count",
            "following_count",
            "url",
        )
        read_only_fields = fields


class SignupAcceptedSerializer(serializers.Serializer):
    # The same answer whether the address was new or already had an account.

    detail = serializers.CharField(read_only=True)
    email = serializers.CharField(
        read_only=True, help_text=_("Where the confirmation (or a notice) was sent.")
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text=_("Send as `Authorization: Token <token>`.")
    )


# --- Input --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="TokenObtain")
class TokenObtainInputSerializer(serializers.Serializer):
    # Shapes only; `accounts.services.auth_token_sign_in` checks the credentials.

    username = serializers.CharField(
        max_length=254, help_text=_("Your handle (any case, with or without @) or e-mail address.")
    )
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


@extend_schema_serializer(component_name="Signup")
class SignupInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=_max_length("email"))
    handle = serializers.CharField(max_length=100, help_text=_HANDLE_HELP)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    display_name = _LimitedCharField(DISPLAY_NAME_MAX_LENGTH, required=False, allow_blank=True)
    languages = LanguageListField(required=False)
    read_languages = LanguageListField(required=False)


@extend_schema_serializer(component_name="ProfileUpdate")
class ProfileUpdateInputSerializer(serializers.Serializer):
    # The profile fields a person may change (`accounts.services.PROFILE_FIELDS`); any other
    # field in the request, such as `email` or `is_staff`, is dropped here.

    handle = serializers.CharField(max_length=100, help_text=_HANDLE_HELP)
    display_name = _LimitedCharField(DISPLAY_NAME_MAX_LENGTH, allow_blank=True)
    bio = _LimitedCharField(BIO_MAX_LENGTH, allow_blank=True)
    region = _LimitedCharField(REGION_MAX_LENGTH, allow_blank=True)
    languages = LanguageListField()
    read_languages = LanguageListField()
    ui_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_blank=True,
        help_text=_("Interface language; empty to follow the browser."),
    )
    likes_public = serializers.BooleanField(
        help_text=_("Whether others see the notes you liked (your Liked tab); off by default.")
    )
    auto_translate = serializers.BooleanField(
        help_text=_(
            "Whether notes and comments in languages you do not read show their translation "
            "at once; off by default."
        )
    )
    reading_aids = serializers.ChoiceField(
        choices=User._meta.get_field("reading_aids").choices,
        help_text=_(
            "`learning`: pinyin, word glosses and slang explanations on notes and comments in "
            "the languages you are learning (the reading endpoints always give them); `off`: "
            "none. Traditional and Simplified Chinese are converted for you either way."
        ),
    )
    learning_languages = LanguageListField(
        help_text=_(
            "The content languages you are learning (BCP 47, e.g. zh-Hans); empty: every "
            "language you do not read."
        )
    )
    is_private = serializers.BooleanField(
        help_text=_(
            "A private account: people ask to follow you (`follow-requests/`), and only the "
            "followers you approved see your followers-only notes and follower lists. Turning "
            "it off accepts the pending requests."
        )
    )


class UserBriefSerializer(_UserBaseSerializer):
    # A person named in another resource (who asked to follow).

    class Meta:
        model = User
        fields = ("handle", "display_name", "avatar_url", "avatar_color", "url")
        read_only_fields = fields


class FollowRequestSerializer(serializers.Serializer):
    # `accounts.models.FollowRequest`, to its target (the signed-in person).

    requester = UserBriefSerializer(read_only=True, help_text=_("Who asked to follow you."))
    created_at = serializers.DateTimeField(read_only=True)


FOLLOW_REQUEST_ANSWERS = (
    ("accept", pgettext_lazy("follow request", "Accept")),
    ("decline", pgettext_lazy("follow request", "Decline")),
)


@extend_schema_serializer(component_name="FollowRequestAnswer")
class FollowRequestAnswerInputSerializer(serializers.Serializer):
    handle = serializers.CharField(
        max_length=100, help_text=_("The handle of the person who asked to follow you.")
    )
    action = serializers.ChoiceField(choices=FOLLOW_REQUEST_ANSWERS)


class FollowRequestAnsweredSerializer(serializers.Serializer):
    requester = UserBriefSerializer(read_only=True)
    action = serializers.ChoiceField(choices=FOLLOW_REQUEST_ANSWERS, read_only=True)
    follows_you = serializers.BooleanField(
        read_only=True, help_text=_("Whether they follow you now (true once accepted).")
    )


@extend_schema_serializer(component_name="AvatarUpload")
class AvatarInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("A JPEG, PNG, WebP or GIF image; it is cropped square and re-encoded.")
    )
