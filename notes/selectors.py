"""Reads for notes. Permission-checked getters raise 404 for missing and forbidden alike."""

from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from rednote.prepared import PreparedQuery

from .models import (
    Board,
    BoardNote,
    Comment,
    Hashtag,
    Note,
    NoteHashtag,
    NoteImage,
    NoteLike,
    note_published_q,
    note_visible_q,
)
from .parsing import hashtag_normalize


def notes_annotate_viewer(queryset: QuerySet, *, viewer) -> QuerySet:
    """Add `viewer_liked` and `viewer_collected` (bools) for like/collect buttons."""
    if viewer is None or not viewer.is_authenticated:
        from django.db.models import BooleanField, Value

        false = Value(False, output_field=BooleanField())
        return queryset.annotate(viewer_liked=false, viewer_collected=false)
    return queryset.annotate(
        viewer_liked=Exists(NoteLike.objects.filter(user=viewer, note=OuterRef("pk"))),
        viewer_collected=Exists(BoardNote.objects.filter(board__owner=viewer, note=OuterRef("pk"))),
    )


def note_get_visible(*, viewer, note_id: int) -> Note:
    """The note if `viewer` may see it (with author, images, tags and viewer flags), else 404."""
    qs = notes_annotate_viewer(
        Note.objects.visible_to(viewer)
        .for_cards()
        .prefetch_related(
            Prefetch("images", queryset=NoteImage.objects.order_by("position")),
            "hashtags",
            "mentions",
        ),
        viewer=viewer,
    )
    note = qs.filter(pk=note_id).first()
    if note is None:
        raise Http404("No such note.")
    return note


def note_row_get_visible(*, viewer, note_id: int) -> Note:
    """The note if `viewer` may see it, else 404: the row with its author and the viewer's
    flags in one query, without images, tags and mentions (`notes.representation` keeps
    those in the cache)."""
    if viewer is not None and viewer.is_authenticated:
        rows = _NOTE_ROW_FOR_READER(note_id, viewer.pk)
    else:
        rows = _NOTE_ROW_FOR_VISITOR(note_id)
    if not rows:
        raise Http404("No such note.")
    return rows[0]


def note_page_get_visible(*, viewer, note_id: int) -> Note:
    """The note page's note if `viewer` may see it, else 404: the row (`note_row_get_visible`)
    and only what the page shows, its photos in order and its mentioned people (the text's
    links); not its tags, which the text links by itself."""
    note = note_row_get_visible(viewer=viewer, note_id=note_id)
    prefetch_related_objects(
        [note], Prefetch("images", queryset=NoteImage.objects.order_by("position")), "mentions"
    )
    return note


def _note_row(note_id: int, viewer) -> QuerySet:
    notes = notes_annotate_viewer(
        Note.objects.visible_to(viewer).select_related("author"), viewer=viewer
    )
    if viewer is not None and viewer.is_authenticated:
        # Whether moderators hid a comment of the reader's here: the note page then shows
        # them those comments, marked (`notes.views.hidden`); no query for them otherwise.
        notes = notes.annotate(
            viewer_comments_hidden=Exists(
                Comment.objects.filter(note=OuterRef("pk"), author=viewer, is_hidden=True)
            )
        )
    return notes.filter(pk=note_id)[:1]


# The hottest read (note page and API): the ORM builds and compiles it once per process.
_NOTE_ROW_FOR_VISITOR = PreparedQuery(lambda note_id: _note_row(note_id, AnonymousUser()), 1)
_NOTE_ROW_FOR_READER = PreparedQuery(
    lambda note_id, viewer_id: _note_row(note_id, User(pk=viewer_id)), 2
)


def note_get_hidden_own(*, viewer, note_id: int) -> Note | None:
    """`viewer`'s own note if moderators hid it (with its photos, mentions and the viewer's
    flags), else None: its author still sees it, marked hidden, and may appeal; for anyone
    else it does not exist (`note_get_visible` is a 404)."""
    if viewer is None or not viewer.is_authenticated:
        return None
    return (
        notes_annotate_viewer(
            Note.objects.filter(pk=note_id, author=viewer, is_hidden=True).select_related("author"),
            viewer=viewer,
        )
        .prefetch_related(
            Prefetch("images", queryset=NoteImage.objects.order_by("position")), "mentions"
        )
        .first()
    )


def note_get_editable(*, user, note_id: int) -> Note:
    """The note if `user` wrote it (and it is not hidden), else 404 — the same as missing."""
    if user is None or not user.is_authenticated:
        raise Http404("No such note.")
    note = (
        Note.objects.filter(pk=note_id, author=user, is_hidden=False)
        .select_related("author")
        .prefetch_related("images", "hashtags", "mentions")
        .first()
    )
    if note is None:
        raise Http404("No such note.")
    return note


