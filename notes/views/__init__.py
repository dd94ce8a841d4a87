"""Web pages and actions for notes, one module per concern: `compose` (posting, uploads,
editing), `note_page` (the note page, likes, collections, photo renditions), `comments` (the
note page's thread, with htmx), `boards` and
`grids` (tag pages, profile tabs and `grid_page`, which the feeds render with too).

Views stay thin: they parse input, call one selector (whose getters 404 for missing and
forbidden alike) or one service, and render; a service's ValidationError becomes form errors
(or a 400 for htmx and JSON callers, `rednote.web`). Every page that lists notes is a keyset
page (`rednote.pagination.cursor_page`) and costs a constant number of queries whatever its size.
"""

from .boards import board_create, board_delete, board_detail, board_edit, board_note_remove
from .comments import (
    comment_delete,
    comment_like,
    comment_replies,
    comment_reply_form,
    comment_unlike,
    note_comments,
)
from .compose import media_upload, note_create, note_delete, note_edit
from .grids import boards, cards_response, grid_page, liked, profile
from .note_page import (
    note_collect,
    note_detail,
    note_image,
    note_like,
    note_status,
    note_uncollect,
    note_unlike,
)

__all__ = [
    "board_create",
    "board_delete",
    "board_detail",
    "board_edit",
    "board_note_remove",
    "boards",
    "comment_delete",
    "comment_like",
    "comment_replies",
    "comment_reply_form",
    "comment_unlike",
    "cards_response",
    "grid_page",
    "media_upload",
    "note_collect",
    "note_comments",
    "note_create",
    "note_delete",
    "note_detail",
    "note_edit",
    "note_image",
    "note_like",
    "note_status",
    "note_uncollect",
    "note_unlike",
    "liked",
    "profile",
]
