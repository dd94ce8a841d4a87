"""API shapes for notes: one input serializer per operation, one output serializer per resource.

A note looks the same wherever it appears (detail, profile grid, board, feeds), so every
endpoint answers with `NoteSerializer`; its queryset must come from a notes selector (author,
images and the viewer's `viewer_liked` / `viewer_collected` flags are loaded there) passed
through `NoteSerializer.eager_load` for the tags and mentions.

Input serializers check types, shapes and the lengths of `notes.limits` (the same validators,
so the same words, as the web forms and the services); the services validate content (photo
ownership, board names...) and report every problem by field, so the web forms and the API
give the same answers.
"""

from django.db.models import Manager, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import User

from .limits import (
    ALT_TEXT_LENGTH,
    BOARD_DESCRIPTION_LENGTH,
    BOARD_NAME_LENGTH,
    BODY_LENGTH,
    LOCATION_LENGTH,
    TITLE_LENGTH,
)
from .models import Board, Hashtag, ImageStatus, Note, NoteImage, Visibility
from .representation import notes_json


def _absolute(serializer: serializers.Serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# Ids are 64-bit; a larger number is refused here rather than overflowing a database driver.
_MAX_ID = 2**63 - 1

# A URL, or null when there is none (yet).
_NULLABLE_URL = serializers.URLField(allow_null=True)


# --- Output -------------------------------------------------------------------------------


class NoteAuthorSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("handle", "display_name", "avatar_url")
        read_only_fields = fields

    @extend_schema_field(_NULLABLE_URL)
    def get_avatar_url(self, user: User) -> str | None:
        return _absolute(self, user.avatar.url) if user.avatar else None


class NoteMentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("handle", "display_name")
        read_only_fields = fields


class HashtagSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The tag's page."))

    class Meta:
        model = Hashtag
        fields = ("name", "display_name", "url")
        read_only_fields = fields
        extra_kwargs = {
            "name": {"help_text": _("Normalised key (NFKC, case-folded); the tag's identity.")},
            "display_name": {"help_text": _("The tag as first written, without the #.")},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, tag: Hashtag) -> str:
        return _absolute(self, tag.get_absolute_url())


class NoteImageSerializer(serializers.ModelSerializer):
    # The renditions are served by a view that checks the note's visibility; the original is
    # never reachable. Until the worker has made the renditions every field but `alt_text` is
    # null.

    url = serializers.SerializerMethodField(help_text=_("The display rendition (≈1080 px)."))
    grid_url = serializers.SerializerMethodField(help_text=_("The grid rendition (≈540 px)."))
    width = serializers.SerializerMethodField(help_text=_("Width of the display rendition."))
    height = serializers.SerializerMethodField(help_text=_("Height of the display rendition."))
    placeholder_color = serializers.SerializerMethodField(
        help_text=_("The photo's average colour (#rrggbb), to show while it loads.")
    )

    class Meta:
        model = NoteImage
        fields = ("url", "grid_url", "width", "height", "alt_text", "placeholder_color")
        read_only_fields = fields

    @staticmethod
    def _ready(image: NoteImage) -> bool:
        return image.status == ImageStatus.READY and image.note_id is not None

    @extend_schema_field(_NULLABLE_URL)
    def get_url(self, image: NoteImage) -> str | None:
        return _absolute(self, image.display_url) if self._ready(image) else None

    @extend_schema_field(_NULLABLE_URL)
    def get_grid_url(self, image: NoteImage) -> str | None:
        return _absolute(self, image.grid_url) if self._ready(image) else None

    def get_width(self, image: NoteImage) -> int | None:
        return image.width if self._ready(image) else None

    def get_height(self, image: NoteImage) -> int | None:
        return image.height if self._ready(image) else None

    def get_placeholder_color(self, image: NoteImage) -> str | None:
        return image.placeholder_color or None if self._ready(image) else None


class NoteListSerializer(serializers.ListSerializer):
    """Many notes at once: their cached relations are read in one round trip."""

    def to_representation(self, data):
        notes = data.all() if isinstance(data, Manager) else data
        return notes_json(notes, request=self.context.get("request"))


class NoteSerializer(serializers.ModelSerializer):
    """The note's shape. The fields below declare it (field order, types, the schema); the
    JSON itself is built by `notes.representation.notes_json`, which gives the same result
    without constructing these fields for every note (see there)."""

    url = serializers.SerializerMethodField(help_text=_("The note's page."))
    author = NoteAuthorSerializer(read_only=True)
    images = NoteImageSerializer(many=True, read_only=True, help_text=_("The first is the cover."))
    hashtags = HashtagSerializer(many=True, read_only=True)
    mentions = NoteMentionSerializer(many=True, read_only=True)
    failure_reason = serializers.SerializerMethodField(
        help_text=_("Why the note could not be published; given to its author only.")
    )
    liked = serializers.SerializerMethodField(help_text=_("The signed-in viewer likes it."))
    collected = serializers.SerializerMethodField(
        help_text=_("The signed-in viewer has it in one of their boards.")
    )

    class Meta:
        model = Note
        fields = (
            "id",
            "url",
            "title",
            "body",
            "author",
            "images",
            "hashtags",
            "mentions",
            "language",
            "visibility",
            "location",
            "status",
            "failure_reason",
            "like_count",
            "collect_count",
            "comment_count",
            "liked",
            "collected",
            "created_at",
            "published_at",
        )
        read_only_fields = fields
        list_serializer_class = NoteListSerializer

    def to_representation(self, instance):
        return notes_json([instance], request=self.context.get("request"))[0]

    @staticmethod
    def eager_load(queryset: QuerySet) -> QuerySet:
        """What this serializer reads beyond a note card: tags and (active) mentioned people,
        in the order `notes.representation.note_relations_prefetch` gives them."""
        return queryset.prefetch_related(
            Prefetch("hashtags", queryset=Hashtag.objects.order_by("pk")),
            Prefetch("mentions", queryset=User.objects.active().order_by("pk")),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, note: Note) -> str:
        return _absolute(self, note.get_absolute_url())

    def get_failure_reason(self, note: Note) -> str | None:
        request = self.context.get("request")
        if request is not None and request.user.pk == note.author_id:
            return note.failure_reason
        return None

    def get_liked(self, note: Note) -> bool:
        return bool(getattr(note, "viewer_liked", False))

    def get_collected(self, note: Note) -> bool:
        return bool(getattr(note, "viewer_collected", False))


class MediaSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoteImage
        fields = ("id", "status")
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": _("Pass it in `media_ids` when posting the note.")},
            "status": {"help_text": _("`pending` until the note is posted and processed.")},
        }


