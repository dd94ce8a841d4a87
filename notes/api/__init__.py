"""REST API for notes, photos, likes, collections and boards (/api/v1/).

Each method parses its input with its own serializer, calls one service (writes) or selector
(reads, 404 for anything the viewer may not see) and answers with the shared output
serializers. Services raise Django `ValidationError`s by field, which
`rednote.api.exception_handler` turns into 400s naming the field.

One module per resource: `notes` (photos, notes, likes, collections), `boards` and
`comments`; what they share is in `common`.
"""

from .boards import BoardDetailApi, BoardNotesApi, BoardsApi, UserBoardsApi
from .comments import CommentDetailApi, CommentLikeApi, CommentRepliesApi, NoteCommentsApi
from .notes import (
    MediaUploadApi,
    NoteCollectApi,
    NoteDetailApi,
    NoteLikeApi,
    NotesApi,
    UserLikedApi,
    UserNotesApi,
)

__all__ = [
    "BoardDetailApi",
    "BoardNotesApi",
    "BoardsApi",
    "CommentDetailApi",
    "CommentLikeApi",
    "CommentRepliesApi",
    "MediaUploadApi",
    "NoteCollectApi",
    "NoteDetailApi",
    "NoteCommentsApi",
    "NoteLikeApi",
    "NotesApi",
    "UserBoardsApi",
    "UserLikedApi",
    "UserNotesApi",
]
