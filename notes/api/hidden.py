"""The API's view of hidden content for its author: the note or comment as usual plus
`"moderation": {"hidden": true, "reason": ..., "can_appeal": ..., "appeal": ...}`. For
everyone else hidden content stays a 404."""

from rest_framework.response import Response

from moderation.hidden import hidden_status

from .. import comments_selectors, selectors
from ..comment_serializers import CommentSerializer
from ..representation import notes_json


def hidden_note_response(request, note_id: int) -> Response | None:
    """`request.user`'s own hidden note with its `moderation` object, or None."""
    note = selectors.note_get_hidden_own(viewer=request.user, note_id=note_id)
    if note is None:
        return None
    data = notes_json([note], request=request)[0]
    data["moderation"] = hidden_status(note).as_json()
    return Response(data)


def hidden_comment_response(request, comment_id: int) -> Response | None:
    """`request.user`'s own hidden comment with its `moderation` object, or None."""
    comment = comments_selectors.comment_get_hidden_own(viewer=request.user, comment_id=comment_id)
    if comment is None:
        return None
    data = dict(CommentSerializer(comment, context={"request": request}).data)
    data["moderation"] = hidden_status(comment).as_json()
    return Response(data)
