"""`/api/v1/reports/`: report a note, a comment or a person to the moderators; list your own
reports. The note page's report form calls the same getter and service
(`targets.target_get_visible`, `services.reports.report_create`) and counts against the same
rate."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response

from rednote.api import error_responses
from rednote.pagination import CursorPagination

from . import selectors
from .models import Report, ReportReason
from .services.reports import REPORTS_THROTTLE_SCOPE, report_create
from .targets import USER_KIND, target_get_visible, target_kind

TAG_REPORTS = "reports"
TARGET_KINDS = ("note", "comment", USER_KIND)


class ReportCreateInputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(
        choices=TARGET_KINDS,
        help_text=gettext_lazy("What is reported: a note, a comment or a person (user)."),
    )
    target_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=gettext_lazy(
            "The id of the note, comment or person. A person may be named by `handle` instead."
        ),
    )
    handle = serializers.CharField(
        required=False,
        allow_blank=False,
        max_length=64,
        help_text=gettext_lazy(
            "For `target_type` user: the person's handle (without @), instead of `target_id`."
        ),
    )
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # the service trims and counts, as for the page's form
        help_text=gettext_lazy("Optional details for the moderators (at most 1000 characters)."),
    )

    def validate(self, attrs):
        kind = attrs["target_type"]
        has_id, has_handle = "target_id" in attrs, "handle" in attrs
        if kind == USER_KIND:
            if has_id and has_handle:
                raise serializers.ValidationError(
                    {"handle": [_("Name the person by target_id or by handle, not both.")]}
                )
            if not (has_id or has_handle):
                raise serializers.ValidationError(
                    {"target_id": [_("Give the person's target_id or handle.")]}
                )
        else:
            if has_handle:
                raise serializers.ValidationError(
                    {"handle": [_("Only a person (target_type user) is named by handle.")]}
                )
            if not has_id:
                raise serializers.ValidationError({"target_id": [_("This field is required.")]})
        return attrs


class ReportSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = (
            "id",
            "target_type",
            "target_id",
            "reason",
            "text",
            "status",
            "created_at",
            "decided_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=TARGET_KINDS))
    def get_target_type(self, report: Report) -> str:
        model = report.target_type.model_class()
        return target_kind(model) if model is not None else ""


class ReportPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class ReportsApi(generics.ListAPIView):
    """Report something to the moderators; your reports."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportSerializer
    pagination_class = ReportPagination
    # Filing counts against the report rate (the page's form too); reading does not
    # (`rednote.throttling.RATE_SCOPES`), and a 429 says so in the scope's words.
    throttle_scope = REPORTS_THROTTLE_SCOPE

    def get_queryset(self):
        return selectors.reports_of(reporter=self.request.user)

    @extend_schema(
        tags=[TAG_REPORTS],
        operation_id="reports_list",
        summary=gettext_lazy("Your reports"),
        description=gettext_lazy(
            "The reports you made, newest first, with their status: `open` until a moderator "
            "decides, then `dismissed` or `actioned`. Cursor pages (`cursor`, `page_size`)."
        ),
        responses={200: ReportSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_REPORTS],
        operation_id="reports_create",
        summary=gettext_lazy("Report a note, a comment or a person"),
        description=gettext_lazy(
            "`target_type` is `note`, `comment` or `user`; `target_id` is its id — a person "
            "may be named by `handle` instead. `reason` is one of spam, harassment, hate, "
            "nudity, misinformation, other; `text` optional details (at most 1000 "
            'characters). One open report per person and target: a second is a 400 "You have '
            'already reported this." Your own notes, comments and account cannot be reported '
            "(400 naming `target_id` or `handle`). 404 for anything you may not see. 429 past "
            "the report rate. Nothing is stored when refused."
        ),
        request=ReportCreateInputSerializer,
        examples=[
            OpenApiExample(
                "A note",
                value={"target_type": "note", "target_id": 42, "reason": "spam"},
                request_only=True,
            ),
            OpenApiExample(
                "A person, by handle",
                value={
                    "target_type": "user",
                    "handle": "mei",
                    "reason": "harassment",
                    "text": "Insults in every comment under my notes.",
                },
                request_only=True,
            ),
        ],
        responses={201: ReportSerializer, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request):
        serializer = ReportCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = target_get_visible(
            viewer=request.user,
            kind=data["target_type"],
            target_id=data.get("target_id"),
            handle=data.get("handle", ""),
        )
        try:
            report = report_create(
                reporter=request.user,
                target=target,
                reason=data["reason"],
                text=data.get("text", ""),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "target" in exc.error_dict:
                # The service names the target; the client named it by one of these.
                exc.error_dict["handle" if "handle" in data else "target_id"] = exc.error_dict.pop(
                    "target"
                )
            raise
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
