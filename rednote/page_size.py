"""`?page_size=` on every list of the API, one rule (DRF's own): a number from 1 to the maximum
is taken, a larger one gives the maximum, and a missing, zero, negative or non-numeric one the
default — never a 400, so a client sending a size it likes keeps working when the maximum
changes. The paginated lists (`rednote.pagination.CursorPagination`), the feed APIs
(`feeds.api.paging`) and search read it through `api_page_size` (search's input serializer
through `PageSizeField`) and document it with PAGE_SIZE_DESCRIPTION."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
PAGE_SIZE_DESCRIPTION = _(
    "Number of results per page, from 1 to 100 (default 20). A larger number gives 100; "
    "zero, a negative number or anything that is not a whole number gives 20."
)


def api_page_size(
    value: str | None, *, default: int | None = None, maximum: int | None = None
) -> int:
    """The page size an API request asks for with `value` (its `page_size`, or None), by the
    rule above: capped at `maximum`, `default` when missing or not a positive whole number
    (API_MAX_PAGE_SIZE and API_PAGE_SIZE unless given)."""
    default = API_PAGE_SIZE if default is None else default
    maximum = API_MAX_PAGE_SIZE if maximum is None else maximum
    try:
        size = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    if size <= 0:
        return default
    return min(size, maximum)


class PageSizeField(serializers.IntegerField):
    """`page_size` in an API input serializer (a list that validates its query with one, as
    search does): an integer with PAGE_SIZE_DESCRIPTION in the schema, read by `api_page_size`
    — never an error, and the default when it is missing."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", PAGE_SIZE_DESCRIPTION)
        super().__init__(**kwargs)

    def run_validation(self, data=empty):
        return api_page_size(None if data is empty else data)
