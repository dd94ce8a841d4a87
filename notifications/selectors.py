"""Reads of the inbox, and the one rule for what of it a recipient may see.

`notification_shown_q` is that rule, used by the pages, the API, the unread count and — for
a notification about to be written — the services (`actor_may_notify`, `note_may_be_shown`):
the same QuerySet conditions notes and accounts use everywhere (`Note.objects.visible_to`,
`blocked_either_way`, `muted_by`), so an entry shows exactly when its note and its people
would show to the recipient elsewhere.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from accounts.models import Follow, FollowRequest, User, blocked_either_way, muted_by
from accounts.selectors import Relationship
from notes.models import Comment, Note, NoteImage
from rednote.pagination import CursorPage, cursor_page

from . import notices
from .models import Notification, NotificationActor, NotificationKind, NotificationTab

# Faces shown per entry ("Mei, Jun and 11 others").
ACTORS_SHOWN = 3
# The cached unread counts live this long at most: every change to a person's inbox drops
# theirs at once; this bounds what no event reaches (a comment unhidden by moderators).
UNREAD_COUNTS_SECONDS = 300
# Each tab's unread entries are counted up to this many: the badge shows "99+" past 99, and a
# person with thousands unread costs no more than one with a hundred.
UNREAD_COUNT_CAP = 100


def actor_shown_q(recipient, *, user: str = "pk", person: str = "") -> Q:
    """People whose acts `recipient` hears of: active, in no block with them either way, not
    muted by them. `user` is the path to the person's id in the query filtered, `person` the
    path to the person's row ("" on users, "actor__" on entries)."""
    return (
        Q(**{f"{person}is_active": True})
        & ~Q(blocked_either_way(recipient, user=user))
        & ~Q(muted_by(recipient, user=user))
    )


def _visible_note(recipient, ref: str) -> Exists:
    return Exists(Note.objects.visible_to(recipient).filter(pk=OuterRef(ref)))


def _shown_comment(recipient, ref: str) -> Exists:
    return Exists(Comment.objects.shown_to(recipient).filter(pk=OuterRef(ref)))


def notification_shown_q(recipient) -> Q:
    """The one rule for "this entry may be shown to its recipient": its latest person may
    reach them (`actor_shown_q`), its note (if any) is visible to them, and its comment (if
    any) is shown to them. Deleted notes and comments fail it until their entries are gone."""
    return (
        actor_shown_q(recipient, user="actor_id", person="actor__")
        & (Q(note__isnull=True) | _visible_note(recipient, "note_id"))
        & (Q(comment_id__isnull=True) | _shown_comment(recipient, "comment_id"))
    )


def actor_may_notify(*, recipient: User, actor_id: int) -> bool:
    """Whether `actor_id`'s act may reach `recipient` now (the write-time side of the rule)."""
    if actor_id == recipient.pk or not recipient.is_active:
        return False
    return User.objects.filter(pk=actor_id).filter(actor_shown_q(recipient)).exists()


def note_may_be_shown(*, recipient: User, note_id: int) -> bool:
    return Note.objects.visible_to(recipient).filter(pk=note_id).exists()


def comment_may_be_shown(*, recipient: User, comment_id: int) -> bool:
    return Comment.objects.shown_to(recipient).filter(pk=comment_id).exists()


def notifications_of(*, recipient: User, tab: str | None = None) -> QuerySet:
    """`recipient`'s entries they may see (`notification_shown_q`), of one tab or all, with
    what a row shows in a constant number of queries: the latest person and whether each
    follows the other (`actor_followed`, `actor_follows`), up to ACTORS_SHOWN people still
    reaching them (`shown_actors`, newest first), the note and its photos."""
    qs = Notification.objects.filter(recipient=recipient)
    if tab is not None:
        qs = qs.filter(tab=tab)
    actors = (
        NotificationActor.objects.filter(
            actor_shown_q(recipient, user="actor_id", person="actor__")
        )
        .select_related("actor")
        .order_by("-acted_at", "-id")
    )
    return (
        qs.filter(notification_shown_q(recipient))
        .annotate(
            # For the follow-back button of a follower's row, in the same query.
            actor_followed=Exists(
                Follow.objects.filter(follower=recipient, followee=OuterRef("actor_id"))
            ),
            actor_follows=Exists(
                Follow.objects.filter(follower=OuterRef("actor_id"), followee=recipient)
            ),
            # A follow request's row offers Accept and Decline while it is pending.
            request_pending=Exists(
                FollowRequest.objects.filter(requester=OuterRef("actor_id"), target=recipient)
            ),
        )
        .select_related("actor", "note")
        .prefetch_related(
            Prefetch("actor_links", queryset=actors[:ACTORS_SHOWN], to_attr="shown_actors"),
            Prefetch("note__images", queryset=NoteImage.objects.order_by("position")),
        )
    )


