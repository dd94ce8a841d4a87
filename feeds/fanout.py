"""Fan-out on write: the services that keep home timelines (`feeds.store`) in step with notes
and the social graph. Tasks (`feeds.tasks`) call them; receivers (`feeds.receivers`) only
enqueue those tasks.

Every service here computes the *current* state from the database and writes it, whatever the
event that triggered it said: so a task that runs twice, runs late, or runs after a later
change (a note narrowed, then widened again) still leaves each timeline right, and each note in
it at most once (ZADD of a member already there changes nothing).

- A note (`note_fan_out`, on `note_published` and `note_withdrawn`): its readers are the
  author's followers and, for a public note, the followers of its hashtags and of the tags
  linked with them (a tag's group, `notes.HashtagGroup`: following #美食 follows #food). They are
  taken 1,000 at a time by id, one task per chunk (`note_sync_chunk`, run at once when there is
  one chunk); each chunk adds the note for those who may see it and were active in the last
  `FEED_ACTIVE_DAYS` days, and takes it out for those who may not. Authors with more than
  `FEED_PULL_THRESHOLD` followers are not pushed to their followers: `feeds.home` merges their
  notes in at read time.
- A reader and an author (`reader_author_sync`: following, unfollowing, blocking, muting and
  their undo): the author's notes the reader may see and still receives are (re)added, the
  others taken out. The same for a reader and a hashtag (`reader_tag_sync`).
- A suspended author (`author_withdraw`): their notes leave their followers' timelines; when
  the suspension is lifted (`author_restore`) those timelines are dropped and rebuilt from the
  database on their readers' next reads, which brings the notes back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Value
from django.utils import timezone

from accounts.models import Block, Follow, Mute, User
from notes.models import Note, NoteHashtag, NoteStatus, Visibility
from rednote.cursors import datetime_score
from rednote.tasks import enqueue_on_commit

from .models import HashtagFollow
from .sources import hashtags_with_groups, home_reach
from .store import Entry, FeedStore, get_store

CHUNK_SIZE = 1000


def active_since() -> datetime:
    """Readers seen after this get pushes; the others are rebuilt when they come back."""
    return timezone.now() - timedelta(days=settings.FEED_ACTIVE_DAYS)


def _in_circulation(note: Note | None) -> bool:
    return (
        note is not None
        and note.status == NoteStatus.PUBLISHED
        and not note.is_hidden
        and note.visibility != Visibility.PRIVATE
        and note.published_at is not None
        and note.author.is_active
    )


def _chunks(ids: list[int]) -> list[list[int]]:
    """The sorted `ids` in chunks of at most CHUNK_SIZE."""
    return [ids[start : start + CHUNK_SIZE] for start in range(0, len(ids), CHUNK_SIZE)]


# --- Authors merged at read time ------------------------------------------------------------


def follower_count(author_id: int) -> int:
    return Follow.objects.filter(followee_id=author_id).count()


def pull_authors(store: FeedStore) -> set[int]:
    """Authors with more than FEED_PULL_THRESHOLD followers (kept in the store; computed from
    the database, in one query, when the store lost it)."""
    return pull_authors_known(store, store.pull_authors())


def pull_authors_known(store: FeedStore, known: set[int] | None) -> set[int]:
    """`pull_authors` from what the store answered (`FeedStore.pull_authors`, maybe read in
    one round trip with a timeline): computed and stored again when that was None."""
    if known is None:
        known = set(
            Follow.objects.values("followee")
            .annotate(n=Count("pk"))
            .filter(n__gt=settings.FEED_PULL_THRESHOLD)
            .values_list("followee", flat=True)
        )
        store.pull_authors_replace(known)
    return known


# --- A note ---------------------------------------------------------------------------------


def _note_tag_ids(note: Note | None) -> list[int]:
    """All the note's hashtags and the tags linked with them: their followers may hold it from
    when it was public. One query."""
    if note is None:
        return []
    return _with_groups(NoteHashtag.objects.filter(note=note).values("hashtag_id"))


def _with_groups(hashtag_ids) -> list[int]:
    """The tags `hashtag_ids` (a subquery or a list of ids) and the tags linked with them, by
    id: who follows any of them follows the topic (`sources.hashtags_with_groups`)."""
    return sorted(hashtags_with_groups(hashtag_ids).values_list("pk", flat=True))


def note_fan_out(
    *, note_id: int, author_id: int, active_only: bool, hashtag_ids: list[int] | None = None
) -> int:
    """Bring every timeline the note concerns up to date with it: after `note_published`
    (`active_only`: readers who could get a push) or `note_withdrawn` (everyone who may hold
    it; `hashtag_ids`: the tags of a note deleted since, whose followers may hold it).
    Enqueues one `note_sync_chunk` task per 1,000 readers, or runs the only chunk at once.
    Returns the number of chunks."""
    store = get_store()
    if store is None:
        return 0
    note = Note.objects.filter(pk=note_id).first()
    if note is not None and note.author_id != author_id:
        return 0
    push_followers = not (active_only and follower_count(author_id) > settings.FEED_PULL_THRESHOLD)
    if not push_followers:
        store.pull_author_add(author_id)
    # A publication reaches a hashtag's followers only when the note is public.
    public = note is not None and note.visibility == Visibility.PUBLIC
    tag_ids = _note_tag_ids(note) if public or not active_only else []
    if note is None and not active_only:
        tag_ids = _with_groups(sorted({int(tag_id) for tag_id in hashtag_ids or []}))
    readers = _candidate_ids(
        author_id, tag_ids, followers=push_followers, since=active_since() if active_only else None
    )
    chunks = _chunks(readers)
    if len(chunks) == 1:
        note_sync_chunk(note_id=note_id, author_id=author_id, reader_ids=chunks[0])
    else:
        for chunk in chunks:
            enqueue_on_commit(
                "feeds.note_sync_chunk", note_id=note_id, author_id=author_id, reader_ids=chunk
            )
    return len(chunks)


def _candidate_ids(
    author_id: int, tag_ids: list[int], *, followers: bool, since: datetime | None
) -> list[int]:
    """Readers a note of `author_id` carrying `tag_ids` may concern, by id: the author's
    followers (when `followers`) and the followers of those tags (only those seen after
    `since`, when given). Read from the follow tables' indexes, never a scan of all users."""
    ids: set[int] = set()
    if followers:
        follows = Follow.objects.filter(followee_id=author_id)
        if since is not None:
            follows = follows.filter(follower__last_active_at__gte=since)
        ids.update(follows.values_list("follower_id", flat=True))
    if tag_ids:
        tag_follows = HashtagFollow.objects.filter(hashtag_id__in=tag_ids)
        if since is not None:
            tag_follows = tag_follows.filter(user__last_active_at__gte=since)
        ids.update(tag_follows.values_list("user_id", flat=True))
    ids.discard(author_id)
    return sorted(ids)


