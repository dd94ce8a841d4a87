"""The note grids page with the shared keyset pages (`rednote.pagination.cursor_page`), whose
cursors are `rednote.cursors` tokens like the API's and the feed store's. Kept as an import
path for the note views until their grid helper moves to `rednote.web`."""

from rednote.pagination import DEFAULT_PAGE_SIZE, CursorPage, InvalidCursor, cursor_page

__all__ = ["DEFAULT_PAGE_SIZE", "CursorPage", "InvalidCursor", "cursor_page"]
