"""Admin for notes, their photos, hashtags, boards and comments.

People's notes are read-only here: moderators hide, unhide or delete them, and each of those
goes through the moderation services (the notes services behind them), so a hidden note leaves
every feed and page through the same events as anywhere else. Deleting a note or a board runs
the services too (files removed, collect counts kept right) — never a bare `queryset.delete()`.

Photos are private files; the admin shows them through its own staff-only view, since the
public rendition view answers only to people who may see the note.

One module per part: notes and their photos (`notes`, `photos`), comments (`comments`),
hashtags and their groups (`hashtags`), boards (`boards`); `moderated` holds the base the
notes and comments admins share. Importing this package registers them all.
"""

from .boards import BoardAdmin
from .comments import CommentAdmin
from .hashtags import HashtagAdmin, HashtagGroupAdmin, HashtagGroupForm
from .moderated import RegistryModeratedAdmin
from .notes import NoteAdmin
from .photos import THUMBNAIL_WIDTH, NoteImageInline

__all__ = [
    "THUMBNAIL_WIDTH",
    "BoardAdmin",
    "CommentAdmin",
    "HashtagAdmin",
    "HashtagGroupAdmin",
    "HashtagGroupForm",
    "NoteAdmin",
    "NoteImageInline",
    "RegistryModeratedAdmin",
]
