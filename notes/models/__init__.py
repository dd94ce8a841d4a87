"""The notes app's models, one module per part: notes, their visibility rule and likes
(`notes`), photos (`images`), hashtags, their groups and a note's links to them (`hashtags`),
boards (`boards`), comments and their likes (`comments`), and the search document (`search`).

Every model and public name is imported here, so `from notes.models import X` works as it
did when this was one module, and importing the package registers every model with the app
(label `notes`).
"""

from .boards import (
    BOARD_DESCRIPTION_MAX_LENGTH,
    BOARD_NAME_MAX_LENGTH,
    Board,
    BoardNote,
    BoardQuerySet,
)
from .comments import COMMENT_MAX_LENGTH, Comment, CommentLike, CommentQuerySet, comment_shown_q
from .hashtags import NOTE_STATE_COLUMNS, Hashtag, HashtagGroup, NoteHashtag, NoteHashtagQuerySet
from .images import (
    ALT_TEXT_MAX_LENGTH,
    MAX_IMAGES,
    ImageStatus,
    NoteImage,
    RenditionKind,
    private_storage,
)
from .notes import (
    BODY_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Note,
    NoteLike,
    NoteQuerySet,
    NoteStatus,
    Visibility,
    note_published_q,
    note_visible_q,
)
from .search import NoteSearchDocument

__all__ = [
    "ALT_TEXT_MAX_LENGTH",
    "BOARD_DESCRIPTION_MAX_LENGTH",
    "BOARD_NAME_MAX_LENGTH",
    "BODY_MAX_LENGTH",
    "Board",
    "BoardNote",
    "BoardQuerySet",
    "COMMENT_MAX_LENGTH",
    "Comment",
    "CommentLike",
    "CommentQuerySet",
    "Hashtag",
    "HashtagGroup",
    "ImageStatus",
    "LOCATION_MAX_LENGTH",
    "MAX_IMAGES",
    "NOTE_STATE_COLUMNS",
    "Note",
    "NoteHashtag",
    "NoteHashtagQuerySet",
    "NoteImage",
    "NoteLike",
    "NoteQuerySet",
    "NoteSearchDocument",
    "NoteStatus",
    "RenditionKind",
    "TITLE_MAX_LENGTH",
    "Visibility",
    "comment_shown_q",
    "note_published_q",
    "note_visible_q",
    "private_storage",
]
