"""Notes services: posting, editing, withdrawing, likes, collections and boards."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from notes import services
from notes.models import (
    MAX_IMAGES,
    Board,
    BoardNote,
    Hashtag,
    ImageStatus,
    Note,
    NoteImage,
    NoteLike,
    NoteStatus,
    Visibility,
)
from tests.factories import BoardFactory, NoteFactory, NoteImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _circulation(captured_events) -> list[tuple[str, int]]:
    """`note_published` / `note_withdrawn` sent (the shared capture) as (kind, note_id)."""
    return [
        (name.removeprefix("note_"), kwargs["note_id"])
        for name, kwargs in captured_events.sent
        if name in ("note_published", "note_withdrawn")
    ]


def _uploads(owner, n: int = 1) -> list[NoteImage]:
    return [NoteImageFactory(owner=owner, pending=True) for _ in range(n)]


def _post(author, n: int = 1, **fields) -> Note:
    ids = [image.pk for image in _uploads(author, n)]
    fields.setdefault("title", "A day in Suzhou")
    return services.note_create(author=author, media_ids=ids, **fields)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- media_upload -----------------------------------------------------------------------


def _jpeg(size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "#c0ffee").save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_media_upload_keeps_the_original_privately(user):
    image = services.media_upload(owner=user, file=_jpeg(), alt_text="  a teal square ")
    assert (image.owner, image.note, image.status) == (user, None, ImageStatus.PENDING)
    assert (image.original_format, image.original_width, image.original_height) == ("JPEG", 40, 30)
    assert image.alt_text == "a teal square"
    assert image.original.name.startswith(f"originals/{user.pk}/")
    assert image.original.storage.exists(image.original.name)


def test_media_upload_refuses_a_non_image_naming_file(user):
    fake = SimpleUploadedFile("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ValidationError) as exc_info:
        services.media_upload(owner=user, file=fake)
    assert list(_errors(exc_info)) == ["file"]
    assert not NoteImage.objects.exists()


def test_media_upload_refuses_long_alt_text(user):
    with pytest.raises(ValidationError) as exc_info:
        services.media_upload(owner=user, file=_jpeg(), alt_text="x" * 501)
    assert list(_errors(exc_info)) == ["alt_text"]
    assert not NoteImage.objects.exists()


# --- note_create: validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "x" * 101}, "title"),
        ({"title": "", "body": ""}, "title"),
        ({"title": "   ", "body": "  \n "}, "title"),
        ({"body": "x" * 2001}, "body"),
        ({"location": "x" * 81}, "location"),
        ({"visibility": "everyone"}, "visibility"),
        ({"language": "klingon"}, "language"),
    ],
)
def test_note_create_refuses_bad_fields_and_stores_nothing(user, fields, field):
    images = _uploads(user)
    fields = {"title": "ok", **fields}
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[images[0].pk], **fields)
    assert field in _errors(exc_info)
    assert not Note.objects.exists()
    images[0].refresh_from_db()
    assert images[0].note_id is None


def test_note_create_accepts_the_limits_exactly(user):
    note = _post(user, MAX_IMAGES, title="t" * 100, body="b" * 2000, location="l" * 80)
    assert note.images.count() == MAX_IMAGES
    assert (len(note.title), len(note.body), len(note.location)) == (100, 2000, 80)


@pytest.mark.parametrize("count", [0, MAX_IMAGES + 1])
def test_note_create_needs_one_to_eighteen_photos(user, count):
    ids = [image.pk for image in _uploads(user, count)]
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=ids, title="t")
    assert list(_errors(exc_info)) == ["media_ids"]
    assert not Note.objects.exists()


def test_note_create_refuses_a_photo_twice(user):
    (image,) = _uploads(user)
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[image.pk, image.pk], title="t")
    assert list(_errors(exc_info)) == ["media_ids"]


def test_note_create_refuses_someone_elses_photo(user, other_user):
    mine, theirs = _uploads(user)[0], _uploads(other_user)[0]
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[mine.pk, theirs.pk], title="t")
    assert str(theirs.pk) in _errors(exc_info)["media_ids"][0]
    assert not Note.objects.exists()
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.note_id is None and mine.note_id is None


def test_note_create_refuses_a_photo_already_in_a_note(user):
    first = _post(user)
    used = first.images.get()
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[used.pk], title="again")
    assert list(_errors(exc_info)) == ["media_ids"]
    assert Note.objects.count() == 1
    used.refresh_from_db()
    assert used.note_id == first.pk


def test_note_create_refuses_unknown_photo_ids(user):
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[987654], title="t")
    assert "987654" in _errors(exc_info)["media_ids"][0]


def test_note_create_refuses_long_alt_text(user):
    (image,) = _uploads(user)
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(
            author=user, media_ids=[image.pk], title="t", alt_texts={image.pk: "x" * 501}
        )
    assert list(_errors(exc_info)) == ["alt_texts"]
    assert not Note.objects.exists()


def test_note_create_reports_every_bad_field_at_once(user):
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(author=user, media_ids=[], title="x" * 101, visibility="nope")
    assert {"title", "visibility", "media_ids"} <= set(_errors(exc_info))


# --- note_create: what is stored ---------------------------------------------------------


def test_note_create_keeps_the_photo_order_given(user):
    a, b, c = _uploads(user, 3)
    note = services.note_create(
        author=user,
        media_ids=[c.pk, a.pk, b.pk],
        title="order",
        alt_texts={a.pk: " the second ", c.pk: "the cover"},
    )
    images = list(note.images.order_by("position"))
    assert [i.pk for i in images] == [c.pk, a.pk, b.pk]
    assert [i.position for i in images] == [0, 1, 2]
    assert [i.alt_text for i in images] == ["the cover", "the second", ""]
    assert note.cover.pk == c.pk


def test_note_create_starts_processing_with_trimmed_text(user):
    note = _post(
        user, title="  Suzhou  ", body=" gardens \n", location=" 苏州 ", visibility="followers"
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.PROCESSING and note.published_at is None
    assert (note.title, note.body, note.location) == ("Suzhou", "gardens", "苏州")
    assert note.visibility == Visibility.FOLLOWERS
    assert (note.like_count, note.collect_count, note.comment_count) == (0, 0, 0)


def test_note_create_stores_hashtags_normalised_with_display_form(user):
    note = _post(
        user,
        title="#TikTokRefugee arrives",
        body="去了#苏州园林[话题]# ＃穿搭 #ＯＯＴＤ #tiktokrefugee #话题# "
        "C# https://x.com/a#b &#39;",
    )
    tags = {t.name: t.display_name for t in note.hashtags.all()}
    assert tags == {
        "tiktokrefugee": "TikTokRefugee",
        "苏州园林": "苏州园林",
        "穿搭": "穿搭",
        "ootd": "ＯＯＴＤ",
        "话题": "话题",
    }


def test_note_create_reuses_an_existing_hashtag_whatever_its_case(user):
    Hashtag.objects.create(name="cattax", display_name="CatTax")
    note = _post(user, body="#CATTAX")
    assert list(note.hashtags.values_list("name", "display_name")) == [("cattax", "CatTax")]
    assert Hashtag.objects.count() == 1


def test_note_create_resolves_mentions_to_active_people(user):
    bob = UserFactory(handle="Bob_Lee")
    UserFactory(handle="gone", is_active=False)
    note = _post(user, body="谢谢@bob_lee, @gone and @nobody; mail me at alice@example.com")
    assert list(note.mentions.all()) == [bob]


# --- Publishing and events ---------------------------------------------------------------


def test_note_is_published_after_its_photos_are_processed(
    user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = _post(user, 2)
        assert _circulation(captured_events) == []  # nothing before commit
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED and note.published_at is not None
    assert set(note.images.values_list("status", flat=True)) == {ImageStatus.READY}
    assert _circulation(captured_events) == [
        ("published", note.pk)
    ]  # once, though two photos finished


def test_note_create_rolled_back_enqueues_and_sends_nothing(
    user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _post(user)
            raise RuntimeError("the request failed after posting")
    assert callbacks == []
    assert _circulation(captured_events) == []
    assert not Note.objects.exists()


def test_note_failed_photo_fails_the_note_with_a_reason(
    user, captured_events, django_capture_on_commit_callbacks
):
    image = NoteImageFactory(owner=user, pending=True)
    image.original.storage.delete(image.original.name)
    image.original.storage.save(image.original.name, io.BytesIO(b"not a jpeg any more"))
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(author=user, media_ids=[image.pk], title="broken")
    note.refresh_from_db()
    assert note.status == NoteStatus.FAILED
    assert "1" in note.failure_reason
    assert _circulation(captured_events) == []


def test_note_delete_sends_withdrawn_and_removes_files_after_commit(
    user, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user, images=2)
    note_id = note.pk
    files = [
        (f.storage, f.name) for i in note.images.all() for f in (i.original, i.display, i.grid)
    ]
    assert all(storage.exists(name) for storage, name in files)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_delete(note=note)
        # Until the deletion commits, the files are still there (a rollback keeps them).
        assert all(storage.exists(name) for storage, name in files)
    assert not any(storage.exists(name) for storage, name in files)
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert _circulation(captured_events) == [("withdrawn", note_id)]


def test_note_delete_rolled_back_keeps_files_and_sends_nothing(
    user, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user)
    note_id, image = note.pk, note.images.get()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.note_delete(note=note)
            raise RuntimeError("rolled back")
    assert Note.objects.filter(pk=note_id).exists()
    assert image.display.storage.exists(image.display.name)
    assert _circulation(captured_events) == []


def test_note_delete_of_an_unpublished_note_sends_nothing(
    user, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user, processing=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_delete(note=note)
    assert _circulation(captured_events) == []


def test_note_hide_and_unhide_send_withdrawn_then_published_once(
    user, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_hide(target=note)
        services.note_hide(target=note)  # already hidden: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        services.note_unhide(target=note)
        services.note_unhide(target=note)
    assert _circulation(captured_events) == [("withdrawn", note.pk), ("published", note.pk)]
    note.refresh_from_db()
    assert note.is_hidden is False


def test_note_hide_takes_the_note_out_of_every_selector(user, other_user):
    from notes import selectors

    note = NoteFactory(author=user)
    services.note_hide(target=note)
    assert not selectors.notes_recent_public(viewer=other_user).filter(pk=note.pk).exists()
    assert not selectors.notes_of_author(author=user, viewer=user).filter(pk=note.pk).exists()


# --- note_update ----------------------------------------------------------------------


def test_note_update_reparses_hashtags_and_mentions(user):
    bob = UserFactory(handle="bob")
    note = _post(user, body="#old @bob")
    assert [t.name for t in note.hashtags.all()] == ["old"]
    services.note_update(note=note, body="#New ＃新的 and no one")
    note.refresh_from_db()
    assert sorted(note.hashtags.values_list("name", flat=True)) == ["new", "新的"]
    assert not note.mentions.exists()
    assert Hashtag.objects.filter(name="old").exists()  # tags are kept for other notes
    assert bob.mentioned_in.count() == 0


def test_note_update_changes_only_given_fields(user):
    note = _post(user, title="Title", body="Body", location="Paris")
    services.note_update(note=note, visibility="private")
    note.refresh_from_db()
    assert (note.title, note.body, note.location, note.visibility) == (
        "Title",
        "Body",
        "Paris",
        "private",
    )


def test_note_update_validates_and_stores_nothing_on_error(user):
    note = _post(user, title="Title")
    with pytest.raises(ValidationError) as exc_info:
        services.note_update(note=note, title="x" * 101, body="#new")
    assert list(_errors(exc_info)) == ["title"]
    note.refresh_from_db()
    assert note.title == "Title" and not note.hashtags.exists()


def test_note_update_narrowing_visibility_withdraws_from_those_who_lost_access(
    user, captured_events, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=note, visibility="followers")
    assert _circulation(captured_events) == [("withdrawn", note.pk)]
    assert captured_events.of("note_withdrawn")[0]["visibility"] == "followers"


# --- Likes ---------------------------------------------------------------------------------


def test_note_like_is_idempotent(user):
    note = NoteFactory()
    assert services.note_like(user=user, note=note) is True
    assert services.note_like(user=user, note=note) is False
    note.refresh_from_db()
    assert note.like_count == 1
    assert NoteLike.objects.filter(note=note).count() == 1


def test_note_like_counts_each_person(user, other_user):
    note = NoteFactory()
    services.note_like(user=user, note=note)
    services.note_like(user=other_user, note=note)
    note.refresh_from_db()
    assert note.like_count == 2


def test_note_unlike_never_goes_negative(user):
    note = NoteFactory()
    assert services.note_unlike(user=user, note=note) is False
    services.note_like(user=user, note=note)
    assert services.note_unlike(user=user, note=note) is True
    assert services.note_unlike(user=user, note=note) is False
    note.refresh_from_db()
    assert note.like_count == 0
    # Even with a counter already at zero (drift), removing a like leaves it at zero.
    NoteLike.objects.create(user=user, note=note)
    services.note_unlike(user=user, note=note)
    note.refresh_from_db()
    assert note.like_count == 0


# --- Collections ---------------------------------------------------------------------------


def _collect_count(note: Note) -> int:
    note.refresh_from_db()
    return note.collect_count


def test_note_collect_defaults_to_saved_and_is_idempotent(user):
    note = NoteFactory()
    services.note_collect(user=user, note=note)
    services.note_collect(user=user, note=note)
    saved = Board.objects.get(owner=user, is_default=True)
    assert saved.is_private
    assert list(saved.notes.all()) == [note]
    assert _collect_count(note) == 1


def test_note_collect_counts_people_not_boards(user):
    note = NoteFactory()
    trips, food = (services.board_create(owner=user, name=n) for n in ("Trips", "Food"))
    services.note_collect(user=user, note=note, board=trips)
    services.note_collect(user=user, note=note, board=food)
    assert _collect_count(note) == 1
    assert BoardNote.objects.filter(note=note).count() == 2

    services.note_uncollect(user=user, note=note, board=trips)
    assert _collect_count(note) == 1
    services.note_uncollect(user=user, note=note, board=food)
    assert _collect_count(note) == 0
    services.note_uncollect(user=user, note=note, board=food)
    assert _collect_count(note) == 0


def test_note_uncollect_without_board_removes_it_from_all(user, other_user):
    note = NoteFactory()
    trips = services.board_create(owner=user, name="Trips")
    services.note_collect(user=user, note=note, board=trips)
    services.note_collect(user=user, note=note)
    services.note_collect(user=other_user, note=note)
    assert _collect_count(note) == 2
    assert services.note_uncollect(user=user, note=note) is True
    assert _collect_count(note) == 1
    assert not BoardNote.objects.filter(board__owner=user).exists()


def test_note_collect_refuses_someone_elses_board(user, other_user):
    note = NoteFactory()
    theirs = BoardFactory(owner=other_user)
    with pytest.raises(ValidationError) as exc_info:
        services.note_collect(user=user, note=note, board=theirs)
    assert list(_errors(exc_info)) == ["board"]
    with pytest.raises(ValidationError):
        services.note_uncollect(user=user, note=note, board=theirs)
    assert _collect_count(note) == 0 and not BoardNote.objects.exists()


def test_board_delete_uncollects_notes_held_only_there(user):
    only_here, also_saved = NoteFactory(), NoteFactory()
    trips = services.board_create(owner=user, name="Trips")
    for note in (only_here, also_saved):
        services.note_collect(user=user, note=note, board=trips)
    services.note_collect(user=user, note=also_saved)
    services.board_delete(board=trips)
    assert (_collect_count(only_here), _collect_count(also_saved)) == (0, 1)


# --- Boards --------------------------------------------------------------------------------


def test_board_create_makes_saved_first(user):
    board = services.board_create(owner=user, name=" Trips ", description=" far ", is_private=True)
    assert (board.name, board.description, board.is_private) == ("Trips", "far", True)
    assert list(Board.objects.filter(owner=user).values_list("name", "is_default")) == [
        ("Saved", True),
        ("Trips", False),
    ]


@pytest.mark.parametrize("name", ["trips", "TRIPS", " Trips "])
def test_board_create_refuses_a_duplicate_name_in_any_case(user, name):
    services.board_create(owner=user, name="Trips")
    with pytest.raises(ValidationError) as exc_info:
        services.board_create(owner=user, name=name)
    assert list(_errors(exc_info)) == ["name"]
    assert Board.objects.filter(owner=user, is_default=False).count() == 1


def test_board_create_allows_the_same_name_for_two_people(user, other_user):
    mine = services.board_create(owner=user, name="Trips")
    theirs = services.board_create(owner=other_user, name="Trips")

    assert mine.pk != theirs.pk
    assert {(board.owner, board.name) for board in Board.objects.filter(name="Trips")} == {
        (user, "Trips"),
        (other_user, "Trips"),
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"description": "x" * 201}, "description"),
    ],
)
def test_board_create_validates(user, fields, field):
    with pytest.raises(ValidationError) as exc_info:
        services.board_create(owner=user, **{"name": "ok", **fields})
    assert field in _errors(exc_info)
    assert not Board.objects.filter(is_default=False).exists()


def test_board_saved_cannot_be_deleted_or_renamed(user):
    saved = services.board_get_or_create_saved(owner=user)
    with pytest.raises(ValidationError) as exc_info:
        services.board_delete(board=saved)
    assert list(_errors(exc_info)) == ["board"]
    with pytest.raises(ValidationError) as exc_info:
        services.board_update(board=saved, name="Favourites")
    assert list(_errors(exc_info)) == ["name"]
    saved.refresh_from_db()
    assert saved.name == "Saved"
    # Its description and privacy may change.
    services.board_update(board=saved, description="everything", is_private=False)
    saved.refresh_from_db()
    assert (saved.description, saved.is_private) == ("everything", False)


def test_board_get_or_create_saved_returns_the_same_board(user):
    first = services.board_get_or_create_saved(owner=user)
    assert services.board_get_or_create_saved(owner=user) == first
    assert Board.objects.filter(owner=user).count() == 1


def test_board_update_renames_but_refuses_another_boards_name(user):
    services.board_create(owner=user, name="Food")
    trips = services.board_create(owner=user, name="Trips")
    services.board_update(board=trips, name="trips")  # its own name in another case
    with pytest.raises(ValidationError) as exc_info:
        services.board_update(board=trips, name="FOOD")
    assert list(_errors(exc_info)) == ["name"]
    trips.refresh_from_db()
    assert trips.name == "trips"


def test_note_delete_removes_renditions_written_but_not_yet_recorded(
    user, django_capture_on_commit_callbacks
):
    """A worker may write a photo's renditions just before the note is deleted, without having
    saved their names on the row yet: deletion removes the fixed names too."""
    image = NoteImageFactory(owner=user, pending=True)
    note = services.note_create(author=user, media_ids=[image.pk], title="gone soon")
    image.refresh_from_db()
    storage = image.original.storage
    written = [image.rendition_name(kind) for kind in ("display", "grid")]
    for name in written:
        storage.save(name, io.BytesIO(b"webp bytes"))
    assert not image.display and all(storage.exists(name) for name in written)

    with django_capture_on_commit_callbacks(execute=True):
        services.note_delete(note=note)

    assert not any(storage.exists(name) for name in written)
    assert not storage.exists(image.original.name)