def note_image_get_visible(*, viewer, note_id: int, image_id: int) -> NoteImage:
    """A processed image of a note `viewer` may see, else 404."""
    image = (
        NoteImage.objects.filter(
            pk=image_id, note_id=note_id, note__in=Note.objects.visible_to(viewer)
        )
        .select_related("note")
        .first()
    )
    if image is None:
        raise Http404("No such image.")
    return image


def notes_of_author(*, author, viewer) -> QuerySet:
    """A profile's notes grid: what `viewer` may see of `author`'s notes, newest first.

    The author sees their processing and failed notes too (first), others only published.
    """
    qs = Note.objects.visible_to(viewer).filter(author=author)
    return notes_annotate_viewer(qs.for_cards(), viewer=viewer).order_by(
        "-published_at", "-created_at", "-id"
    )


def notes_recent_public(*, viewer) -> QuerySet:
    """Published notes `viewer` may see, without those of people they muted, newest first:
    discover (`/`) and the API's `GET /api/v1/notes/` alike."""
    return notes_annotate_viewer(
        Note.objects.visible_to(viewer).published().without_muted_by(viewer).for_cards(),
        viewer=viewer,
    ).order_by("-published_at", "-id")


# The relation a tag page reads its notes through: the note's link to the hashtag, which
# carries a copy of the note's status, visibility, hidden flag and publication time.
_TAG_LINK = "hashtag_links__"


def notes_of_hashtag(*, hashtag: Hashtag, viewer, each_once: bool = True) -> QuerySet:
    """A tag page: the published notes carrying `hashtag` (a stored one: `hashtag_get`) — or,
    when moderators linked it into a group (`hashtag.group_id`), any tag of that group — that
    `viewer` may see, without those of people they muted, newest first by `tagged_at` (the
    link's copy of `published_at`, annotated) then id; each note once. `feeds.tag_selectors.
    tag_notes` orders it for each tab.

    Read through the note's link to the tag (`NoteHashtag`): the visibility rule
    (`note_visible_q`) and "published" are checked on the link's copies of the note's state,
    and the order is the link index's (hashtag, published_at, note), so PostgreSQL walks that
    tag's newest links, skips what the reader may not see without reading those notes, and
    joins a note for each row it keeps — the cost of a first page is the same for a tag of 25
    year-old notes and for one on 21k notes. The author's conditions (active, follows,
    blocks, mutes) are read on the joined note, for those rows only.

    A group's page walks the links that carry the group's copy (`NoteHashtag.group`, index
    (group, published_at, note)) the same way; a note tagged with two of the group's tags has a
    link for each, and only the one of its lowest tag id is kept (a probe of the note's own
    few links, by note), so it shows once and the keyset stays exact.
    `each_once=False` leaves that probe out — a note then comes once per tag of the group it
    carries — for an aggregate that counts distinct notes itself (cheaper over a whole group)."""
    tag: Q
    if hashtag.group_id is None:
        tag = Q(**{f"{_TAG_LINK}hashtag": hashtag.pk})
    elif not each_once:
        tag = Q(**{f"{_TAG_LINK}group": hashtag.group_id})
    else:
        # Within the one filter() below, so the OuterRef is the same joined link.
        twin = NoteHashtag.objects.filter(
            note_id=OuterRef("pk"),
            group_id=hashtag.group_id,
            hashtag_id__lt=OuterRef(f"{_TAG_LINK}hashtag_id"),
        )
        tag = Q(Q(**{f"{_TAG_LINK}group": hashtag.group_id}), ~Exists(twin))
    rule = tag & note_visible_q(viewer, state=_TAG_LINK) & note_published_q(state=_TAG_LINK)
    notes = (
        Note.objects.filter(rule)
        .without_muted_by(viewer)
        .annotate(tagged_at=F(f"{_TAG_LINK}published_at"))
        .for_cards()
    )
    return notes_annotate_viewer(notes, viewer=viewer).order_by("-tagged_at", "-id")


def likes_shown(*, person, viewer) -> bool:
    """Whether `viewer` may see the notes `person` liked: always their own; someone else's only
    when that person made them public (`User.likes_public`)."""
    if person.likes_public:
        return True
    return viewer is not None and viewer.is_authenticated and viewer.pk == person.pk


