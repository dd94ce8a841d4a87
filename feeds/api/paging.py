"""What the feed APIs share: pages that go forward only (`?cursor=&page_size=`, `next`), read
by a feed selector that raises InvalidCursor for a cursor it did not make."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from rednote.cursors import InvalidCursor
from rednote.page_size import PAGE_SIZE_DESCRIPTION
from rednote.pagination import CursorPagination

TAG_FEEDS = "feeds"

FORWARD_PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description=gettext_lazy("The cursor of the page to fetch, from `next`."),
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=PAGE_SIZE_DESCRIPTION,
    ),
]


def forward_page(request: Request, read: Callable[..., Any]) -> tuple[Any, str | None]:
    """`read(cursor=, size=)` for this request's `cursor` and `page_size` (the API's page size
    rules), and the `next` link of the page it returns. A bad cursor is a 400 naming `cursor`."""
    size = CursorPagination().get_page_size(request) or CursorPagination.page_size
    try:
        page = read(cursor=request.query_params.get("cursor") or None, size=size)
    except InvalidCursor:
        message = CursorPagination.invalid_cursor_message
        raise exceptions.ValidationError({"cursor": [str(message)]}) from None
    next_url = None
    if page.next_cursor is not None:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
    return page, next_url