def note_sync_chunk(*, note_id: int, author_id: int, reader_ids: list[int]) -> None:
    """For the readers `reader_ids` (at most CHUNK_SIZE): add the note to the timelines of
    those who may see it now and were recently active (never the followers of an author merged
    at read time, unless a hashtag brings it), take it out of the others'. One query.

    Who may see it is `Note.objects.visible_to` evaluated for many readers at once: the note
    in circulation (published, not hidden, not private, its author active), and the reader an
    active account, in no block with the author (`Block.objects.between`), not muting them, and
    following them — or, for a public note, following one of its hashtags (`home_reach`)."""
    store = get_store()
    if store is None:
        return
    note = Note.objects.select_related("author").filter(pk=note_id, author_id=author_id).first()
    tag_ids = _note_tag_ids(note)
    allowed: set[int] = set()
    if note is not None and note.published_at is not None and _in_circulation(note):
        public = note.visibility == Visibility.PUBLIC
        tagged: Any = Value(False)
        if public and tag_ids:
            tagged = Exists(
                HashtagFollow.objects.filter(user=OuterRef("pk"), hashtag_id__in=tag_ids)
            )
        rows = (
            User.objects.filter(pk__in=reader_ids, is_active=True)
            .exclude(pk=author_id)
            .annotate(
                follows=Exists(
                    Follow.objects.filter(follower=OuterRef("pk"), followee_id=author_id)
                ),
                tagged=tagged,
                muting=Exists(Mute.objects.filter(muter=OuterRef("pk"), muted_id=author_id)),
                blocked=Exists(Block.objects.between(OuterRef("pk"), author_id)),
            )
            .values_list("pk", "last_active_at", "follows", "tagged", "muting", "blocked")
        )
        pulled = author_id in pull_authors(store)
        since = active_since()
        push: list[int] = []
        for pk, seen, follows, by_tag, muting, blocked in rows:
            if muting or blocked or not (follows or by_tag):
                continue
            allowed.add(pk)
            if seen is not None and seen >= since and (by_tag or not pulled):
                push.append(pk)
        if push:
            store.timeline_add_many(push, note.pk, datetime_score(note.published_at))
    gone = set(reader_ids) - allowed
    if gone:
        store.timeline_remove(sorted(gone), [note_id])


