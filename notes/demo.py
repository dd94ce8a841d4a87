"""The demo sections of notes: notes with their photos, likes and boards (see rednote/demo.py).

Each note's photos are the committed files `photos/<key>-<number>.jpg` next to the seed file,
phone JPEGs carrying EXIF, GPS and an orientation (demo/photo_stamp.py). They are posted
through the same services as a person's upload — `media_upload`, then `note_create` — so the
image pipeline turns them and strips their metadata like any other: in-process on the quick
start, by the `images` worker on the full stack. Notes are matched by author, title and body,
likes and board entries by their pairs, comments by note, author and text, so loading twice adds
nothing. Comments are posted through `comment_create` in the seed's order, as two-level threads:
a row's `parent` is its top-level comment and `reply_to` the person it answers — the author of
the latest earlier reply of that person in the thread when there is one (a reply to a reply),
else the top-level comment, with `reply_to` then set as the seed says. The seed's
`translation` fields belong to the translations app. The seed's `hashtag_groups` (lists of tag
names: `["美食", "food"]`) are linked as moderators link them (`hashtags_link`), after the notes,
so the quick start's tag pages show each topic across languages; a tag no note uses yet is made.
`demo/reading.json` adds a reader from Taiwan and comments in Traditional Chinese, which the
seed lacks, for the reading aids' script conversion.
"""

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import demo_user, users_load
from accounts.models import User
from rednote.demo import DemoContext, SectionResult, register
from translations.demo import community_translations_load

from .models import Board, BoardNote, Comment, Hashtag, Note, NoteImage, NoteLike
from .parsing import hashtag_normalize
from .services import (
    board_create,
    comment_create,
    hashtags_link,
    media_upload,
    note_collect,
    note_create,
    note_like,
    note_tag_links_follow,
)

# The dataset is roughly chronological: its notes are spread over the last five weeks, the
# newest two hours old.
NOTES_SPAN = timedelta(days=35)
NEWEST_NOTE_AGE = timedelta(hours=2)
# The reading aids' extra demo beside the seed file: Traditional Chinese comments (the seed
# has none).
READING_DEMO_FILE = "reading.json"


def demo_photo_path(directory: Path, key: str, number: int) -> Path:
    """The file of the number-th photo (from 1) of the note `key`, in the seed's directory."""
    return directory / "photos" / f"{key}-{number}.jpg"


def notes_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    rows = context.data.get("notes", [])
    wanted = rows if context.notes_limit is None else rows[: context.notes_limit]
    now = timezone.now().replace(microsecond=0)
    notes, published = context.loaded["notes"], context.loaded["notes_published"]
    for index, row in enumerate(wanted):
        result.total += 1
        author = demo_user(context, row["author"])
        note = Note.objects.filter(author=author, title=row["title"], body=row["body"]).first()
        if note is None:
            published[row["key"]] = _published_at(now, index, len(rows), row)
            note = _note_create(context, row, author, published[row["key"]])
            result.created += 1
        notes[row["key"]] = note
    if result.created and not settings.CELERY_TASK_ALWAYS_EAGER:
        context.messages.append(
            "The photos are queued for the images worker: notes appear once processed."
        )
    return result


def _note_create(context: DemoContext, row: dict, author: User, published_at: datetime) -> Note:
    media_ids = []
    for number, image in enumerate(row["images"], 1):
        path = demo_photo_path(context.directory, row["key"], number)
        try:
            photo = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                {"photo": [f"Cannot read photo {number} of note {row['key']!r}: {exc}"]}
            ) from exc
        upload = ContentFile(photo, name=path.name)
        media_ids.append(media_upload(owner=author, file=upload, alt_text=image["scene"]).pk)
    note = note_create(
        author=author,
        media_ids=media_ids,
        title=row["title"],
        body=row["body"],
        visibility=row["visibility"],
        location=row.get("location", ""),
        language=row.get("language", ""),
    )
    # Backdate the fixture: posted a few minutes before it was published. The publication
    # time set here is kept when the pipeline publishes the note.
    posted_at = published_at - timedelta(minutes=3)
    Note.objects.filter(pk=note.pk).update(created_at=posted_at, published_at=published_at)
    note_tag_links_follow(note_id=note.pk)  # tag pages sort by the links' copy of the time
    NoteImage.objects.filter(note=note).update(created_at=posted_at)
    return note


