"""Writes for notes: uploads, posting, editing, withdrawing, likes, collections, boards and
comments.

Each function validates its input and raises `ValidationError` keyed by field (the form and the
API show the same messages); nothing is stored on error. Events and tasks go out after commit.
One module per concern; this package re-exports the public names, so callers write
`from notes import services; services.note_create(...)`.
"""

from .boards import (
    MAX_BOARDS,
    board_create,
    board_delete,
    board_get_or_create_saved,
    board_update,
    note_collect,
    note_uncollect,
)
from .circulation import note_tag_links_follow
from .comments import (
    comment_can_delete,
    comment_create,
    comment_delete,
    comment_hide,
    comment_like,
    comment_moderation_delete,
    comment_release,
    comment_unhide,
    comment_unlike,
)
from .compose import note_collect_into_new_board, note_compose
from .hashtag_groups import (
    hashtag_group_delete,
    hashtag_group_problems,
    hashtag_group_save,
    hashtag_links_group_sync,
    hashtags_link,
    hashtags_unlink,
)
from .images import note_image_process
from .likes import note_like, note_unlike
from .notes import (
    note_create,
    note_delete,
    note_hide,
    note_language_choice,
    note_moderation_delete,
    note_unhide,
    note_update,
)
from .screening import note_release
from .uploads import MAX_PENDING_UPLOADS, media_upload

__all__ = [
    "MAX_BOARDS",
    "MAX_PENDING_UPLOADS",
    "board_create",
    "board_delete",
    "board_get_or_create_saved",
    "board_update",
    "comment_can_delete",
    "comment_create",
    "comment_delete",
    "comment_hide",
    "comment_like",
    "comment_moderation_delete",
    "comment_release",
    "comment_unhide",
    "comment_unlike",
    "hashtag_group_delete",
    "hashtag_group_problems",
    "hashtag_group_save",
    "hashtag_links_group_sync",
    "hashtags_link",
    "hashtags_unlink",
    "media_upload",
    "note_collect",
    "note_collect_into_new_board",
    "note_compose",
    "note_create",
    "note_delete",
    "note_hide",
    "note_image_process",
    "note_language_choice",
    "note_like",
    "note_moderation_delete",
    "note_release",
    "note_tag_links_follow",
    "note_uncollect",
    "note_unhide",
    "note_unlike",
    "note_update",
]