# --- A reader and an author, a reader and a tag ---------------------------------------------


def _reader_sync(reader: User, notes: QuerySet, store: FeedStore) -> None:
    """Make `reader`'s timeline hold exactly those of `notes` that reach them and that they
    may see (the newest FEED_MAX_LENGTH; the timeline's cap keeps the newest overall)."""
    present = set(
        notes.filter(pk__in=store.timeline_members(reader.pk)).values_list("pk", flat=True)
    )
    rows = (
        Note.objects.visible_to(reader)
        .published()
        .without_muted_by(reader)
        .filter(home_reach(reader))
        .filter(pk__in=notes.values("pk"))
        .exclude(author=reader)
        .order_by("-published_at", "-pk")
        .values_list("pk", "published_at")[: settings.FEED_MAX_LENGTH]
    )
    keep = [Entry(datetime_score(published_at), pk) for pk, published_at in rows]
    gone = present - {entry.note_id for entry in keep}
    if gone:
        store.timeline_remove([reader.pk], sorted(gone))
    store.timeline_add_entries(reader.pk, keep)


def reader_author_sync(*, reader_id: int, author_id: int) -> None:
    """After a follow, unfollow, block, unblock, mute or unmute between a reader and an
    author: the author's notes in the reader's timeline are the ones they still receive."""
    store = get_store()
    reader = User.objects.filter(pk=reader_id).first()
    if store is None or reader is None:
        return
    _reader_sync(reader, Note.objects.filter(author_id=author_id), store)


def reader_tag_sync(*, reader_id: int, hashtag_id: int) -> None:
    """After a reader followed or unfollowed a hashtag: the notes of its topic (the tag and
    those linked with it) in their timeline are the ones they still receive (through a tag
    they follow, or from people they follow)."""
    store = get_store()
    reader = User.objects.filter(pk=reader_id).first()
    if store is None or reader is None:
        return
    topic = _with_groups([hashtag_id])
    notes = Note.objects.filter(
        pk__in=NoteHashtag.objects.filter(hashtag_id__in=topic).values("note_id")
    )
    _reader_sync(reader, notes, store)


# --- A suspended author ---------------------------------------------------------------------


def author_withdraw(*, author_id: int) -> int:
    """A suspended author's notes leave their followers' timelines (reads already hide them:
    an inactive author's notes are visible to no one). One task per 1,000 followers."""
    if get_store() is None:
        return 0
    ids = list(
        Follow.objects.filter(followee_id=author_id)
        .order_by("follower_id")
        .values_list("follower_id", flat=True)
    )
    chunks = _chunks(ids)
    for chunk in chunks:
        enqueue_on_commit("feeds.author_withdraw_chunk", author_id=author_id, reader_ids=chunk)
    return len(chunks)


def author_withdraw_chunk(*, author_id: int, reader_ids: list[int]) -> None:
    """Take the author's newest FEED_MAX_LENGTH notes out of the readers' timelines."""
    store = get_store()
    if store is None:
        return
    note_ids = list(
        Note.objects.filter(author_id=author_id)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[: settings.FEED_MAX_LENGTH]
    )
    store.timeline_remove(reader_ids, note_ids)


def author_restore(*, author_id: int) -> int:
    """A suspension lifted: the author's followers' timelines are dropped, so each is rebuilt
    from the database on its reader's next read (`feeds.home`) with the author's notes back —
    the rebuild applies the visibility rule, so no rule is written here. One task per 1,000
    followers. Nothing to do for an author merged at read time (above FEED_PULL_THRESHOLD
    followers): their notes were never pushed. Returns the number of chunks."""
    if get_store() is None or follower_count(author_id) > settings.FEED_PULL_THRESHOLD:
        return 0
    ids = list(
        Follow.objects.filter(followee_id=author_id)
        .order_by("follower_id")
        .values_list("follower_id", flat=True)
    )
    chunks = _chunks(ids)
    for chunk in chunks:
        enqueue_on_commit("feeds.author_restore_chunk", author_id=author_id, reader_ids=chunk)
    return len(chunks)


def author_restore_chunk(*, author_id: int, reader_ids: list[int]) -> None:
    """Drop the readers' timelines (at most CHUNK_SIZE); their next reads rebuild them. Only if
    the author is still active: suspended again meanwhile, the notes stay out."""
    store = get_store()
    if store is None or not User.objects.filter(pk=author_id, is_active=True).exists():
        return
    store.timelines_drop(reader_ids)