def _published_at(now: datetime, index: int, count: int, row: dict) -> datetime:
    """When the index-th of `count` notes was published: evenly spread in dataset order,
    shifted by up to ±1 hour (a stable amount per note) so the times look lived-in."""
    step = NOTES_SPAN / max(1, count - 1)
    digest = hashlib.sha256(row["key"].encode()).digest()
    jitter = timedelta(minutes=int.from_bytes(digest[:2], "big") % 121 - 60)
    published_at = now - NEWEST_NOTE_AGE - step * (count - 1 - index) + jitter
    return published_at.replace(microsecond=0)


def likes_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    for handle, key in context.data.get("likes", []):
        note = _demo_note(context, key)
        if note is None:
            continue
        result.total += 1
        user = demo_user(context, handle)
        if note_like(user=user, note=note):
            result.created += 1
            if key in context.loaded["notes_published"]:
                NoteLike.objects.filter(user=user, note=note).update(
                    created_at=_reaction_at(context, key, handle)
                )
    return result


def boards_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    for row in context.data.get("boards", []):
        notes = {
            key: note for key in row["notes"] if (note := _demo_note(context, key)) is not None
        }
        if not notes:
            continue
        result.total += 1
        owner = demo_user(context, row["owner"])
        board = Board.objects.filter(owner=owner, name__iexact=row["name"]).first()
        if board is None:
            board = board_create(
                owner=owner,
                name=row["name"],
                description=row.get("description", ""),
                is_private=row.get("private", False),
            )
            result.created += 1
        for key, note in notes.items():
            entry = note_collect(user=owner, note=note, board=board)
            if key in context.loaded["notes_published"]:
                BoardNote.objects.filter(pk=entry.pk).update(
                    created_at=_reaction_at(context, key, row["owner"])
                )
    return result


def comments_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    # Shared with later sections by seed key (translations loads the comments' translations).
    comments: dict[str, Comment] = context.loaded["comments"]
    per_note: dict[str, int] = {}
    for row in context.data.get("comments", []):
        note = _demo_note(context, row["note"])
        if note is None:
            continue
        result.total += 1
        author = demo_user(context, row["author"])
        comment = Comment.objects.filter(note=note, author=author, body=row["body"]).first()
        if comment is None:
            comment = _comment_create(context, row, note, author, comments)
            result.created += 1
            position = per_note[row["note"]] = per_note.get(row["note"], 0) + 1
            if row["note"] in context.loaded["notes_published"]:
                created_at = _comment_at(context, row["note"], position)
                Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        comments[row["key"]] = comment
    return result


def _comment_create(
    context: DemoContext, row: dict, note: Note, author: User, comments: dict[str, Comment]
) -> Comment:
    parent = None
    if row.get("parent"):
        if row["parent"] not in comments:
            raise ValidationError({"parent": [f"Unknown demo comment {row['parent']!r}."]})
        top = comments[row["parent"]]
        parent = top
        answered = row.get("reply_to")
        if answered and answered.lower() != top.author.handle.lower():
            earlier = (
                Comment.objects.filter(parent=top, author__handle__iexact=answered)
                .order_by("-id")
                .first()
            )
            parent = earlier or top
    comment = comment_create(
        author=author,
        note=note,
        body=row["body"],
        parent=parent,
        language=row.get("language", ""),
        # Posted with their notes, whose photos are processed after the seed commits.
        before_publication=True,
    )
    answered = row.get("reply_to")
    replied = comment.reply_to.handle if comment.reply_to is not None else ""
    if parent is not None and answered and replied.lower() != answered.lower():
        # The person answered has not written in this thread yet (the note's author, say):
        # the data set says whom the reply is for.
        comment.reply_to = demo_user(context, answered)
        Comment.objects.filter(pk=comment.pk).update(reply_to=comment.reply_to)
    return comment