def notes_liked_by(*, person, viewer) -> QuerySet:
    """The profile's Liked tab: the published notes `person` liked that `viewer` may see
    (without those of people `viewer` muted, as in every list of many people's notes), newest
    like first (`liked_at`, annotated). A 404 when `likes_shown` says no."""
    if not likes_shown(person=person, viewer=viewer):
        raise Http404("No such page.")
    return notes_liked_by_shown(person_id=person.pk, viewer=viewer)


def notes_liked_by_shown(*, person_id: int, viewer) -> QuerySet:
    """`notes_liked_by` once `likes_shown` has said yes: built from the person's id alone (the
    API's prepared pages compile it once)."""
    qs = (
        Note.objects.visible_to(viewer)
        .published()
        .without_muted_by(viewer)
        .filter(likes__user=person_id)
        .for_cards()
    )
    return (
        notes_annotate_viewer(qs, viewer=viewer)
        .annotate(liked_at=F("likes__created_at"))
        .order_by("-liked_at", "-id")
    )


def board_get_visible(*, viewer, board_id: int) -> Board:
    """The board if `viewer` may see it (`Board.objects.visible_to`), else 404."""
    board = Board.objects.visible_to(viewer).select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404("No such board.")
    return board


def board_get_owned(*, user, board_id: int) -> Board:
    board = Board.objects.filter(pk=board_id, owner=user).first() if user.is_authenticated else None
    if board is None:
        raise Http404("No such board.")
    return board


def board_notes(*, board: Board, viewer) -> QuerySet:
    """The notes of a board `viewer` may see, most recently collected first (`collected_at`)."""
    return (
        notes_annotate_viewer(
            Note.objects.visible_to(viewer)
            .published()
            .filter(board_entries__board=board)
            .for_cards(),
            viewer=viewer,
        )
        .annotate(collected_at=F("board_entries__created_at"))
        .order_by("-collected_at", "-id")
    )


BOARD_COVERS = 3


def boards_annotate_cards(queryset: QuerySet, *, viewer) -> QuerySet:
    """Add what a board card shows, in a constant number of queries: `note_count` (the notes
    `viewer` may see in it) and `cover_entries` (its most recently collected visible notes,
    up to BOARD_COVERS, each with `note` and the note's images)."""
    visible = Note.objects.visible_to(viewer).published()
    counts = (
        BoardNote.objects.filter(board=OuterRef("pk"), note__in=visible)
        .order_by()
        .values("board")
        .annotate(n=Count("pk"))
        .values("n")
    )
    covers = (
        BoardNote.objects.filter(note__in=visible)
        .select_related("note")
        .order_by("-created_at", "-id")
    )
    return (
        queryset.select_related("owner")
        .annotate(note_count=Coalesce(Subquery(counts), 0))
        .prefetch_related(
            Prefetch("entries", queryset=covers[:BOARD_COVERS], to_attr="cover_entries"),
            Prefetch(
                "cover_entries__note__images", queryset=NoteImage.objects.order_by("position")
            ),
        )
    )


SAVED_LISTED_AT = datetime(9999, 1, 1, tzinfo=UTC)


def board_cards_of(*, owner, viewer) -> QuerySet:
    """`owner`'s boards that `viewer` may see, as cards; "Saved" first, then newest."""
    qs = Board.objects.visible_to(viewer).filter(owner=owner)
    return (
        boards_annotate_cards(qs, viewer=viewer)
        .annotate(
            # The keyset score of a board list: "Saved" sorts above every real creation time.
            listed_at=Case(
                When(is_default=True, then=Value(SAVED_LISTED_AT)),
                default=F("created_at"),
                output_field=DateTimeField(),
            )
        )
        .order_by("-listed_at", "-id")
    )


def board_card_get_visible(*, viewer, board_id: int) -> Board:
    """A board as a card if `viewer` may see it (public, or their own), else 404."""
    board = boards_annotate_cards(
        Board.objects.visible_to(viewer).filter(pk=board_id), viewer=viewer
    ).first()
    if board is None:
        raise Http404("No such board.")
    return board


def hashtag_get(*, name: str) -> Hashtag:
    """The hashtag stored under the normalised `name`, else 404."""
    tag = Hashtag.objects.filter(name=hashtag_normalize(name)).first()
    if tag is None:
        raise Http404("No such hashtag.")
    return tag


def boards_for_picker(*, user, note: Note) -> QuerySet:
    """`user`'s boards for the collect picker, "Saved" first, each with `has_note` (bool)."""
    return Board.objects.filter(owner=user).annotate(
        has_note=Exists(BoardNote.objects.filter(board=OuterRef("pk"), note=note))
    )
