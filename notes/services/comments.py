"""Comments on notes, in two levels, and their likes.

The rules, in one place for the page, the API and the demo seed:
- the commenter must be able to see the note (`note_visible_q`, the notes' one rule), which
  also keeps out anyone in a block with the note's author;
- a reply goes under a comment the replier may see (`comment_shown_q`); a reply to a reply is
  filed under its top-level comment and records the person answered in `reply_to`; no reply
  to someone in a block with the replier, either way;
- the text is stripped (CRLF made LF), may not be empty, longer than COMMENT_MAX_LENGTH, hold
  control characters or mention more than MAX_MENTIONS_PER_COMMENT people.
Problems are raised as one `ValidationError` keyed by field (`body`, `parent_id`, `note`,
`language`), and nothing is stored.

Counters move with F() updates in the writing transaction. They count what everyone may see:
`Comment.reply_count` the replies not hidden by moderators, `Note.comment_count` the comments
not hidden whose top-level comment is not hidden either (replies included), `like_count` the
likes. Events (`notes.events.comment_*`) go out after commit.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from accounts.models import Block, User
from moderation.keywords import KeywordMatch, translation_matches
from moderation.services.holds import hold_create, holds_forget
from rednote.events import send_on_commit
from rednote.tasks import enqueue_on_commit
from translations.detection import stored_languages

from .. import events
from ..limits import COMMENT_LENGTH, length_problems
from ..models import (
    Comment,
    CommentLike,
    Note,
    NoteStatus,
    Visibility,
    comment_shown_q,
    note_published_q,
    note_visible_q,
)
from ..parsing import mentions_parse
from .screening import text_screen, translation_screen_enqueue
from .tagging import _mentionable, control_character_problems

MAX_MENTIONS_PER_COMMENT = 10


def comment_body_clean(body: str) -> str:
    """The comment's text stripped (CRLF made LF) and checked; ValidationError on `body`."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    problems = length_problems(COMMENT_LENGTH, body) or control_character_problems(
        body, line_breaks=True
    )
    if not problems:
        mentions = len(mentions_parse(body))
        if mentions > MAX_MENTIONS_PER_COMMENT:
            problems = [
                _("A comment can mention at most %(max)s people; this one mentions %(n)s.")
                % {"max": MAX_MENTIONS_PER_COMMENT, "n": mentions}
            ]
    if problems:
        raise ValidationError({"body": problems})
    return body


def comment_languages(body: str, *, given: str = "") -> tuple[str, str]:
    """The BCP-47 `language` and `language_main` to store for a comment: the one the author
    gave (checked by the caller; its main language is itself, or for "mixed" the detected
    one), else the ones detected from its text (`translations.detection`: "mixed" and its main
    language for text mixing languages, "" when too short to tell)."""
    return stored_languages(body, given)


