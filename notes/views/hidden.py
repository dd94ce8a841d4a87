"""What the author of hidden content sees of it: their note, marked "hidden by moderators" with
the reason and an appeal form (or the appeal's status), and their hidden comments above the
thread. Everyone else gets a 404 or nothing, as before."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moderation.hidden import hidden_status, hidden_statuses
from moderation.models import APPEAL_TEXT_MAX_LENGTH

from .. import comments_selectors, selectors
from ..models import Comment, Note


def hidden_note_page(request: HttpRequest, note_id: int) -> HttpResponse | None:
    """The page of `request.user`'s own hidden note, or None when it is not theirs or not
    hidden (the caller answers 404 then)."""
    note = selectors.note_get_hidden_own(viewer=request.user, note_id=note_id)
    if note is None:
        return None
    context = {
        "note": note,
        "images": list(note.images.all()),
        "hidden": hidden_status(note),
        "appeal_text_max_length": APPEAL_TEXT_MAX_LENGTH,
    }
    return render(request, "notes/hidden.html", context)


def hidden_comments_context(request: HttpRequest, note: Note) -> list[dict]:
    """The reader's own hidden comments on `note`, each with its `HiddenStatus`: two queries
    when there are any (the note's row says so: `viewer_comments_hidden`), else none."""
    if not getattr(note, "viewer_comments_hidden", False):
        return []
    comments = comments_selectors.comments_hidden_own(viewer=request.user, note=note)
    if not comments:
        return []
    statuses = hidden_statuses(Comment, comments)
    return [{"comment": comment, "hidden": statuses[comment.pk]} for comment in comments]
