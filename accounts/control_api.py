"""REST API for account control (/api/v1/me/...): data export and account deletion.

The same services and selectors as the settings pages (`accounts.control_views`).
"""

from django.contrib.auth import SESSION_KEY, logout
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.web import rate_limit_wait

from . import selectors
from .control_views import export_file_response
from .models import DataExport, DataExportStatus
from .services.deletion import account_delete, account_password_check
from .services.exports import ExportThrottled, data_export_request

TAG_ME = "me"


class DataExportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=DataExportStatus.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Until when the archive can be downloaded."),
    )
    size = serializers.IntegerField(read_only=True, help_text=gettext_lazy("Bytes."))
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Where to download the ZIP (with the same authentication), while it is ready and "
            "not expired; else null."
        )
    )

    def get_download_url(self, export: DataExport) -> str | None:
        if not export.is_downloadable:
            return None
        path = reverse("api:me-export-download", kwargs={"export_id": export.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=gettext_lazy("Your current password."),
    )


class MeExportApi(APIView):
    """Ask for an archive of your data, or see how the latest one is going."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_export_retrieve",
        summary=gettext_lazy("Your latest data export"),
        description=gettext_lazy(
            "Its status (pending, ready or failed) and, while it can be downloaded, "
            "`download_url`. 404 if you never asked for one."
        ),
        responses={200: DataExportSerializer, **error_responses(401, 404)},
    )
    def get(self, request):
        exports = selectors.data_exports_recent(user=request.user, limit=1)
        if not exports:
            raise Http404(_("You have not asked for an archive yet."))
        return Response(DataExportSerializer(exports[0], context={"request": request}).data)

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_export_create",
        summary=gettext_lazy("Ask for a data export"),
        description=gettext_lazy(
            "An archive (ZIP) of your profile, notes, comments, likes, boards, follows, blocks "
            "and mutes as `data.json`, with your photos, is built in the background; a notice "
            "in your notifications says when it is ready. One at a time (400, field `export`, "
            "while one is being prepared) and a few a day (429)."
        ),
        request=None,
        responses={202: DataExportSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        try:
            export = data_export_request(user=request.user)
        except ExportThrottled as exc:
            raise exceptions.Throttled(wait=exc.wait, detail=str(exc)) from exc
        return Response(
            DataExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class MeExportDownloadApi(APIView):
    """Download one of your archives."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_ME],
        operation_id="me_export_download",
        summary=gettext_lazy("Download a data export"),
        description=gettext_lazy(
            "The ZIP itself. Only yours: anyone else's is a 404; an expired one is a 410."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=bytes, description=gettext_lazy("The archive.")
            ),
            410: OpenApiResponse(description=gettext_lazy("The archive has expired.")),
            **error_responses(401, 404),
        },
    )
    def get(self, request, export_id: int):
        export = selectors.data_export_get_own(user=request.user, export_id=export_id)
        if not export.is_downloadable:
            return Response(
                {"detail": _("This archive has expired."), "errors": {}},
                status=status.HTTP_410_GONE,
            )
        return export_file_response(export)


def me_delete(request) -> Response:
    """DELETE /api/v1/me/ (`accounts.api.MeApi.delete`): close the account after checking
    the current password (re-authentication)."""
    serializer = AccountDeleteInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    # Password guesses count against the API sign-in's limit.
    wait = rate_limit_wait(request._request, scope="auth_token")
    if wait is not None:
        raise exceptions.Throttled(wait=wait)
    account_password_check(user=request.user, password=serializer.validated_data.get("password"))
    account_delete(user=request.user)
    session = getattr(request._request, "session", None)
    if session is not None and session.get(SESSION_KEY):
        logout(request._request)  # a browser's session: signed out at once
    return Response(status=status.HTTP_204_NO_CONTENT)