def _refused(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _note_open_to(author: User, note: Note, *, before_publication: bool) -> bool:
    """Whether `author` may comment on `note`: it is published and visible to them
    (`note_visible_q`, the notes' one rule). `before_publication` judges the note as it will be
    once published (its photos still processing), by the same rule."""
    notes = Note.objects.filter(pk=note.pk)
    if not before_publication:
        return notes.filter(note_visible_q(author) & note_published_q()).exists()
    notes = notes.annotate(
        as_published_status=Value(NoteStatus.PUBLISHED, output_field=CharField()),
        as_published_visibility=F("visibility"),
        as_published_is_hidden=F("is_hidden"),
    )
    state = "as_published_"
    return notes.filter(
        note_visible_q(author, state=state) & note_published_q(state=state)
    ).exists()


@transaction.atomic
def comment_create(
    *,
    author: User,
    note: Note,
    body: str,
    parent: Comment | None = None,
    language: str = "",
    before_publication: bool = False,
) -> Comment:
    """Post a comment on `note`, or a reply under `parent` (any comment of the note: a reply
    to a reply is filed under its top-level comment). Returns the comment.

    `language` (a code of CONTENT_LANGUAGES or "mixed") is what the author says; by default it
    is detected. Locks the top-level comment's row while counting a reply.
    `before_publication` is for the demo seed, which posts comments in the transaction that
    posts their notes, before the photos are processed: the note is judged as it will be once
    published (visibility, blocks, hidden), never on its current processing state."""
    errors: dict[str, list[str]] = {}
    try:
        body = comment_body_clean(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if language and language not in settings.CONTENT_LANGUAGES and language != "mixed":
        errors["language"] = [_("Unknown language.")]
    if not _note_open_to(author, note, before_publication=before_publication):
        raise _refused("note", _("This note cannot be commented on."))
    top: Comment | None = None
    reply_to_id: int | None = None
    if parent is not None:
        answered = (
            Comment.objects.filter(pk=parent.pk, note_id=note.pk)
            .filter(comment_shown_q(author))
            .values("parent_id", "author_id")
            .first()
        )
        if answered is None:
            errors["parent_id"] = [_("This comment cannot be replied to.")]
        else:
            top_id = answered["parent_id"] or parent.pk
            top = (
                Comment.objects.select_for_update(of=("self",))
                .filter(pk=top_id)
                .filter(comment_shown_q(author))
                .first()
            )
            reply_to_id = answered["author_id"]
            if top is None or Block.objects.between(author.pk, reply_to_id).exists():
                errors["parent_id"] = [_("This comment cannot be replied to.")]
    if errors:
        raise ValidationError(errors)

    language, language_main = comment_languages(body, given=language)
    # Keyword rules: a refusing one raises here (nothing stored); a holding one stores the
    # comment held — shown to its author only, uncounted and unannounced until approved.
    screen = text_screen(texts={"body": body}, language=language)
    comment = Comment.objects.create(
        note_id=note.pk,
        author=author,
        parent=top,
        reply_to_id=reply_to_id,
        body=body,
        language=language,
        language_main=language_main,
        is_held=screen.holds,
    )
    mentioned = [u.pk for u in _mentionable(author, mentions_parse(body)) if u.pk != author.pk]
    if mentioned:
        comment.mentions.set(mentioned)
    if screen.holds and screen.match is not None:
        hold_create(target=comment, author=author, match=screen.match)
        return comment
    if top is None or not top.is_held:
        Note.objects.filter(pk=note.pk).update(comment_count=F("comment_count") + 1)
    if top is not None:
        Comment.objects.filter(pk=top.pk).update(reply_count=F("reply_count") + 1)
    _search_refresh(note.pk)
    comment_created_send(comment, note_author_id=note.author_id, mentioned_user_ids=mentioned)
    translation_screen_enqueue(kind="comment", target_id=comment.pk, language=language)
    return comment


def comment_can_delete(*, actor, comment: Comment, note_author_id: int) -> bool:
    """Whether `actor` may delete `comment`: their own, or any comment on their note."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.pk in (comment.author_id, note_author_id)


def _counted_replies(top_id: int) -> int:
    return Comment.objects.filter(parent_id=top_id, is_hidden=False, is_held=False).count()


def _note_count_add(note_id: int, delta: int) -> None:
    if delta:
        Note.objects.filter(pk=note_id).update(
            comment_count=Greatest(F("comment_count") + delta, 0)
        )


def _reply_count_add(top_id: int, delta: int) -> None:
    Comment.objects.filter(pk=top_id).update(reply_count=Greatest(F("reply_count") + delta, 0))


def _locked(comment: Comment) -> Comment | None:
    """The comment's stored row, locked (its top-level comment first, so a reply posted or
    deleted at the same time waits); None when it is gone."""
    if comment.parent_id is not None:
        Comment.objects.select_for_update(of=("self",)).filter(pk=comment.parent_id).first()
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("parent")
        .filter(pk=comment.pk)
        .first()
    )


def _counted_weight(current: Comment) -> int:
    """How many of `Note.comment_count` the comment stands for: itself and its counted replies
    for a top-level comment, itself for a reply; nothing when hidden or held for review, or
    under a comment that is."""
    if current.is_hidden or current.is_held:
        return 0
    if current.parent_id is None:
        return 1 + _counted_replies(current.pk)
    parent = current.parent
    return 1 if parent is not None and not (parent.is_hidden or parent.is_held) else 0


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    """Delete a comment: the actor's own, or any comment on a note of theirs (PermissionDenied
    otherwise). A top-level comment takes its replies with it."""
    note_author_id = Note.objects.filter(pk=comment.note_id).values_list("author_id", flat=True)
    if not comment_can_delete(actor=actor, comment=comment, note_author_id=note_author_id[0]):
        raise PermissionDenied(_("You cannot delete this comment."))
    _comment_remove(comment)


def _comment_remove(comment: Comment) -> None:
    current = _locked(comment)
    if current is None:  # deleted at the same time
        return
    weight, comment_id = _counted_weight(current), current.pk
    # Nothing left to review of it, or of its replies (they go with it).
    holds_forget(model=Comment, ids=[comment_id])
    holds_forget(model=Comment, ids=Comment.objects.filter(parent_id=comment_id).values("pk"))
    current.delete()
    _note_count_add(current.note_id, -weight)
    if current.parent_id is not None and not (current.is_hidden or current.is_held):
        _reply_count_add(current.parent_id, -1)
    _search_refresh(current.note_id)
    send_on_commit(
        events.comment_deleted,
        sender=Comment,
        comment_id=comment_id,
        note_id=current.note_id,
        author_id=current.author_id,
    )


def comment_moderation_delete(*, target: Comment) -> None:
    """Moderation: delete any comment (with its replies if it is a top-level one)."""
    with transaction.atomic():
        _comment_remove(target)


def _hidden_set(target: Comment, hidden: bool) -> Comment:
    with transaction.atomic():
        current = _locked(target)
        if current is None or current.is_hidden == hidden:
            return target
        before = _counted_weight(current)
        Comment.objects.filter(pk=current.pk).update(is_hidden=hidden)
        current.is_hidden = target.is_hidden = hidden
        after = _counted_weight(current)
        _note_count_add(current.note_id, after - before)
        if current.parent_id is not None and not current.is_held:
            _reply_count_add(current.parent_id, -1 if hidden else 1)
        _search_refresh(current.note_id)
        if hidden:
            # Gone for every reader, as a deletion is: notifications about it are withdrawn.
            send_on_commit(
                events.comment_deleted,
                sender=Comment,
                comment_id=current.pk,
                note_id=current.note_id,
                author_id=current.author_id,
            )
    return target


def comment_hide(*, target: Comment) -> Comment:
    """Moderation: take a comment (and so its replies) out of the thread for everyone."""
    return _hidden_set(target, True)


def comment_unhide(*, target: Comment) -> Comment:
    """Moderation: put a hidden comment back."""
    return _hidden_set(target, False)


@transaction.atomic
def comment_like(*, user: User, comment: Comment) -> bool:
    """Like a comment; liking twice is one like. Returns whether a like was added. The caller
    has checked that `user` may see it (`comment_get_visible`)."""
    if CommentLike.objects.filter(user=user, comment=comment).exists():
        return False
    try:
        with transaction.atomic():
            CommentLike.objects.create(user=user, comment=comment)
    except IntegrityError:  # a concurrent like of the same person counted it
        return False
    Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    send_on_commit(
        events.comment_liked,
        sender=Comment,
        comment_id=comment.pk,
        note_id=comment.note_id,
        user_id=user.pk,
        author_id=comment.author_id,
    )
    return True


@transaction.atomic
def comment_unlike(*, user: User, comment: Comment) -> bool:
    """Take back a like of a comment; returns whether there was one."""
    deleted, _rows = CommentLike.objects.filter(user=user, comment=comment).delete()
    if deleted:
        Comment.objects.filter(Q(pk=comment.pk), Q(like_count__gt=0)).update(
            like_count=F("like_count") - 1
        )
        send_on_commit(
            events.comment_unliked,
            sender=Comment,
            comment_id=comment.pk,
            note_id=comment.note_id,
            user_id=user.pk,
            author_id=comment.author_id,
        )
    return bool(deleted)


# Enqueued by name: the task module imports services, never the other way round.
SEARCH_DOCUMENT_TASK = "notes.search_document_refresh"


def _search_refresh(note_id: int) -> None:
    """The note's search document holds its comments' words (`notes.search`): rebuilt after
    commit by a task (segmenting up to 200 comments is no work for the request)."""
    enqueue_on_commit(SEARCH_DOCUMENT_TASK, note_id=note_id)


# --- Held by keyword rules ------------------------------------------------------------------------


def comment_created_send(
    comment: Comment, *, note_author_id: int, mentioned_user_ids: list[int] | None = None
) -> None:
    """`comment_created` for `comment` (on posting, or on approval when it was held — never
    while it is held): the note's author, the person answered and the people it mentions
    (`mentioned_user_ids` when the caller has them, else those recorded) hear of it."""
    if mentioned_user_ids is None:
        mentioned_user_ids = sorted(comment.mentions.values_list("pk", flat=True))
    send_on_commit(
        events.comment_created,
        sender=Comment,
        comment_id=comment.pk,
        note_id=comment.note_id,
        note_author_id=note_author_id,
        author_id=comment.author_id,
        parent_id=comment.parent_id,
        reply_to_user_id=comment.reply_to_id,
        mentioned_user_ids=list(mentioned_user_ids),
    )


def _comment_held_set(target: Comment, held: bool) -> Comment | None:
    """Set a comment's held flag, its counters following (as a hide does); the locked row
    before the change, or None when there was nothing to change."""
    current = _locked(target)
    if current is None or current.is_held == held:
        return None
    before = _counted_weight(current)
    Comment.objects.filter(pk=current.pk).update(is_held=held)
    current.is_held = target.is_held = held
    _note_count_add(current.note_id, _counted_weight(current) - before)
    if current.parent_id is not None and not current.is_hidden:
        _reply_count_add(current.parent_id, -1 if held else 1)
    _search_refresh(current.note_id)
    return current


@transaction.atomic
def comment_hold(*, comment: Comment, match: KeywordMatch) -> Comment:
    """Hold a posted comment (its translation matched a rule): out of the thread for everyone
    but its author, uncounted, its notifications withdrawn."""
    current = _comment_held_set(comment, True)
    if current is None:
        return comment
    hold_create(target=current, author=current.author, match=match)
    if not current.is_hidden:
        send_on_commit(
            events.comment_deleted,
            sender=Comment,
            comment_id=current.pk,
            note_id=current.note_id,
            author_id=current.author_id,
        )
    return comment


@transaction.atomic
def comment_release(*, target: Comment) -> Comment:
    """Approval (the hold already decided): the comment is counted and shown in its thread,
    and announced as a new comment (unless moderators hid it meanwhile)."""
    current = _comment_held_set(target, False)
    if current is None or current.is_hidden:
        return target
    note_author_id = Note.objects.filter(pk=current.note_id).values_list("author_id", flat=True)
    comment_created_send(current, note_author_id=note_author_id[0])
    return target


def comment_translation_screen(*, comment: Comment) -> bool:
    """The after-commit screening of a comment's translation (`notes.keyword_screen`): holds
    it when a rule matches. Returns whether the translation is still being made."""
    if comment.is_hidden or comment.is_held:
        return False
    visibility = Note.objects.filter(pk=comment.note_id).values_list("visibility", flat=True)
    screen = translation_matches(
        {"body": comment.body},
        language=comment.language,
        private=(visibility.first() or Visibility.PRIVATE) != Visibility.PUBLIC,
    )
    if screen.match is not None:
        comment_hold(comment=comment, match=screen.match)
    return screen.pending
