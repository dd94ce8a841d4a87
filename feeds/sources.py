"""Where a reader's home feed comes from, read from the database: the notes of the people they
follow and the public notes carrying a hashtag they follow, newest first.

This is what a timeline is rebuilt from, what the feed is read from without Redis, and how the
notes of authors too followed to be pushed are merged in at read time. On PostgreSQL it is one
query per author LATERAL style: for each followed author (and followed tag) an index scan of
their newest notes, at most `limit` each, then the newest `limit` of those — so the cost grows
with what one reader follows, never with the size of the notes table, and the worst case stays
close to the typical one. Other databases (the SQLite quick start) get the same rows from an
ordinary query.

A followed tag stands for its whole group (tags moderators linked across languages,
`notes.HashtagGroup`): following #美食 brings the public notes tagged #food. The group is read
here, at delivery (`followed_hashtag_ids`), never copied into the follows, so linking or
unlinking tags takes effect without rewriting anyone's follows.

The candidates here already leave out what a reader cannot see (hidden, private, inactive,
muted or blocked authors), so pages come out full; the page itself is still loaded through
`Note.objects.visible_to(viewer).without_muted_by(viewer)`, the one rule.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Block, Follow, Mute, User, blocked_either_way, muted_by
from notes.models import Hashtag, Note, NoteHashtag, NoteStatus, Visibility
from rednote.cursors import datetime_score, score_datetime

from .models import HashtagFollow
from .store import Entry


def _entry(note_id: int, published_at: datetime) -> Entry:
    return Entry(datetime_score(published_at), int(note_id))


def hashtags_with_groups(hashtag_ids: QuerySet) -> QuerySet:
    """The ids of the tags `hashtag_ids` (a subquery of ids) and of every tag linked with one of
    them: a subquery, for `__in`."""
    groups = Hashtag.objects.filter(pk__in=hashtag_ids, group__isnull=False).values("group_id")
    return Hashtag.objects.filter(Q(pk__in=hashtag_ids) | Q(group_id__in=groups)).values("pk")


def followed_hashtag_ids(reader: User) -> QuerySet:
    """The tags whose public notes reach `reader`: those they follow and the tags of those
    tags' groups (a subquery of ids)."""
    return hashtags_with_groups(HashtagFollow.objects.filter(user=reader).values("hashtag_id"))


def home_reach(reader: User) -> Q:
    """The notes that reach `reader`'s home feed: by people they follow, or public and carrying
    a hashtag they follow or one linked with it (`followed_hashtag_ids`). Who may *see* a note
    is `Note.objects.visible_to`'s business."""
    follows = Exists(Follow.objects.filter(follower=reader, followee=OuterRef("author_id")))
    tagged = Exists(
        NoteHashtag.objects.filter(
            note_id=OuterRef("pk"), hashtag_id__in=followed_hashtag_ids(reader)
        )
    )
    return Q(follows) | Q(tagged, visibility=Visibility.PUBLIC)


def reader_entries(
    reader: User,
    *,
    before: tuple[int, int] | None = None,
    limit: int,
    author_ids: Collection[int] | None = None,
    include_tags: bool = True,
) -> list[Entry]:
    """The newest `limit` home-feed entries of `reader` strictly after position `before`
    (score, note id): notes of the people they follow (only those in `author_ids` when given)
    and, with `include_tags`, public notes carrying a hashtag they follow. One query."""
    if author_ids is not None and not author_ids and not include_tags:
        return []
    if connection.vendor == "postgresql":
        return _reader_entries_lateral(reader, before, limit, author_ids, include_tags)
    return _reader_entries_orm(reader, before, limit, author_ids, include_tags)


def _reader_entries_orm(reader, before, limit, author_ids, include_tags) -> list[Entry]:
    followees = Follow.objects.filter(follower=reader)
    if author_ids is not None:
        followees = followees.filter(followee_id__in=list(author_ids))
    reach = Q(
        author__in=followees.values("followee_id"),
        visibility__in=[Visibility.PUBLIC, Visibility.FOLLOWERS],
    )
    if include_tags:
        reach |= home_reach(reader) & Q(visibility=Visibility.PUBLIC)
    qs = (
        Note.objects.filter(reach, status=NoteStatus.PUBLISHED, is_hidden=False)
        .filter(author__is_active=True)
        .exclude(author=reader)
        .exclude(muted_by(reader, user="author_id"))
        .exclude(blocked_either_way(reader, user="author_id"))
    )
    if before is not None:
        moment = score_datetime(before[0])
        qs = qs.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=before[1]))
    rows = qs.order_by("-published_at", "-pk").values_list("pk", "published_at")[:limit]
    return [_entry(pk, published_at) for pk, published_at in rows if published_at is not None]


