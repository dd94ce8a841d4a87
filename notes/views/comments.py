"""The note page's comments, with htmx: the thread and its pages, posting a comment or a
reply, the reply form, expanding replies, liking and deleting a comment — each answering with
the fragment to swap in (and the note's counters out of band), without a page reload.

The same selectors and services as the API (`notes.comments_selectors`,
`notes.services.comments`). Without htmx (no script) each action redirects back to the note.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from rednote.cursors import InvalidCursor
from rednote.ratelimits import rate_limited
from rednote.web import invalid_cursor_response, login_redirect, safe_next, service_refusal

from .. import bilingual, comments_selectors, reading, selectors, services
from ..limits import COMMENTS_THROTTLE_SCOPE, REACTIONS_THROTTLE_SCOPE
from ..models import Comment, Note


def comments_thread_context(
    request: HttpRequest, note: Note, cursor: str | None = None, *, with_note: bool = False
) -> dict:
    """What `notes/_comments.html` shows: a page of the thread as the reader sees it, the
    mentions of every comment on it loaded in one query, and each comment's translation block
    (`notes.bilingual`; with `with_note`, the note's too, in the same lookup) and reading aids
    (`notes.reading`, likewise). `note` is fresh from the database: a note whose counter says
    it has no comments anyone may see costs a visitor no query for its thread (a signed-in
    reader may have comments of their own held for review there, which the counter leaves
    out)."""
    if not note.comment_count and cursor is None and not request.user.is_authenticated:
        thread = comments_selectors.ThreadPage([], None)
        shown: list[Comment] = []
    else:
        thread = comments_selectors.note_thread(viewer=request.user, note=note, cursor=cursor)
        shown = [c for top in thread.comments for c in (top, *top.previews)]
        prefetch_related_objects(shown, "mentions")
    reader = bilingual.reader_get(request)
    thread_auto = bilingual.page_bilingual_attach(
        reader,
        note=note if with_note else None,
        comments=shown,
        thread_note=note,
        batched=with_note,
    )
    reading.page_reading_attach(reader, note=note if with_note else None, comments=shown)
    return {"note": note, "thread": thread, "reader": reader, "thread_auto": thread_auto}


def _note_for_comments(request: HttpRequest, note_id: int) -> Note:
    return selectors.note_row_get_visible(viewer=request.user, note_id=note_id)


@require_http_methods(["GET", "POST"])
def note_comments(request: HttpRequest, note_id: int) -> HttpResponse:
    """`/notes/<id>/comments/`: GET the next top-level comments (`?cursor=`), POST a comment."""
    if request.method == "POST":
        return comment_create(request, note_id)
    return comments_page(request, note_id)


def comments_page(request: HttpRequest, note_id: int) -> HttpResponse:
    """The next top-level comments ("more comments")."""
    note = _note_for_comments(request, note_id)
    try:
        context = comments_thread_context(request, note, request.GET.get("cursor") or None)
    except InvalidCursor:
        return invalid_cursor_response()
    return render(request, "notes/_comments_page.html", context)


def _counters(request: HttpRequest, note_id: int) -> dict:
    """The note again (its fresh comment count) for the counters sent out of band."""
    return {"note": _note_for_comments(request, note_id), "oob": True}


def _comment_shown(request: HttpRequest, comment_id: int) -> Comment:
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    prefetch_related_objects([comment], "mentions", "parent")
    reader = bilingual.reader_get(request)
    bilingual.page_bilingual_attach(reader, note=None, comments=[comment], thread_note=comment.note)
    reading.page_reading_attach(reader, note=None, comments=[comment])
    return comment


@rate_limited(COMMENTS_THROTTLE_SCOPE)
def comment_create(request: HttpRequest, note_id: int) -> HttpResponse:
    """Post a comment (or, with `parent_id`, a reply). For htmx: the form again, empty (or the
    reply form gone), with the new comment and the note's counters swapped in out of band; a
    refusal is the form again with its errors (200, so htmx swaps it). Past the comment rate
    (shared with the API), a 429 whose message is a toast: what was typed stays."""
    note_url = reverse("notes:detail", kwargs={"note_id": note_id})
    if not request.user.is_authenticated:
        _note_for_comments(request, note_id)  # 404 first for a note the visitor may not see
        return login_redirect(request, safe_next(request, note_url))
    note = _note_for_comments(request, note_id)
    back = safe_next(request, note_url)
    body = request.POST.get("body", "")
    parent_id = request.POST.get("parent_id") or ""
    form = {"body": body, "parent_id": parent_id, "errors": []}
    parent: Comment | None = None
    try:
        if parent_id:
            parent = _parent(request, parent_id)
        comment = services.comment_create(author=request.user, note=note, body=body, parent=parent)
    except ValidationError as exc:
        if not request.htmx:
            return service_refusal(request, exc, back)
        form["errors"] = exc.messages
        context = {"note": note, "form": form, "parent": parent}
        template = "notes/_reply_form.html" if parent_id else "notes/_comment_form.html"
        return render(request, template, context)
    if not request.htmx:
        return redirect(f"{back}#comment-{comment.pk}")
    comment = _comment_shown(request, comment.pk)
    context = {
        **_counters(request, note_id),
        "comment": comment,
        "top": comment.parent,
        "parent": parent,
        "form": {"body": "", "parent_id": "", "errors": []},
    }
    return render(request, "notes/_comment_posted.html", context)


def _parent(request: HttpRequest, parent_id: str) -> Comment:
    if not parent_id.isdigit():
        raise ValidationError({"parent_id": [_("This comment cannot be replied to.")]})
    try:
        return comments_selectors.comment_get_visible(
            viewer=request.user, comment_id=int(parent_id)
        )
    except Http404:
        raise ValidationError({"parent_id": [_("This comment cannot be replied to.")]}) from None


@require_GET
def comment_reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The reply form under a comment ("Reply @name")."""
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    if not request.user.is_authenticated:
        return login_redirect(request, comment.get_absolute_url())
    context = {
        "note": comment.note,
        "parent": comment,
        "form": {"body": "", "parent_id": comment.pk, "errors": []},
    }
    return render(request, "notes/_reply_form.html", context)


@require_GET
def comment_replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The next replies under a top-level comment ("expand N replies")."""
    top = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    try:
        page = comments_selectors.comment_replies(
            viewer=request.user, comment=top, cursor=request.GET.get("cursor") or None
        )
    except InvalidCursor:
        return invalid_cursor_response()
    prefetch_related_objects(page.replies, "mentions")
    reader = bilingual.reader_get(request)
    bilingual.page_bilingual_attach(reader, note=None, comments=page.replies, thread_note=top.note)
    reading.page_reading_attach(reader, note=None, comments=page.replies)
    context = {"note": top.note, "top": top, "page": page}
    return render(request, "notes/_replies_page.html", context)


def _comment_action(request: HttpRequest, comment_id: int, action) -> HttpResponse:
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    if not request.user.is_authenticated:
        return login_redirect(request, safe_next(request, comment.get_absolute_url()))
    back = safe_next(request, comment.note.get_absolute_url())
    try:
        action(comment)
    except ValidationError as exc:
        return service_refusal(request, exc, back)
    if not request.htmx:
        return redirect(back)
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    return render(request, "notes/_comment_like.html", {"comment": comment})


@require_POST
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def comment_like(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Like a comment (twice is once); answers with its like control."""
    return _comment_action(
        request, comment_id, lambda c: services.comment_like(user=request.user, comment=c)
    )


@require_POST
@rate_limited(REACTIONS_THROTTLE_SCOPE)
def comment_unlike(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _comment_action(
        request, comment_id, lambda c: services.comment_unlike(user=request.user, comment=c)
    )


@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete a comment (your own, or any on your note; a 403 otherwise). For htmx: nothing in
    its place, and the note's counters out of band."""
    comment = comments_selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    if not request.user.is_authenticated:
        return login_redirect(request, safe_next(request, comment.get_absolute_url()))
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except PermissionDenied:
        if request.htmx:
            text = _("You cannot delete this comment.")
            response = HttpResponse(text, status=403, content_type="text/plain; charset=utf-8")
            return trigger_client_event(
                response, "rednote:message", {"level": "error", "text": text}
            )
        raise
    if not request.htmx:
        return redirect(safe_next(request, comment.note.get_absolute_url()))
    return render(request, "notes/_comment_counters.html", _counters(request, comment.note_id))