def _comment_at(context: DemoContext, key: str, position: int) -> datetime:
    """The position-th comment (from 1) on note `key`: a stable while after the note was
    published, each later than the one before, never in the future."""
    published_at = context.loaded["notes_published"][key]
    digest = hashlib.sha256(f"{key}|comment".encode()).digest()
    step = timedelta(minutes=7 + int.from_bytes(digest[:2], "big") % 53)
    return min(published_at + step * position, timezone.now())


def _reaction_at(context: DemoContext, key: str, handle: str) -> datetime:
    """A like or a collect some time (stable per pair) after the note was published, within
    a day and a half and never in the future."""
    published_at = context.loaded["notes_published"][key]
    digest = hashlib.sha256(f"{key}|{handle}".encode()).digest()
    delay = timedelta(minutes=5 + int.from_bytes(digest[:3], "big") % (36 * 60))
    return min(published_at + delay, timezone.now())


def hashtag_groups_load(context: DemoContext) -> SectionResult:
    """Each row of `hashtag_groups` linked as one group; a row whose tags are linked together
    already is left as it is (not new)."""
    result = SectionResult()
    for names in context.data.get("hashtag_groups", []):
        result.total += 1
        tags = [_demo_hashtag(name) for name in names]
        group_ids = {tag.group_id for tag in tags}
        if len(group_ids) == 1 and None not in group_ids:
            continue
        hashtags_link(hashtags=tags, name=" · ".join(tag.display_name for tag in tags))
        result.created += 1
    return result


def _demo_hashtag(name: str) -> Hashtag:
    key = hashtag_normalize(name.lstrip("#＃"))
    if not key:
        raise ValidationError({"hashtag_groups": [f"Not a tag: {name!r}."]})
    tag, _created = Hashtag.objects.get_or_create(
        name=key, defaults={"display_name": name.lstrip("#＃")}
    )
    return tag


def _demo_note(context: DemoContext, key: str) -> Note | None:
    """The loaded note with this seed key; None for a note left out by `notes_limit`."""
    if key in context.loaded["notes"]:
        return context.loaded["notes"][key]
    if any(row["key"] == key for row in context.data.get("notes", [])):
        return None
    raise ValidationError({"note": [f"Unknown demo note {key!r}."]})


def reading_demo_load(context: DemoContext) -> SectionResult:
    """The reading aids' extra data set (`reading.json` beside the seed file, which it
    leaves as it is): a reader from Taiwan (loaded as the seed's users are) and her comments
    in Traditional Chinese on the seed's notes, each with its human translation (loaded as
    the seed's are, by `translations`), after the seed's comments on the same note. Comments
    on notes left out by `notes_limit` are skipped (and with all of them, the reader too);
    loading twice adds nothing."""
    result = SectionResult()
    path = context.directory / READING_DEMO_FILE
    if not path.exists():  # a seed file elsewhere, without one beside it
        return result
    extra = DemoContext.from_file(path)
    extra.loaded = context.loaded  # the same users, notes and comments, by key
    extra.data["comments"] = [
        row for row in extra.data.get("comments", []) if _demo_note(context, row["note"])
    ]
    if not extra.data["comments"]:  # every note they are on left out: nobody to add either
        return result
    users_load(extra)
    comments: dict[str, Comment] = context.loaded["comments"]
    per_note = Counter(row["note"] for row in context.data.get("comments", []))
    for row in extra.data["comments"]:
        note = context.loaded["notes"][row["note"]]
        result.total += 1
        author = demo_user(context, row["author"])
        comment = Comment.objects.filter(note=note, author=author, body=row["body"]).first()
        if comment is None:
            comment = _comment_create(context, row, note, author, comments)
            result.created += 1
            per_note[row["note"]] += 1
            if row["note"] in context.loaded["notes_published"]:
                created_at = _comment_at(context, row["note"], per_note[row["note"]])
                Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        comments[row["key"]] = comment
    community_translations_load(extra)
    return result


register("notes", order=30, load=notes_load)
register("likes", order=40, load=likes_load)
register("boards", order=50, load=boards_load)
register("comments", order=55, load=comments_load)
register("hashtag_groups", order=58, load=hashtag_groups_load)
register("reading_demo", order=59, load=reading_demo_load)