def notifications_page(
    *, recipient: User, tab: str | None, cursor: str | None, size: int
) -> CursorPage:
    """One page of the inbox (or a tab), most recently active first. Raises InvalidCursor."""
    page = cursor_page(
        notifications_of(recipient=recipient, tab=tab), cursor=cursor, key="updated_at", size=size
    )
    _comments_attach(page.items)
    _notice_links_attach(page.items)
    for entry in page.items:
        entry.relationship = Relationship(
            following=entry.actor_followed, followed_by=entry.actor_follows
        )
    return page


def _comments_attach(entries: list[Notification]) -> None:
    """Set `comment` (the row, with its text) on entries about a comment: one query."""
    ids = {entry.comment_id for entry in entries if entry.comment_id}
    for entry in entries:
        entry.comment = None
    if not ids:
        return
    comments = Comment.objects.in_bulk(ids)
    for entry in entries:
        if entry.comment_id:
            entry.comment = comments.get(entry.comment_id)


def _notice_links_attach(entries: list[Notification]) -> None:
    """Set `notice_url` on each entry: for a notice, where to go (the export in the settings,
    the note or comment a moderation message is about while it still exists), else None. At
    most two queries, only when the page has moderation messages about content."""
    note_ids: set[int] = set()
    comment_ids: set[int] = set()
    for entry in entries:
        entry.notice_url = None
        data = entry.data or {}
        if entry.kind == NotificationKind.MODERATION and isinstance(data.get("target_id"), int):
            if data.get("target_kind") == "note":
                note_ids.add(data["target_id"])
            elif data.get("target_kind") == "comment":
                comment_ids.add(data["target_id"])
    notes = (
        set(Note.objects.filter(pk__in=note_ids).values_list("pk", flat=True))
        if note_ids
        else set()
    )
    comments = (
        dict(Comment.objects.filter(pk__in=comment_ids).values_list("pk", "note_id"))
        if comment_ids
        else {}
    )
    for entry in entries:
        data = entry.data or {}
        if entry.kind == NotificationKind.EXPORT_READY:
            entry.notice_url = notices.export_url()
        elif entry.kind == NotificationKind.MODERATION:
            target_id = data.get("target_id")
            if data.get("target_kind") == "note" and target_id in notes:
                entry.notice_url = reverse("notes:detail", kwargs={"note_id": target_id})
            elif data.get("target_kind") == "comment" and target_id in comments:
                note_url = reverse("notes:detail", kwargs={"note_id": comments[target_id]})
                entry.notice_url = f"{note_url}#comment-{target_id}"


@dataclass(frozen=True)
class UnreadCounts:
    likes: int = 0
    follows: int = 0
    comments: int = 0
    notices: int = 0

    @property
    def total(self) -> int:
        return self.likes + self.follows + self.comments + self.notices

    def of(self, tab: str) -> int:
        return getattr(self, tab)

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, **{tab: self.of(tab) for tab in NotificationTab.values}}


def unread_counts_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_counts(*, recipient: User) -> UnreadCounts:
    """Unread entries `recipient` may see, per tab, each counted up to UNREAD_COUNT_CAP (the
    badge says "99+" beyond): one cache read; on a miss one query, bounded per tab, over their
    unread entries (a partial index holds only those), then cached. Every service that
    changes their inbox drops the cached value (`services.unread_counts_forget`)."""
    key = unread_counts_key(recipient.pk)
    cached = cache.get(key)
    if cached is None:
        mine = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
        shown = mine.filter(notification_shown_q(recipient)).order_by().values("pk")
        # One query: each tab's first UNREAD_COUNT_CAP shown entries (a bounded subquery each,
        # where the rule is checked), counted among the person's unread entries.
        capped = Q()
        for tab in NotificationTab.values:
            capped |= Q(pk__in=shown.filter(tab=tab)[:UNREAD_COUNT_CAP])
        cached = mine.filter(capped).aggregate(
            **{tab: Count("pk", filter=Q(tab=tab)) for tab in NotificationTab.values}
        )
        cache.set(key, cached, UNREAD_COUNTS_SECONDS)
    return UnreadCounts(**{tab: cached.get(tab, 0) for tab in NotificationTab.values})
