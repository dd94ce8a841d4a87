"""Which visitor pages go stale when (the scopes of `rednote.pagecache`).

The pages and their scopes (each page also has the site-wide `SITE_SCOPE`):

- Discover `/`: `WITHDRAWN_SCOPE`.
- A tag page `/tags/<name>/` (both tabs): `tag_scope(name)`.
- A profile's Notes tab `/@<handle>/`: `profile_scope(handle)`; its Boards and Liked tabs show
  other people's notes too: `profile_scope(handle)` and `WITHDRAWN_SCOPE`.
- A note page `/notes/<id>/`: `note_scope(id)`.

What bumps them. The rule: whatever a visitor must no longer see is gone from the next answer;
whatever is new or merely changed elsewhere may show up to `VISITOR_PAGE_CACHE_SECONDS` late.

- `note_withdrawn` (deleted, hidden, narrowed, made private): the note's page, its author's
  profile, its tags' pages and `WITHDRAWN_SCOPE` (Discover and everyone's Boards and Liked tabs,
  which may show it).
- `note_published`: the note's page (a newly visible note was a 404, never stored; this only
  keeps an unhidden note's page fresh).
- A note saved (an edit of its text, location, visibility or status): its page and its author's
  profile. A tag taken off a note: that tag's page.
- A tag's page shows the notes of its whole group (tags moderators linked, `HashtagGroup`), so
  wherever a tag's page is bumped above, so are the pages of the other tags of its group; and
  linking or unlinking tags (`hashtag_groups_changed`) bumps the pages of those tags and of
  every tag of the groups they left or joined.
- `user_suspended`, an account deactivated or deleted: `SITE_SCOPE`, everything (the person's
  notes may be on any page).
- A profile saved (name, bio, avatar, handle — the old handle's page too — likes made private...):
  that profile's pages.
- A board saved or deleted (renamed, made private): its owner's profile pages.
- A comment posted, deleted or hidden (`comment_deleted`), liked or unliked (the `comment_*`
  events): its note's page (the thread and the counter are on it).
- A community translation of a note or a comment suggested, voted for or not, accepted,
  hidden or shown, edited or deleted in the admin (translations' `community_translation_changed`,
  whoever made the change: the page's views, a service call, the admin): the note's page (for a
  comment, its note's), which shows the translation.

Not bumped, so late by at most the TTL: new notes, likes and collects, follower and like counts,
an edit's effect on the card of the note elsewhere than its author's profile (Discover, tags), a
person's new name or avatar on their notes' pages and cards, a note taken out of a board or
unliked (the owner's Boards and Liked tabs), a slang glossary term approved, edited or removed
(the underlines and explanations of the reading aids on note pages, `notes.reading`).

The note and board events are the notes app's own domain events; user suspension is accounts';
community translations are translations'.
Saves of users, notes and boards are watched with model signals: this is cache coherence, not a
business flow (as `accounts.authentication` keeps its token cache), and it catches every writer
(services, admin) without each one having to remember the page cache.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from accounts import events as accounts_events
from accounts.models import User, handle_normalize
from rednote.pagecache import SITE_SCOPE, scope_bump
from translations import events as translations_events

from . import events
from .models import Board, Comment, Hashtag, Note
from .parsing import hashtag_normalize

WITHDRAWN_SCOPE = "notes-withdrawn"
# User fields that no visitor page shows.
_USER_PRIVATE_FIELDS = frozenset(
    {"password", "last_login", "last_active_at", "email", "ui_language", "read_languages"}
)
_NOTE_SHOWN_FIELDS = frozenset({"title", "body", "location", "visibility", "status", "is_hidden"})


def note_scope(note_id: int) -> str:
    return f"note:{note_id}"


def profile_scope(handle: str) -> str:
    return f"profile:{handle_normalize(handle).lower()}"


def tag_scope(name: str) -> str:
    return f"tag:{hashtag_normalize(name)}"


# --- Scopes of the pages (the views' decorators) ------------------------------------------


def note_page_scopes(request, note_id: int, **_kwargs: Any) -> list[str]:
    return [note_scope(note_id)]


def profile_page_scopes(request, handle: str, **_kwargs: Any) -> list[str]:
    return [profile_scope(handle)]


def profile_collection_scopes(request, handle: str, **_kwargs: Any) -> list[str]:
    return [profile_scope(handle), WITHDRAWN_SCOPE]


def tag_page_scopes(request, name: str, **_kwargs: Any) -> list[str]:
    return [tag_scope(name)]


def discover_scopes(request, *_args: Any, **_kwargs: Any) -> list[str]:
    return [WITHDRAWN_SCOPE]


# --- What bumps them -------------------------------------------------------------------------


def _profile_scopes_of(user_id: int) -> list[str]:
    handle = User.objects.filter(pk=user_id).values_list("handle", flat=True).first()
    return [profile_scope(handle)] if handle else []


def _tag_scopes(hashtags) -> list[str]:
    """The pages of `hashtags` (a queryset) and of the other tags of their groups, which show
    the same notes: one query."""
    groups = hashtags.filter(group__isnull=False).values("group_id")
    linked = Hashtag.objects.filter(Q(pk__in=hashtags.values("pk")) | Q(group_id__in=groups))
    return [tag_scope(name) for name in linked.values_list("name", flat=True)]


def on_note_withdrawn(
    *, note_id: int, author_id: int, hashtag_ids: list[int] | None = None, **_kwargs: Any
) -> None:
    if hashtag_ids is None:  # hidden or narrowed: the note, and so its tags, are still there
        hashtags = Hashtag.objects.filter(notes=note_id)
    else:  # deleted: its links are gone, the event names its tags
        hashtags = Hashtag.objects.filter(pk__in=hashtag_ids)
    scope_bump(
        note_scope(note_id),
        WITHDRAWN_SCOPE,
        *_profile_scopes_of(author_id),
        *_tag_scopes(hashtags),
    )


def on_note_published(*, note_id: int, **_kwargs: Any) -> None:
    scope_bump(note_scope(note_id))


def on_comment_changed(*, note_id: int, **_kwargs: Any) -> None:
    scope_bump(note_scope(note_id))


def on_community_translation_changed(*, content_type_id: int, object_id: int, **_kw: Any) -> None:
    """A note's or a comment's community translations changed: the note's page."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is Note:
        scope_bump(note_scope(object_id))
    elif model is Comment:
        note_id = Comment.objects.filter(pk=object_id).values_list("note_id", flat=True).first()
        if note_id is not None:
            scope_bump(note_scope(note_id))