class BoardSerializer(serializers.ModelSerializer):
    # The board must carry `note_count` and `cover_entries`
    # (`notes.selectors.boards_annotate_cards`).

    url = serializers.SerializerMethodField(help_text=_("The board's page."))
    owner = NoteAuthorSerializer(read_only=True)
    note_count = serializers.IntegerField(
        read_only=True, help_text=_("Notes in the board that the viewer may see.")
    )
    covers = serializers.SerializerMethodField(
        help_text=_("Grid images of the most recently collected notes (up to three).")
    )

    class Meta:
        model = Board
        fields = (
            "id",
            "url",
            "name",
            "description",
            "is_private",
            "is_default",
            "owner",
            "note_count",
            "covers",
            "created_at",
        )
        read_only_fields = fields
        extra_kwargs = {
            "is_default": {"help_text": _("The “Saved” board: cannot be renamed or deleted.")}
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, board: Board) -> str:
        return _absolute(self, board.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_covers(self, board: Board) -> list[str]:
        urls = []
        for entry in board.cover_entries:
            cover = entry.note.cover
            if cover is not None and cover.status == ImageStatus.READY:
                urls.append(_absolute(self, cover.grid_url))
        return urls


# --- Input --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="MediaUpload")
class MediaUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the service explains an empty file like any other bad one
        help_text=_("A JPEG, PNG, WebP or GIF photo, at most 20 MB and 40 megapixels."),
    )
    alt_text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[ALT_TEXT_LENGTH],
        help_text=_("A description of the photo for people who cannot see it."),
    )


@extend_schema_serializer(component_name="NoteCreate")
class NoteCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[TITLE_LENGTH]
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[BODY_LENGTH],
        help_text=_("Text with #hashtags and @mentions."),
    )
    media_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=_MAX_ID),
        allow_empty=True,
        help_text=_(
            "Ids of your uploaded photos (`POST media/`), in order; the first is the cover."
        ),
    )
    alt_texts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, validators=[ALT_TEXT_LENGTH]),
        required=False,
        default=dict,
        help_text=_("Alt text per photo id, replacing the one given at upload."),
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        default="auto",
        max_length=16,
        help_text=_(
            "A code of the site's content languages, 'mixed', or 'auto' (the default) to have "
            "it detected from the title and text."
        ),
    )
    location = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        validators=[LOCATION_LENGTH],
        help_text=_("A place name you choose; never read from the photos."),
    )

    def validate(self, attrs):
        alt_texts: dict[int, str] = {}
        media_ids = set(attrs["media_ids"])
        for key, text in attrs["alt_texts"].items():
            image_id = int(key) if str(key).isdigit() else None
            if image_id is None or image_id not in media_ids:
                raise serializers.ValidationError(
                    {"alt_texts": [_("“%(key)s” is not one of media_ids.") % {"key": key}]}
                )
            alt_texts[image_id] = text
        attrs["alt_texts"] = alt_texts
        return attrs


@extend_schema_serializer(component_name="NoteUpdate")
class NoteUpdateInputSerializer(serializers.Serializer):
    # Photos stay as posted; any other field sent (author, counters, status...) is ignored.

    title = serializers.CharField(allow_blank=True, validators=[TITLE_LENGTH])
    body = serializers.CharField(allow_blank=True, validators=[BODY_LENGTH])
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    location = serializers.CharField(allow_blank=True, validators=[LOCATION_LENGTH])
    language = serializers.CharField(
        allow_blank=True,
        max_length=16,
        help_text=_(
            "A code of the site's content languages or 'mixed' to correct it, 'auto' to have "
            "it detected again; left out, a detected language follows the new text."
        ),
    )


@extend_schema_field(OpenApiTypes.INT)
class _OwnBoardField(serializers.PrimaryKeyRelatedField):
    # One of the signed-in person's boards; any other id is "not found", never someone else's.

    default_error_messages = {"does_not_exist": _("You have no board with id {pk_value}.")}

    def get_queryset(self):
        return Board.objects.filter(owner=self.context["request"].user)


@extend_schema_serializer(component_name="NoteCollect")
class NoteCollectInputSerializer(serializers.Serializer):
    board = _OwnBoardField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Id of one of your boards; “Saved” when left out."),
    )


@extend_schema_serializer(component_name="BoardCreate")
class BoardCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, validators=[BOARD_NAME_LENGTH])
    description = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[BOARD_DESCRIPTION_LENGTH]
    )
    is_private = serializers.BooleanField(required=False, default=False)
    note = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=_MAX_ID,
        help_text=_("Id of a note you can see, to collect into the new board at once."),
    )


@extend_schema_serializer(component_name="BoardUpdate")
class BoardUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, validators=[BOARD_NAME_LENGTH])
    description = serializers.CharField(allow_blank=True, validators=[BOARD_DESCRIPTION_LENGTH])
    is_private = serializers.BooleanField()
