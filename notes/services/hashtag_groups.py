"""Hashtag groups: moderators link tags that name one topic across languages (#美食 ↔ #food,
#tiktok难民 ↔ #tiktokrefugee). See `notes.models.HashtagGroup`.

Linking is an equivalence, so it is transitive: linking a tag of one group with a tag of
another merges the two groups (into the older one). A group holds two tags or more; one left
with a single tag (its others unlinked) is dissolved.

What a group changes is read at the time of use, never copied into people's data: a tag page
reads the group's notes (`notes.selectors.notes_of_hashtag`), and following one tag follows the
group because the home feed expands a followed tag to its group when it delivers
(`feeds.sources`, `feeds.fanout`) — so linking or unlinking rewrites no follow and no timeline.
The one copy is the group on each of the tags' note links (`NoteHashtag.group`, which a group's
page walks): written here in the same transaction, and once more by a task a minute after the
commit, for links a note posted at that very moment made with the tag's old group.

Every change sends `hashtag_groups_changed` after commit (the visitor page cache, trending and the
tag pages' caches listen).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.events import send_on_commit
from rednote.tasks import task_by_name

from .. import events
from ..models import Hashtag, HashtagGroup, NoteHashtag

MIN_GROUP_SIZE = 2
# A group is a handful of spellings of one topic; a big one is a mistake (and each of its
# tags is expanded on every tag follower's delivery).
MAX_GROUP_SIZE = 20
# When the links are written again after a change (see the module's docstring).
LINKS_RESYNC_SECONDS = 60


def hashtag_links_group_sync(*, hashtag_ids: Iterable[int]) -> int:
    """Copy each tag's group onto its notes' links (`NoteHashtag.group`). Returns how many
    links were written. Idempotent."""
    ids = sorted(set(hashtag_ids))
    if not ids:
        return 0
    group = Hashtag.objects.filter(pk=OuterRef("hashtag_id")).values("group_id")[:1]
    return NoteHashtag.objects.filter(hashtag_id__in=ids).update(group_id=Subquery(group))


def _resync_later(hashtag_ids: list[int]) -> None:
    task = task_by_name("notes.hashtag_links_group_sync")
    task.apply_async(kwargs={"hashtag_ids": hashtag_ids}, countdown=LINKS_RESYNC_SECONDS)


def _changed(*, hashtag_ids: set[int], group_ids: set[int]) -> None:
    """The tags `hashtag_ids` changed group (from or to the groups `group_ids`): copy their
    groups onto their links now, again after commit, and tell the other apps."""
    ids = sorted(hashtag_ids)
    if not ids:
        return
    hashtag_links_group_sync(hashtag_ids=ids)
    transaction.on_commit(lambda: _resync_later(ids), robust=True)
    send_on_commit(
        events.hashtag_groups_changed,
        sender=HashtagGroup,
        hashtag_ids=ids,
        group_ids=sorted(group_ids),
    )


def _locked(hashtags: Iterable[Hashtag]) -> list[Hashtag]:
    """The tags as stored, their rows locked (in id order, so two moderators never deadlock).
    NO KEY UPDATE: notes being posted with these tags (their links' foreign keys) go on."""
    ids = sorted({tag.pk for tag in hashtags})
    return list(Hashtag.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))


def _size_problem(count: int) -> ValidationError | None:
    if count < MIN_GROUP_SIZE:
        return ValidationError(
            {"hashtags": [_("Choose at least two tags to link.")]}, code="too_few"
        )
    if count > MAX_GROUP_SIZE:
        return ValidationError(
            {
                "hashtags": [
                    _("A group links at most %(max)s tags; this one would have %(n)s.")
                    % {"max": MAX_GROUP_SIZE, "n": count}
                ]
            },
            code="too_many",
        )
    return None