def on_user_suspended(**_kwargs: Any) -> None:
    scope_bump(SITE_SCOPE)


def on_note_saved(sender, instance: Note, created: bool, update_fields=None, **_kwargs) -> None:
    if created or (update_fields is not None and not (set(update_fields) & _NOTE_SHOWN_FIELDS)):
        return
    scope_bump(note_scope(instance.pk), *_profile_scopes_of(instance.author_id))


def on_note_tags_changed(sender, instance, action: str, pk_set=None, reverse=False, **_kw) -> None:
    """A tag taken off a note (`note.hashtags.set/remove/clear`): that tag's page."""
    if reverse or action not in ("post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        scope_bump(*_tag_scopes(instance.hashtags.all()))
    elif pk_set:
        scope_bump(*_tag_scopes(Hashtag.objects.filter(pk__in=pk_set)))


def on_hashtag_groups_changed(
    *, hashtag_ids: list[int], group_ids: list[int], **_kwargs: Any
) -> None:
    """Tags linked or unlinked: their pages and those of every tag of the groups involved."""
    hashtags = Hashtag.objects.filter(Q(pk__in=hashtag_ids) | Q(group_id__in=group_ids))
    scope_bump(*_tag_scopes(hashtags))


def on_user_pre_save(sender, instance: User, update_fields=None, **_kwargs) -> None:
    """Remember the stored handle and active flag when this save may change them."""
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not ({"handle", "is_active"} & set(update_fields)):
        return
    instance.__dict__["_page_scopes_before"] = (
        User.objects.filter(pk=instance.pk).values_list("handle", "is_active").first()
    )


def on_user_saved(sender, instance: User, created: bool, update_fields=None, **_kwargs) -> None:
    before = instance.__dict__.pop("_page_scopes_before", None)
    if created or (update_fields is not None and set(update_fields) <= _USER_PRIVATE_FIELDS):
        return
    names = [profile_scope(instance.handle)]
    if before is not None:
        old_handle, was_active = before
        names.append(profile_scope(old_handle))
        if was_active != instance.is_active:
            names.append(SITE_SCOPE)
    scope_bump(*names)


def on_user_deleted(**_kwargs: Any) -> None:
    scope_bump(SITE_SCOPE)


def on_board_changed(sender, instance: Board, **_kwargs: Any) -> None:
    scope_bump(*_profile_scopes_of(instance.owner_id))


def connect() -> None:
    """Called from `NotesConfig.ready()`."""
    events.note_withdrawn.connect(on_note_withdrawn, dispatch_uid="notes.page_scopes.withdrawn")
    events.note_published.connect(on_note_published, dispatch_uid="notes.page_scopes.published")
    for signal, name in (
        (events.comment_created, "created"),
        (events.comment_deleted, "deleted"),
        (events.comment_liked, "liked"),
        (events.comment_unliked, "unliked"),
    ):
        signal.connect(on_comment_changed, dispatch_uid=f"notes.page_scopes.comment_{name}")
    events.hashtag_groups_changed.connect(
        on_hashtag_groups_changed, dispatch_uid="notes.page_scopes.hashtag_groups"
    )
    translations_events.community_translation_changed.connect(
        on_community_translation_changed, dispatch_uid="notes.page_scopes.community_translation"
    )
    accounts_events.user_suspended.connect(
        on_user_suspended, dispatch_uid="notes.page_scopes.suspended"
    )
    post_save.connect(on_note_saved, sender=Note, dispatch_uid="notes.page_scopes.note")
    m2m_changed.connect(
        on_note_tags_changed, sender=Note.hashtags.through, dispatch_uid="notes.page_scopes.tags"
    )
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="notes.page_scopes.user_pre")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="notes.page_scopes.user")
    post_delete.connect(on_user_deleted, sender=User, dispatch_uid="notes.page_scopes.user_del")
    post_save.connect(on_board_changed, sender=Board, dispatch_uid="notes.page_scopes.board")
    post_delete.connect(on_board_changed, sender=Board, dispatch_uid="notes.page_scopes.board_del")
