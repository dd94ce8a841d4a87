from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Follow, blocked_either_way, muted_by

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 2000
LOCATION_MAX_LENGTH = 80
ALT_TEXT_MAX_LENGTH = 500
MAX_IMAGES = 18
BOARD_NAME_MAX_LENGTH = 50
BOARD_DESCRIPTION_MAX_LENGTH = 200


# Originals and renditions live in the private storage: nothing under it has a public URL;
# renditions are served by a view that checks the note's visibility first.
# A callable, not the storage itself: migrations then record `notes.models.private_storage`
# rather than this machine's directory (which made `makemigrations --check` fail elsewhere).
def private_storage():
    return storages["private"]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    FOLLOWERS = "followers", pgettext_lazy("visibility", "Followers")
    PRIVATE = "private", _("Only me")


class NoteStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    # A keyword rule held it for review (`moderation.services.holds`): only its author sees
    # it, like a note still processing, until a moderator approves it (then it is published).
    HELD = "held", pgettext_lazy("hold status", "Waiting for review")


class HashtagGroup(models.Model):
    """Hashtags moderators linked as one topic across languages (#美食 ↔ #food): each tag's
    page shows the notes of the whole group, and following one tag follows the group.

    A tag belongs to at most one group (`Hashtag.group`); the links of its notes carry a copy of
    that group (`NoteHashtag.group`) so a group's page walks one index, newest first. Written
    only through `notes.services.hashtag_groups`, which keeps those copies right."""

    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("For moderators only; the tags' pages show the tags themselves."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("hashtag group")
        verbose_name_plural = _("hashtag groups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or gettext("Hashtag group %(id)s") % {"id": self.pk}


class Hashtag(models.Model):
    """A topic. `name` is the normalised key (NFKC + casefold); `display_name` as first typed.
    `group`: the tags it is linked with across languages, if any (`HashtagGroup`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    display_name = models.CharField(_("display name"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    group = models.ForeignKey(
        HashtagGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hashtags",
        verbose_name=_("group"),
    )

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")

    def __str__(self) -> str:
        return f"#{self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("feeds:tag", kwargs={"name": self.name})


def note_published_q(*, state: str = "") -> Q:
    """Published and not hidden. `state` as in `note_visible_q`."""
    return Q(**{f"{state}status": NoteStatus.PUBLISHED, f"{state}is_hidden": False})


def note_visible_q(viewer, *, state: str = "") -> Q:
    """The one rule for "note visible to this viewer", as a condition on notes: not hidden,
    by an active author who is not in a block with the viewer (either way), and published and
    public, or followers-only with the viewer following; or the viewer's own (in every status).

    `state` is the path to the columns holding the note's status, visibility and hidden flag:
    "" for the note's own, "hashtag_links__" for the copies its link to a hashtag carries
    (`NoteHashtag`), so a tag page filters that link's index before it reads a note. The
    author's conditions always read the note's own `author`."""
    hidden, status, visibility = (f"{state}{c}" for c in ("is_hidden", "status", "visibility"))
    rule = Q(**{hidden: False, "author__is_active": True})
    if viewer is None or not viewer.is_authenticated:
        return rule & Q(**{status: NoteStatus.PUBLISHED, visibility: Visibility.PUBLIC})
    follows = Follow.objects.filter(follower=viewer, followee=models.OuterRef("author_id"))
    others = (
        Q(**{status: NoteStatus.PUBLISHED})
        & (
            Q(**{visibility: Visibility.PUBLIC})
            | (Q(**{visibility: Visibility.FOLLOWERS}) & models.Exists(follows))
        )
        & ~Q(blocked_either_way(viewer, user="author_id"))
    )
    return rule & (Q(author=viewer) | others)


class NoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(note_published_q())

    def visible_to(self, viewer):
        """Notes `viewer` may see (`note_visible_q`, the one rule). Pages, the API, image
        renditions and the feed store all filter with this."""
        return self.filter(note_visible_q(viewer))

    def without_muted_by(self, viewer):
        """Leave out notes by people `viewer` muted (feeds, discover and tag lists; a
        profile and a note page still show them)."""
        return self.exclude(muted_by(viewer, user="author_id"))

    def for_cards(self):
        """What a note card needs from the row: its author. Not its photos: the card cache
        (`notes.cards.note_cards_html`) loads them, in one query, only for the cards it has
        to render, and the API's note JSON (`notes.representation`) keeps them in the cache;
        prefetched here they cost a query on every page (3.5 → 1.4 ms for 20 notes). A
        caller that shows photos itself prefetches them (`note_get_visible`)."""
        return self.select_related("author")


class Note(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(
        _("body"),
        max_length=BODY_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    location = models.CharField(_("location"), max_length=LOCATION_MAX_LENGTH, blank=True)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("BCP 47 code of the language the note is written in; 'mixed' for several."),
    )
    language_main = models.CharField(
        _("main language"),
        max_length=16,
        blank=True,
        help_text=_(
            "BCP 47 code of the note's main language: the language itself, or for mixed text "
            "the one most of it is written in; empty when unknown."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NoteStatus.choices, default=NoteStatus.PROCESSING
    )
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hashtags = models.ManyToManyField(
        Hashtag, related_name="notes", blank=True, through="NoteHashtag"
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    collect_count = models.PositiveIntegerField(_("collects"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["author", "-published_at"], name="note_author_published"),
            models.Index(fields=["status", "visibility", "-published_at"], name="note_feed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="note_like_count_gte_0"),
            models.CheckConstraint(
                condition=Q(collect_count__gte=0), name="note_collect_count_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(comment_count__gte=0), name="note_comment_count_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="note_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=NoteStatus.values), name="note_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:40] or f"Note {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("notes:detail", kwargs={"note_id": self.pk})

    @property
    def headline(self) -> str:
        """The card title: the title, else the first line of the body."""
        return self.title or (self.body.strip().splitlines() or [""])[0][:TITLE_MAX_LENGTH]

    @property
    def cover(self):
        images = list(self.images.all())
        return images[0] if images else None


# The note's columns each of its hashtag links carries a copy of (`NoteHashtag`).
NOTE_STATE_COLUMNS = ("published_at", "status", "visibility", "is_hidden")


class NoteHashtagQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Make links with their notes' current state copied in (NOTE_STATE_COLUMNS).
        `Note.hashtags.add/set/create` make their links through here, so a link is right
        from its first row whoever adds it."""
        objs = list(objs)
        states = Note.objects.filter(pk__in={link.note_id for link in objs}).values(
            "pk", *NOTE_STATE_COLUMNS
        )
        by_note = {state.pop("pk"): state for state in states}
        groups = dict(
            Hashtag.objects.filter(
                pk__in={link.hashtag_id for link in objs}, group__isnull=False
            ).values_list("pk", "group_id")
        )
        for link in objs:
            for column, value in by_note.get(link.note_id, {}).items():
                setattr(link, column, value)
            link.group_id = groups.get(link.hashtag_id)
        return super().bulk_create(objs, *args, **kwargs)

    def follow_notes(self, note_ids) -> int:
        """Copy the notes' current state (NOTE_STATE_COLUMNS) onto their links: in the
        transaction that changed it, after the change (`notes.services` does, on every path
        that writes those columns). Returns how many links were written."""
        own = Note.objects.filter(pk=models.OuterRef("note_id"))
        return self.filter(note_id__in=list(note_ids)).update(
            **{column: models.Subquery(own.values(column)[:1]) for column in NOTE_STATE_COLUMNS}
        )


class NoteHashtag(models.Model):
    """A note carries a hashtag. The link also holds a copy of what a tag page sorts and
    filters its notes by — the note's publication time, status, visibility and hidden flag —
    so the page walks the index (hashtag, newest first) of the links and reads a note only for
    the rows it shows, whatever the tag's size or age. The copies are written when the link is
    made (`NoteHashtagQuerySet.bulk_create`) and by every notes service that changes them
    (`NoteHashtagQuerySet.follow_notes`). Until then a link shows its note nowhere: its
    defaults (processing, private, hidden) fail closed."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="hashtag_links")
    # No index of its own: the (hashtag, published_at, note) index below starts with it.
    hashtag = models.ForeignKey(
        Hashtag, on_delete=models.CASCADE, related_name="note_links", db_index=False
    )
    published_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=NoteStatus.choices, db_default=NoteStatus.PROCESSING
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, db_default=Visibility.PRIVATE
    )
    is_hidden = models.BooleanField(db_default=True)
    # A copy of the hashtag's group (`Hashtag.group`), so the page of a linked tag walks the
    # group's links newest first in one index (`note_hashtag_group_latest`) instead of merging
    # each tag's. Written when the link is made (`bulk_create`) and whenever moderators link or
    # unlink the tag (`notes.services.hashtag_groups`).
    group = models.ForeignKey(
        HashtagGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    objects = NoteHashtagQuerySet.as_manager()

    class Meta:
        # The table the many-to-many field made before this model took it over.
        db_table = "notes_note_hashtags"
        unique_together = [("note", "hashtag")]
        indexes = [
            models.Index(fields=["hashtag", "-published_at", "-note"], name="note_hashtag_latest"),
            models.Index(
                fields=["group", "-published_at", "-note"],
                condition=Q(group__isnull=False),
                name="note_hashtag_group_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} #{self.hashtag_id}"


class ImageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class RenditionKind(models.TextChoices):
    DISPLAY = "display", _("Display")
    GRID = "grid", _("Grid")


class NoteImage(models.Model):
    """An uploaded photo: its private original and, once processed, its web renditions.

    Uploaded first (owner set, note empty), attached to a note on posting, in order.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_images"
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="images", null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=ALT_TEXT_MAX_LENGTH, blank=True)
    original = models.FileField(storage=private_storage, max_length=255)
    original_format = models.CharField(max_length=10)
    original_width = models.PositiveIntegerField()
    original_height = models.PositiveIntegerField()
    original_size = models.PositiveIntegerField()
    display = models.FileField(storage=private_storage, max_length=255, blank=True)
    grid = models.FileField(storage=private_storage, max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    grid_width = models.PositiveIntegerField(null=True, blank=True)
    grid_height = models.PositiveIntegerField(null=True, blank=True)
    placeholder_color = models.CharField(max_length=7, blank=True)
    status = models.CharField(
        max_length=10, choices=ImageStatus.choices, default=ImageStatus.PENDING
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    # Deliveries of the image task that began decoding this photo, counted (and committed)
    # before each decode: a photo that keeps killing its worker is failed, not retried forever.
    processing_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note image")
        verbose_name_plural = _("note images")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "position"],
                condition=Q(note__isnull=False),
                name="note_image_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Image {self.pk} of note {self.note_id}"

    def rendition_name(self, kind: str) -> str:
        """Where the worker writes this photo's rendition: fixed, so reruns replace it and a
        deletion can remove it even before the worker has recorded it."""
        return f"renditions/{self.owner_id}/{self.pk}-{kind}.webp"

    def url(self, kind: str = RenditionKind.DISPLAY) -> str:
        return reverse(
            "notes:image",
            kwargs={"note_id": self.note_id, "image_id": self.pk, "kind": kind},
        )

    @property
    def display_url(self) -> str:
        return self.url(RenditionKind.DISPLAY)

    @property
    def grid_url(self) -> str:
        return self.url(RenditionKind.GRID)

    @property
    def aspect_ratio(self) -> float:
        w = self.width or self.original_width
        h = self.height or self.original_height
        return round(w / h, 4) if w and h else 1.0


class NoteLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_likes"
    )
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["user", "note"], name="note_like_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.note_id}"


class BoardQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The one rule for "board visible to this viewer": the viewer's own boards, and
        others' public boards."""
        public = self.filter(is_private=False)
        if viewer is None or not viewer.is_authenticated:
            return public
        return self.filter(Q(owner=viewer) | Q(is_private=False))


class Board(models.Model):
    """A collection of notes. Every user has one default board, "Saved"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boards"
    )
    name = models.CharField(_("name"), max_length=BOARD_NAME_MAX_LENGTH)
    description = models.CharField(
        _("description"), max_length=BOARD_DESCRIPTION_MAX_LENGTH, blank=True
    )
    is_private = models.BooleanField(_("private"), default=False)
    is_default = models.BooleanField(default=False, editable=False)
    notes = models.ManyToManyField(Note, through="BoardNote", related_name="boards")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="board_name_unique"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="board_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notes:board", kwargs={"board_id": self.pk})

    @property
    def label(self) -> str:
        """The name to show: the default board is "Saved" in the reader's language, whatever
        language was active when it was created."""
        return gettext("Saved") if self.is_default else self.name


class BoardNote(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="entries")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="board_entries")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "note"], name="board_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} in {self.board_id}"


class NoteSearchDocument(models.Model):
    """A note's full-text search document (`notes.search`): its jieba-segmented title, tags,
    text and place as a weighted `tsvector`, kept current by the notes services.

    A table of its own rather than a column of Note: the document is a few kilobytes that no
    card, feed or counter update needs to read or rewrite. PostgreSQL only — its GIN index is
    made by migration 0003 there; on SQLite (the quick start) no row is written and search
    falls back to a contains match (`feeds.search`).
    """

    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("note search document")
        verbose_name_plural = _("note search documents")

    def __str__(self) -> str:
        return f"Search document of note {self.note_id}"


COMMENT_MAX_LENGTH = 500


def comment_shown_q(viewer, *, prefix: str = "") -> Q:
    """The one rule for "this comment may be shown to `viewer`", as a condition on comments
    (`prefix` the path to a comment, e.g. "parent__"): not hidden by moderators, not held for
    review (unless the viewer wrote it), by an active author, and the author not in a block
    with the viewer either way. The note's own visibility is checked before
    (`note_get_visible`): a thread is read only for a note the viewer may see."""
    author = f"{prefix}author_id"
    # Held by a keyword rule: shown to its author only, until a moderator approves it.
    released = Q(**{f"{prefix}is_held": False})
    if viewer is not None and viewer.is_authenticated:
        released |= Q(**{author: viewer.pk})
    return (
        Q(**{f"{prefix}is_hidden": False, f"{prefix}author__is_active": True})
        & released
        & ~Q(blocked_either_way(viewer, user=author))
    )


class CommentQuerySet(models.QuerySet):
    def shown_to(self, viewer):
        """Comments `viewer` may see under a note they may see (`comment_shown_q`). A reply
        is shown only while its top-level comment is: a block with the person who opened the
        thread hides the whole thread."""
        return self.shown_under(viewer).exclude(
            Q(parent__isnull=False) & ~Q(comment_shown_q(viewer, prefix="parent__"))
        )

    def shown_under(self, viewer):
        """`shown_to` for comments whose top-level comment is known to be shown (or that are
        top-level themselves): the comment's own conditions only, so a thread page walks its
        index without joining each row's parent."""
        return self.filter(comment_shown_q(viewer))

    def annotate_viewer(self, viewer):
        """Add `viewer_liked` (the viewer liked it) and `collapsed` (its author is muted by
        the viewer: shown folded, as RedNote does) — in the same query as the comments."""
        false = models.Value(False, output_field=models.BooleanField())
        if viewer is None or not viewer.is_authenticated:
            return self.annotate(viewer_liked=false, collapsed=false)
        return self.annotate(
            viewer_liked=models.Exists(
                CommentLike.objects.filter(user=viewer, comment=models.OuterRef("pk"))
            ),
            collapsed=muted_by(viewer, user="author_id"),
        )


class Comment(models.Model):
    """A comment on a note, in two levels as on RedNote: a top-level comment (`parent` null)
    and its replies (`parent` the top-level comment). A reply to a reply is filed under the
    same top-level comment and records the person answered in `reply_to` ("Reply @name").

    Counters are kept by `notes.services.comments` with F() updates in the writing transaction:
    `like_count` (CommentLike rows), `reply_count` (replies of a top-level comment, hidden ones
    included), and the note's `comment_count` (every comment, replies included)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person a reply answers (shown as “Reply @name”)."),
    )
    body = models.TextField(
        _("comment"),
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("BCP 47 code of the language the comment is written in; 'mixed' for several."),
    )
    language_main = models.CharField(
        _("main language"),
        max_length=16,
        blank=True,
        help_text=_(
            "BCP 47 code of the comment's main language: the language itself, or for mixed text "
            "the one most of it is written in; empty when unknown."
        ),
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in_comments", blank=True
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    # Held by a keyword rule (`moderation.services.holds`): in the thread for its author only,
    # uncounted and unannounced until a moderator approves it.
    is_held = models.BooleanField(_("waiting for review"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A thread's top-level comments, newest first. Partial: PostgreSQL does not take
            # `parent IS NULL` as fixing a column of a (note, parent, ...) index for the order.
            models.Index(
                fields=["note", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="comment_top_level",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="comment_like_count_gte_0"),
            models.CheckConstraint(
                condition=Q(reply_count__gte=0), name="comment_reply_count_gte_0"
            ),
            # Only a reply answers someone.
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(reply_to__isnull=True),
                name="comment_reply_to_only_on_replies",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40] or f"Comment {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.note.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ comment {self.comment_id}"
