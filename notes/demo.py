"""Demo notes for the quick start: the notes, likes and boards sections of demo/seed.json.

`NotesDemoLoader` extends the accounts loader (users, follows) with one method per section.
Every photo is painted from its description (`notes.demo_pictures`) and posted through the
same services as a person's upload — `media_upload`, then `note_create` — so the image
pipeline processes it like any other: in-process on the quick start, by the `images` worker on
the full stack. Notes are matched by author, title and body, likes and board entries by their
pairs, so loading twice adds nothing. The seed's `translation` fields are not read here: they
belong to the translations loader.
"""

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DemoLoader, SectionResult
from accounts.models import User

from .demo_pictures import picture_jpeg
from .models import Board, BoardNote, Note, NoteImage, NoteLike
from .services import board_create, media_upload, note_collect, note_create, note_like

# The dataset is roughly chronological: its notes are spread over the last five weeks, the
# newest two hours old.
NOTES_SPAN = timedelta(days=35)
NEWEST_NOTE_AGE = timedelta(hours=2)
# Painting is CPU work in Pillow, which releases the GIL: paint ahead on every core while the
# loader writes the notes.
PAINTERS = min(4, os.cpu_count() or 1)


@dataclass
class NotesDemoLoader(DemoLoader):
    """The demo loader with notes, likes and boards.

    `notes_limit` loads only the first N notes, with the likes and boards that refer to them
    (None: all). `notes` maps each loaded note's seed key to its Note.
    """

    notes_limit: int | None = None
    notes: dict[str, Note] = field(default_factory=dict)
    published: dict[str, datetime] = field(default_factory=dict)

    SECTIONS = (*DemoLoader.SECTIONS, "notes", "likes", "boards")

    def load_notes(self) -> SectionResult:
        result = SectionResult()
        rows = self.data.get("notes", [])
        now = timezone.now().replace(microsecond=0)
        wanted = rows if self.notes_limit is None else rows[: self.notes_limit]
        new_rows = []
        for index, row in enumerate(wanted):
            result.total += 1
            author = self._user(row["author"])
            note = Note.objects.filter(author=author, title=row["title"], body=row["body"]).first()
            if note is not None:
                self.notes[row["key"]] = note
            else:
                new_rows.append((row, author, self._published_at(now, index, len(rows), row)))
        for (row, author, published_at), pictures in zip(
            new_rows, _paint_ahead(row for row, _author, _at in new_rows), strict=True
        ):
            self.notes[row["key"]] = self._note_create(row, author, pictures, published_at)
            self.published[row["key"]] = published_at
            result.created += 1
        return result

    def _note_create(
        self, row: dict, author: User, pictures: list[bytes], published_at: datetime
    ) -> Note:
        media_ids = []
        for number, (image, jpeg) in enumerate(zip(row["images"], pictures, strict=True), 1):
            upload = ContentFile(jpeg, name=f"{row['key']}-{number}.jpg")
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
        NoteImage.objects.filter(note=note).update(created_at=posted_at)
        return note

    @staticmethod
    def _published_at(now: datetime, index: int, count: int, row: dict) -> datetime:
        """When the index-th of `count` notes was published: evenly spread in dataset order,
        shifted by up to ±1 hour (a stable amount per note) so the times look lived-in."""
        step = NOTES_SPAN / max(1, count - 1)
        digest = hashlib.sha256(row["key"].encode()).digest()
        jitter = timedelta(minutes=int.from_bytes(digest[:2], "big") % 121 - 60)
        published_at = now - NEWEST_NOTE_AGE - step * (count - 1 - index) + jitter
        return published_at.replace(microsecond=0)

    def load_likes(self) -> SectionResult:
        result = SectionResult()
        for handle, key in self.data.get("likes", []):
            note = self._note(key)
            if note is None:
                continue
            result.total += 1
            user = self._user(handle)
            if note_like(user=user, note=note):
                result.created += 1
                if key in self.published:
                    NoteLike.objects.filter(user=user, note=note).update(
                        created_at=self._reaction_at(key, handle)
                    )
        return result

    def load_boards(self) -> SectionResult:
        result = SectionResult()
        for row in self.data.get("boards", []):
            notes = {key: note for key in row["notes"] if (note := self._note(key)) is not None}
            if not notes:
                continue
            result.total += 1
            owner = self._user(row["owner"])
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
                if key in self.published:
                    BoardNote.objects.filter(pk=entry.pk).update(
                        created_at=self._reaction_at(key, row["owner"])
                    )
        return result

    def _reaction_at(self, key: str, handle: str) -> datetime:
        """A like or a collect some time (stable per pair) after the note was published, within
        a day and a half and never in the future."""
        published_at = self.published[key]
        digest = hashlib.sha256(f"{key}|{handle}".encode()).digest()
        delay = timedelta(minutes=5 + int.from_bytes(digest[:3], "big") % (36 * 60))
        return min(published_at + delay, timezone.now())

    @cached_property
    def _keys(self) -> frozenset[str]:
        return frozenset(row["key"] for row in self.data.get("notes", []))

    def _user(self, handle: str) -> User:
        user = self.users.get(handle) or User.objects.by_handle(handle).first()
        if user is None:
            raise ValidationError({"author": [f"Unknown demo user @{handle}."]})
        self.users[handle] = user
        return user

    def _note(self, key: str) -> Note | None:
        """The loaded note with this seed key; None for a note left out by `notes_limit`."""
        if key in self.notes:
            return self.notes[key]
        if key in self._keys:
            return None
        raise ValidationError({"note": [f"Unknown demo note {key!r}."]})


def _paint_ahead(rows: Iterator[dict]) -> Iterator[list[bytes]]:
    """The pictures of each row's images, in order, painted on a pool of threads."""
    pool = ThreadPoolExecutor(max_workers=PAINTERS, thread_name_prefix="demo-painter")
    try:
        pending = [
            [
                pool.submit(
                    picture_jpeg,
                    scene=image["scene"],
                    palette=image["palette"],
                    aspect=image["aspect"],
                    key=f"{row['key']}-{number}",
                )
                for number, image in enumerate(row["images"], 1)
            ]
            for row in rows
        ]
        for futures in pending:
            yield [future.result() for future in futures]
    finally:
        # Stopped early (an error while loading): drop the pictures not yet begun.
        pool.shutdown(wait=True, cancel_futures=True)
