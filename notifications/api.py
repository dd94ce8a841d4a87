"""REST API of the inbox: `GET /api/v1/notifications/` and `POST /api/v1/notifications/read/`.

The page and the API call the same selectors and services (`notifications.selectors`,
`notifications.services`), so both show and mark the same entries.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rednote.api import error_responses
from rednote.cursors import InvalidCursor
from rednote.page_size import PAGE_SIZE_DESCRIPTION, api_page_size

from . import selectors, services
from .models import NotificationTab
from .serializers import (
    NotificationSerializer,
    NotificationsReadInputSerializer,
    NotificationsReadSerializer,
    UnreadCountsSerializer,
)

TAG_NOTIFICATIONS = "notifications"

_LIST_DESCRIPTION = gettext_lazy(
    "The signed-in person's inbox, most recently active first, in cursor pages. `tab` keeps "
    "one tab: `likes` (likes and collects of your notes, likes of your comments), `follows` "
    "(new followers, requests to follow your private account and their acceptance), "
    "`comments` (comments, replies and mentions), `notices` (from the site: your data export "
    "is ready, messages from the moderators, with `text`, `url` and `data`). Likes "
    "and collects of one note group into one entry while unread (`actor_count` people, the "
    "latest few in `actors`). `unread` counts the unread entries per tab, each up to 100. "
    "Reading the list marks nothing read: use `notifications/read/`."
)


class NotificationsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_NOTIFICATIONS],
        operation_id="notifications_list",
        summary=gettext_lazy("Your notifications"),
        description=_LIST_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "tab",
                OpenApiTypes.STR,
                enum=NotificationTab.values,
                description=gettext_lazy("Only this tab's entries (default: all)."),
            ),
            OpenApiParameter(
                "cursor",
                OpenApiTypes.STR,
                description=gettext_lazy("The cursor of the page to fetch, from `next`."),
            ),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=PAGE_SIZE_DESCRIPTION),
        ],
        responses={
            200: inline_serializer(
                name="NotificationPage",
                fields={
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": NotificationSerializer(many=True),
                    "unread": UnreadCountsSerializer(),
                },
            ),
            **error_responses(400, 401),
        },
    )
    def get(self, request):
        tab = request.query_params.get("tab") or None
        if tab is not None and tab not in NotificationTab.values:
            raise exceptions.ValidationError(
                {"tab": [gettext_lazy("Choose likes, follows, comments or notices.")]}
            )
        try:
            page = selectors.notifications_page(
                recipient=request.user,
                tab=tab,
                cursor=request.query_params.get("cursor") or None,
                size=api_page_size(request.query_params.get("page_size")),
            )
        except InvalidCursor:
            raise exceptions.ValidationError(
                {
                    "cursor": [
                        gettext_lazy("This cursor is not valid; start again from the first page.")
                    ]
                }
            ) from None

        def link(token):
            if token is None:
                return None
            query = request.query_params.copy()
            query["cursor"] = token
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        unread = selectors.unread_counts(recipient=request.user)
        return Response(
            {
                "next": link(page.next_cursor),
                "previous": link(page.previous_cursor),
                "results": NotificationSerializer(
                    page.items, many=True, context={"request": request}
                ).data,
                "unread": unread.as_dict(),
            }
        )


class NotificationsReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_NOTIFICATIONS],
        operation_id="notifications_read",
        summary=gettext_lazy("Mark notifications read"),
        description=gettext_lazy(
            "Marks your unread entries read: all of them when the body is empty, one tab's "
            "(`tab`), or those of `ids` (ids that are not yours are ignored). Someone who acts "
            "again afterwards opens a new entry. Answers how many were marked and the unread "
            "counts after."
        ),
        request=NotificationsReadInputSerializer,
        responses={200: NotificationsReadSerializer, **error_responses(400, 401)},
    )
    def post(self, request):
        serializer = NotificationsReadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_read(
            recipient=request.user,
            tab=serializer.validated_data.get("tab"),
            ids=serializer.validated_data.get("ids"),
        )
        unread = selectors.unread_counts(recipient=request.user)
        return Response({"marked": marked, "unread": unread.as_dict()})