@transaction.atomic
def hashtags_link(
    *, hashtags: Iterable[Hashtag], by: User | None = None, name: str = ""
) -> HashtagGroup:
    """Link `hashtags` as one topic and return their group: the group one of them is in
    already (the oldest, when several: the others' tags join it and they are deleted), else a
    new one named `name`. Refuses (field `hashtags`) fewer than two tags in all, or a group of
    more than MAX_GROUP_SIZE."""
    tags = _locked(hashtags)
    group_ids = sorted({tag.group_id for tag in tags if tag.group_id is not None})
    members = tags
    if group_ids:
        others = Hashtag.objects.select_for_update(no_key=True).filter(group_id__in=group_ids)
        members = _locked([*tags, *others.order_by("pk")])
    if problem := _size_problem(len(members)):
        raise problem
    if group_ids:
        group = HashtagGroup.objects.get(pk=group_ids[0])
        if name and not group.name:
            group.name = name
            group.save(update_fields=["name"])
    else:
        group = HashtagGroup.objects.create(name=name, created_by=by)
    moved = {tag.pk for tag in members if tag.group_id != group.pk}
    Hashtag.objects.filter(pk__in=moved).update(group=group)
    # The links first: the merged groups then have none left to be set to null one by one.
    _changed(hashtag_ids=moved, group_ids={group.pk, *group_ids})
    HashtagGroup.objects.filter(pk__in=group_ids[1:]).delete()
    return group


def hashtag_group_problems(
    *, group: HashtagGroup, hashtags: Iterable[Hashtag]
) -> ValidationError | None:
    """What `hashtag_group_save` would refuse for these tags (field `hashtags`), or None: the
    admin's form asks before saving."""
    tags = list(hashtags)
    if problem := _size_problem(len({tag.pk for tag in tags})):
        return problem
    taken = [tag for tag in tags if tag.group_id is not None and tag.group_id != group.pk]
    if taken:
        return ValidationError(
            {
                "hashtags": [
                    _("#%(tag)s is linked in another group already; unlink it there first.")
                    % {"tag": tag.display_name}
                    for tag in taken
                ]
            },
            code="other_group",
        )
    return None


@transaction.atomic
def hashtag_group_save(
    *, group: HashtagGroup, hashtags: Iterable[Hashtag], by: User | None = None
) -> HashtagGroup:
    """Save `group` (new or not, its name as set on it) with exactly `hashtags` as its tags:
    the others leave it. Refuses (field `hashtags`) fewer than two tags, more than
    MAX_GROUP_SIZE, and a tag of another group (unlink it there first: taking it would change
    that group silently)."""
    tags = _locked(hashtags)
    if problem := hashtag_group_problems(group=group, hashtags=tags):
        raise problem
    if group.pk is None and group.created_by_id is None:
        group.created_by = by
    group.save()
    leaving = set(
        Hashtag.objects.select_for_update(no_key=True)
        .filter(group=group)
        .exclude(pk__in=[tag.pk for tag in tags])
        .values_list("pk", flat=True)
    )
    joining = {tag.pk for tag in tags if tag.group_id != group.pk}
    Hashtag.objects.filter(pk__in=leaving).update(group=None)
    Hashtag.objects.filter(pk__in=joining).update(group=group)
    _changed(hashtag_ids=leaving | joining, group_ids={group.pk})
    return group


@transaction.atomic
def hashtags_unlink(*, hashtags: Iterable[Hashtag]) -> int:
    """Take `hashtags` out of their groups; a group left with fewer than two tags is dissolved
    (its last tag unlinked too). Returns how many tags left a group."""
    tags = [tag for tag in _locked(hashtags) if tag.group_id is not None]
    if not tags:
        return 0
    group_ids = {tag.group_id for tag in tags if tag.group_id is not None}  # all, for mypy
    leaving = {tag.pk for tag in tags}
    remaining = dict(
        Hashtag.objects.select_for_update(no_key=True)
        .filter(group_id__in=group_ids)
        .exclude(pk__in=leaving)
        .values_list("pk", "group_id")
    )
    dissolved = {
        group_id
        for group_id in group_ids
        if sum(1 for g in remaining.values() if g == group_id) < MIN_GROUP_SIZE
    }
    last = {pk for pk, group_id in remaining.items() if group_id in dissolved}
    Hashtag.objects.filter(pk__in=leaving | last).update(group=None)
    _changed(hashtag_ids=leaving | last, group_ids=group_ids)
    HashtagGroup.objects.filter(pk__in=dissolved).delete()
    return len(leaving)


@transaction.atomic
def hashtag_group_delete(*, group: HashtagGroup) -> None:
    """Unlink every tag of `group` and delete it."""
    ids = set(
        Hashtag.objects.select_for_update(no_key=True)
        .filter(group=group)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Hashtag.objects.filter(pk__in=ids).update(group=None)
    _changed(hashtag_ids=ids, group_ids={group.pk})
    group.delete()
