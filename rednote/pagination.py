"""Cursor pagination shared by every API list.

Lists are paged with opaque cursors (`?cursor=`), never page numbers: a page stays correct while
rows are added at the top, and fetching it costs the same whatever its depth. Each list names its
own `ordering`: the first field is the cursor position, so it should be nearly unique (a
timestamp), and a unique tie-breaker (an id) follows to make the order total. Fields may be
annotations, which is how a list of people is ordered by when they followed.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination as DrfCursorPagination


class CursorPagination(DrfCursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    page_size_query_description = _("Number of results per page (1 to 100, default 20).")
    max_page_size = 100
    cursor_query_description = _("The cursor of the page to fetch, from `next` or `previous`.")
    invalid_cursor_message = _("This cursor is not valid; start again from the first page.")
    ordering = ("-created_at", "-id")

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # DRF answers a malformed cursor with 404, which reads as "the list is gone", and trusts
        # the position inside it, which the client can forge: check both, answer 400.
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or cursor.position is None or self._position_is_valid(cursor)
        if not valid:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [str(self.invalid_cursor_message)]}
            )
        return cursor

    def _position_is_valid(self, cursor) -> bool:
        name = self.ordering[0].lstrip("-")
        query = self._queryset.query
        if name in query.annotations:
            field = query.annotations[name].output_field
        else:
            try:
                field = query.model._meta.get_field(name)
            except FieldDoesNotExist:
                field = query.model._meta.pk if name == "pk" else None
        if field is None:
            return True
        try:
            field.to_python(cursor.position)
        except DjangoValidationError:
            return False
        return True