def _tables() -> dict[str, str]:
    return {
        "note": Note._meta.db_table,
        "note_tags": NoteHashtag._meta.db_table,
        "hashtag": Hashtag._meta.db_table,
        "follow": Follow._meta.db_table,
        "tag_follow": HashtagFollow._meta.db_table,
        "user": User._meta.db_table,
        "mute": Mute._meta.db_table,
        "block": Block._meta.db_table,
    }


# The author conditions once per followed author (a follow and a block never coexist, but a
# block is checked anyway: it costs one index probe per author).
_AUTHOR_OK = """
    EXISTS (SELECT 1 FROM {user} u WHERE u.id = {author} AND u.is_active)
    AND NOT EXISTS (SELECT 1 FROM {mute} m WHERE m.muter_id = %(reader)s AND m.muted_id = {author})
    AND NOT EXISTS (SELECT 1 FROM {block} b WHERE (b.blocker_id = %(reader)s
        AND b.blocked_id = {author}) OR (b.blocker_id = {author} AND b.blocked_id = %(reader)s))
"""

_FOLLOWED = """
SELECT n.id, n.published_at FROM {follow} f
CROSS JOIN LATERAL (
    SELECT n.id, n.published_at FROM {note} n
    WHERE n.author_id = f.followee_id AND n.status = %(published)s AND NOT n.is_hidden
      AND n.visibility IN (%(public)s, %(followers)s) {after}
    ORDER BY n.published_at DESC, n.id DESC LIMIT %(limit)s
) n
WHERE f.follower_id = %(reader)s {only_authors} AND {author_ok}
"""

# A followed tag's newest links (`notes.NoteHashtag`, index (hashtag, published_at, note)),
# filtered on the note's state they carry; the note is read for the author's conditions only.
# The followed tags are expanded to their groups first (`followed_hashtag_ids`): each tag of a
# group gets its own index walk, and a note carrying two of them comes out once (the UNION).
_TAGGED = """
SELECT n.id, n.published_at FROM (
    SELECT hf.hashtag_id FROM {tag_follow} hf WHERE hf.user_id = %(reader)s
    UNION
    SELECT m.id FROM {tag_follow} hf JOIN {hashtag} h ON h.id = hf.hashtag_id
    JOIN {hashtag} m ON m.group_id = h.group_id WHERE hf.user_id = %(reader)s
) hf
CROSS JOIN LATERAL (
    SELECT nt.note_id AS id, nt.published_at FROM {note_tags} nt
    JOIN {note} n ON n.id = nt.note_id
    WHERE nt.hashtag_id = hf.hashtag_id AND nt.status = %(published)s AND NOT nt.is_hidden
      AND nt.visibility = %(public)s AND n.author_id <> %(reader)s {after} AND {author_ok}
    ORDER BY nt.published_at DESC, nt.note_id DESC LIMIT %(limit)s
) n
"""


def _reader_entries_lateral(reader, before, limit, author_ids, include_tags) -> list[Entry]:
    tables = _tables()
    after = after_link = ""
    params: dict = {
        "reader": reader.pk,
        "limit": limit,
        "published": NoteStatus.PUBLISHED.value,
        "public": Visibility.PUBLIC.value,
        "followers": Visibility.FOLLOWERS.value,
    }
    if before is not None:
        after = "AND (n.published_at, n.id) < (%(before_at)s, %(before_id)s)"
        after_link = "AND (nt.published_at, nt.note_id) < (%(before_at)s, %(before_id)s)"
        params.update(before_at=score_datetime(before[0]), before_id=before[1])
    only_authors = ""
    if author_ids is not None:
        only_authors = "AND f.followee_id = ANY(%(authors)s)"
        params["authors"] = [int(a) for a in author_ids]
    parts = []
    if author_ids is None or author_ids:
        parts.append(
            _FOLLOWED.format(
                after=after,
                only_authors=only_authors,
                author_ok=_AUTHOR_OK.format(author="f.followee_id", **tables),
                **tables,
            )
        )
    if include_tags:
        parts.append(
            _TAGGED.format(
                after=after_link,
                author_ok=_AUTHOR_OK.format(author="n.author_id", **tables),
                **tables,
            )
        )
    # Only our table names and fixed SQL are formatted in; every value is a parameter.
    union = " UNION ".join(parts)
    sql = f"SELECT id, published_at FROM ({union}) feed ORDER BY published_at DESC, id DESC LIMIT %(limit)s"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_entry(pk, published_at) for pk, published_at in cursor.fetchall()]
