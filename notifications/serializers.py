"""API shapes of the inbox (output only; the read endpoint's input has its own serializer)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.serializers import _UserBaseSerializer

from . import notices
from .models import Notification, NotificationKind, NotificationTab


class NotificationActorSerializer(_UserBaseSerializer):
    class Meta:
        model = User
        fields = ("handle", "display_name", "avatar_url", "avatar_color", "url")
        read_only_fields = fields


class NotificationNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="headline", help_text=_("The note's card title."))
    cover_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, note) -> str | None:
        cover = note.cover
        return self._absolute(cover.grid_url) if cover and cover.status == "ready" else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, note) -> str:
        return self._absolute(note.get_absolute_url())


class NotificationCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    body = serializers.CharField(help_text=_("The comment's text, plain (escape it)."))
    language = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    """One inbox entry. `actors` are the latest few people behind it (newest first) and
    `actor_count` all of them: "{actors[0]} and {actor_count - 1} others liked your note".
    A notice from the site (tab `notices`) has no actors: `text` says what happened, `url`
    where to look, and `data` holds its details."""

    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    tab = serializers.ChoiceField(choices=NotificationTab.choices, read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    actors = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    follow_request_pending = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    # DRF's metaclass takes declared fields off the class, so `Serializer.data` is untouched.
    data = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "tab",
            "is_read",
            "actor_count",
            "actors",
            "note",
            "comment",
            "follow_request_pending",
            "text",
            "url",
            "data",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def _is_notice(self, entry: Notification) -> bool:
        return entry.tab == NotificationTab.NOTICES

    def to_representation(self, entry: Notification) -> dict:
        data = super().to_representation(entry)
        if self._is_notice(entry):
            data["actor_count"] = 0  # from the site, not from people
        return data

    @extend_schema_field(NotificationActorSerializer(many=True))
    def get_actors(self, entry: Notification) -> Any:
        if self._is_notice(entry):
            return []
        people = [link.actor for link in getattr(entry, "shown_actors", [])] or [entry.actor]
        return NotificationActorSerializer(people, many=True, context=self.context).data

    @extend_schema_field(NotificationNoteSerializer(allow_null=True))
    def get_note(self, entry: Notification) -> dict | None:
        if entry.note is None:
            return None
        return NotificationNoteSerializer(entry.note, context=self.context).data

    @extend_schema_field(NotificationCommentSerializer(allow_null=True))
    def get_comment(self, entry: Notification) -> dict | None:
        comment = getattr(entry, "comment", None)
        return NotificationCommentSerializer(comment).data if comment is not None else None

    @extend_schema_field(
        serializers.BooleanField(
            allow_null=True,
            help_text=_(
                "For a follow request: whether it still waits for your answer "
                "(`follow-requests/`); null for other kinds."
            ),
        )
    )
    def get_follow_request_pending(self, entry: Notification) -> bool | None:
        if entry.kind != NotificationKind.FOLLOW_REQUEST:
            return None
        return bool(getattr(entry, "request_pending", False))

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text=_(
                "For a notice: what happened, one sentence in your language (plain text: "
                "escape it). Null for other kinds."
            ),
        )
    )
    def get_text(self, entry: Notification) -> str | None:
        return notices.notice_text(entry) if self._is_notice(entry) else None

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text=_(
                "For a notice: where to look (your export, the content a moderation message "
                "is about while it exists); else null."
            ),
        )
    )
    def get_url(self, entry: Notification) -> str | None:
        url = getattr(entry, "notice_url", None)
        if url is None:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(
        serializers.DictField(
            help_text=_(
                "A notice's details: for `moderation`, `action` (hide, unhide, delete, warn, "
                "suspend, unsuspend, approve, reject, appeal_grant, appeal_deny), `reason` (the "
                "moderators' words, plain text), `target_kind` (note, comment, user), "
                "`target_id`, `title` (as it was) and `until` for a suspension; for "
                "`export_ready`, `export_id`. Empty for other kinds."
            )
        )
    )
    def get_data(self, entry: Notification) -> dict:
        return dict(entry.data or {})


class UnreadCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    likes = serializers.IntegerField()
    follows = serializers.IntegerField()
    comments = serializers.IntegerField()
    notices = serializers.IntegerField()


class NotificationsReadInputSerializer(serializers.Serializer):
    """Which entries to mark read: all (nothing given), a tab, or some ids (of your own)."""

    tab = serializers.ChoiceField(choices=NotificationTab.choices, required=False)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=False,
        max_length=100,
    )

    def validate(self, attrs):
        if "tab" in attrs and "ids" in attrs:
            raise serializers.ValidationError({"ids": [_("Give a tab or ids, not both.")]})
        return attrs


class NotificationsReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many entries were marked read."))
    unread = UnreadCountsSerializer()
