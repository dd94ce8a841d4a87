"""The demo photos and `seed_demo`'s notes, likes and boards.

Seeding the whole data set processes 190 photos (most of a minute of CPU), so one test loads
it all and checks everything it stored; the others load the first few notes with `--notes N`.
"""

import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image, ImageOps, ImageStat
from PIL.ExifTags import GPS, IFD, Base

from accounts.models import User
from notes.demo import NOTES_SPAN, demo_photo_path
from notes.models import (
    Board,
    BoardNote,
    Hashtag,
    ImageStatus,
    Note,
    NoteImage,
    NoteLike,
    NoteStatus,
)
from notes.parsing import hashtags_parse
from rednote.demo import SEED_FILE
from rednote.images import image_inspect

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))
ROWS = {row["key"]: row for row in SEED["notes"]}
PHOTOS = [
    (row["key"], number, image)
    for row in SEED["notes"]
    for number, image in enumerate(row["images"], 1)
]


def image_row(key: str, number: int) -> dict:
    return ROWS[key]["images"][number - 1]


def photo_bytes(key: str, number: int) -> bytes:
    return demo_photo_path(SEED_FILE.parent, key, number).read_bytes()


def photo_seen(key: str, number: int) -> Image.Image:
    """The committed photo as a viewer shows it (turned by its EXIF orientation)."""
    with Image.open(io.BytesIO(photo_bytes(key, number))) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def hex_rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def seed(callbacks, *args) -> str:
    """Run seed_demo, then the work it queued after commit (eager image processing)."""
    out = StringIO()
    with callbacks(execute=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def metadata_markers(data: bytes) -> list[bytes]:
    """Signs of EXIF, XMP or the demo photos' Software tag left in an encoded image (markers
    long enough not to turn up in compressed data by chance)."""
    markers = (b"Exif\x00\x00", b"<x:xmpmeta", b"RedNote demo")
    return [marker for marker in markers if marker in data]


# --- Photos -------------------------------------------------------------------------------


def test_demo_photos_one_phone_jpeg_with_gps_per_described_photo():
    committed = sorted(path.name for path in (SEED_FILE.parent / "photos").iterdir())
    assert committed == sorted(f"{key}-{number}.jpg" for key, number, _image in PHOTOS)
    total = 0
    for key, number, described in PHOTOS:
        data = photo_bytes(key, number)
        total += len(data)
        # Small enough to commit, and accepted by the upload check like a person's photo.
        assert len(data) < 200_000, key
        info = image_inspect(ContentFile(data, name=f"{key}-{number}.jpg"))
        assert info.format == "JPEG"
        with Image.open(io.BytesIO(data)) as image:
            assert max(image.size) <= 1280
            exif = image.getexif()
            orientation = exif[Base.Orientation]
            gps = exif.get_ifd(IFD.GPSInfo)
        # The camera, and where the photo was taken: the stripping has something to strip.
        assert exif[Base.Make] and exif[Base.Model]
        assert gps[GPS.GPSLatitudeRef] in ("N", "S") and len(gps[GPS.GPSLatitude]) == 3
        assert gps[GPS.GPSLongitudeRef] in ("E", "W") and len(gps[GPS.GPSLongitude]) == 3
        # Portrait photos are stored as a phone stores them: landscape pixels, turned by EXIF.
        w, h = map(int, described["aspect"].split(":"))
        assert orientation == (6 if h > w else 1)
        seen = photo_seen(key, number)
        assert abs(seen.width / seen.height - w / h) < 0.01
    assert total < 25_000_000


# One scene of each kind: animal, food from above, night city, landscape, handwriting, a phone
# screen, a garden through a moon gate, a collage.
SCENES = [
    ("n01", 1),
    ("n02", 1),
    ("n53", 1),
    ("n20", 1),
    ("n05", 1),
    ("n19", 2),
    ("n77", 1),
    ("n35", 1),
]


@pytest.mark.parametrize(("key", "number"), SCENES)
def test_demo_photo_is_a_textured_picture_in_the_palette_of_its_description(key, number):
    image = photo_seen(key, number)
    small = image.resize((image.width // 10, image.height // 10), Image.Resampling.BOX)
    pixels = list(small.get_flattened_data())

    # Not a flat fill or a plain gradient: contrast, and many colours each covering some area.
    assert ImageStat.Stat(small.convert("L")).stddev[0] > 18
    counts = small.quantize(32).getcolors()
    assert len([n for n, _colour in counts if n > len(pixels) * 0.01]) >= 12
    # Grain: neighbouring pixels of the full-size picture differ even in smooth areas.
    crop = image.crop((0, 0, 64, 64)).convert("L")
    assert len(set(crop.get_flattened_data())) > 20
    # Drawn in the colours of its description: most palette colours appear almost as given.
    near = [
        colour
        for colour in map(hex_rgb, image_row(key, number)["palette"])
        if any(sum((a - b) ** 2 for a, b in zip(p, colour, strict=True)) < 50**2 for p in pixels)
    ]
    assert len(near) >= 2


def test_demo_photos_differ_per_scene():
    assert len({photo_bytes(key, number) for key, number, _image in PHOTOS}) == len(PHOTOS)


# --- Seeding ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_loads_every_note_with_its_photos_likes_and_boards(
    django_capture_on_commit_callbacks,
):
    before = timezone.now()

    output = seed(django_capture_on_commit_callbacks)

    assert "80 notes (80 new), 402 likes (402 new), 12 boards (12 new)" in output
    notes = {
        note.pk: note
        for note in Note.objects.select_related("author").prefetch_related("images", "hashtags")
    }
    assert len(notes) == 80
    by_key = {}
    for note in notes.values():
        row = next(
            r
            for r in SEED["notes"]
            if (r["author"], r["title"], r["body"]) == (note.author.handle, note.title, note.body)
        )
        by_key[row["key"]] = note
        assert note.status == NoteStatus.PUBLISHED
        assert (note.visibility, note.location, note.language) == (
            row["visibility"],
            row["location"],
            row["language"],
        )
        # The photos, in order, each described by its scene and processed at its aspect.
        images = sorted(note.images.all(), key=lambda image: image.position)
        assert len(images) == len(row["images"])
        for image, described in zip(images, row["images"], strict=True):
            assert image.status == ImageStatus.READY
            assert image.alt_text == described["scene"]
            w, h = map(int, described["aspect"].split(":"))
            assert abs(image.width / image.height - w / h) < 0.01
            assert image.display and image.grid and image.placeholder_color
            # The private original is the phone's file with its GPS; no served rendition
            # carries any of it.
            with image.original.open("rb") as fh:
                assert Image.open(fh).getexif().get_ifd(IFD.GPSInfo)
            for rendition in (image.display, image.grid):
                with rendition.open("rb") as fh:
                    data = fh.read()
                with Image.open(io.BytesIO(data)) as served:
                    assert not served.getexif()
                    assert not {"exif", "xmp", "icc_profile"} & set(served.info)
                assert metadata_markers(data) == []
        # Every hashtag form typed in the data set became a topic of its note.
        assert {tag.name for tag in note.hashtags.all()} == set(
            hashtags_parse(row["title"], row["body"])
        )
    assert len(by_key) == 80
    assert NoteImage.objects.count() == 190

    # RedNote's topic form and the full-width ＃ name the same topic.
    citywalk = Hashtag.objects.get(name="上海citywalk")
    assert set(citywalk.notes.values_list("pk", flat=True)) == {
        by_key[key].pk for key in ("n04", "n31", "n53")
    }
    assert (
        Hashtag.objects.filter(name__in=["citywalk", "上海", "苏州园林", "tiktok难民"]).count() == 4
    )

    # Published in the data set's order over the last five weeks, each posted just before.
    ordered = [by_key[row["key"]] for row in SEED["notes"]]
    times = [note.published_at for note in ordered]
    assert times == sorted(times)
    assert before - NOTES_SPAN - timedelta(hours=4) < times[0]
    assert times[-1] < before
    assert all(note.created_at < note.published_at for note in ordered)

    # Likes: exactly the pairs of the data set, counted on each note, after publication.
    likes = set(NoteLike.objects.values_list("user__handle", "note_id"))
    assert likes == {(handle, by_key[key].pk) for handle, key in SEED["likes"]}
    for key, note in by_key.items():
        assert note.like_count == sum(1 for _h, k in SEED["likes"] if k == key)
    assert sum(note.like_count for note in notes.values()) == 402
    for like in NoteLike.objects.select_related("note"):
        assert like.note.published_at < like.created_at <= timezone.now()

    # Boards: named, private or public as given, holding their notes; collects count people.
    for row in SEED["boards"]:
        board = Board.objects.get(owner__handle=row["owner"], name=row["name"])
        assert board.is_private == row["private"]
        assert set(board.notes.values_list("pk", flat=True)) == {
            by_key[key].pk for key in row["notes"]
        }
    assert Board.objects.filter(is_default=False).count() == 12
    for key, note in by_key.items():
        owners = {row["owner"] for row in SEED["boards"] if key in row["notes"]}
        assert note.collect_count == len(owners)


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(django_capture_on_commit_callbacks):
    def snapshot():
        return (
            set(
                Note.objects.values_list(
                    "pk", "title", "status", "created_at", "published_at", "like_count"
                )
            ),
            set(NoteImage.objects.values_list("pk", "note_id", "original", "display", "grid")),
            set(NoteLike.objects.values_list("pk", "user_id", "note_id", "created_at")),
            set(Board.objects.values_list("pk", "owner_id", "name", "is_private")),
            set(BoardNote.objects.values_list("pk", "board_id", "note_id", "created_at")),
            set(Hashtag.objects.values_list("pk", "name")),
        )

    seed(django_capture_on_commit_callbacks, "--notes", "4")
    first = snapshot()

    output = seed(django_capture_on_commit_callbacks, "--notes", "4")

    assert snapshot() == first
    assert "4 notes (0 new)" in output
    assert "likes (0 new)" in output and "boards (0 new)" in output


@pytest.mark.django_db
def test_seed_demo_notes_option_loads_only_their_likes_and_boards(
    django_capture_on_commit_callbacks,
):
    output = seed(django_capture_on_commit_callbacks, "--notes", "2")

    loaded = {row["key"] for row in SEED["notes"][:2]}
    assert sorted(Note.objects.values_list("title", flat=True)) == sorted(
        ROWS[key]["title"] for key in loaded
    )
    assert NoteLike.objects.count() == sum(1 for _h, key in SEED["likes"] if key in loaded)
    boards = [row for row in SEED["boards"] if loaded & set(row["notes"])]
    assert Board.objects.filter(is_default=False).count() == len(boards)
    assert BoardNote.objects.count() == sum(len(loaded & set(row["notes"])) for row in boards)
    assert f"2 notes (2 new), {NoteLike.objects.count()} likes" in output
    assert Note.objects.filter(status=NoteStatus.PUBLISHED).count() == 2


@pytest.mark.django_db
def test_seed_demo_backdated_time_survives_processing_by_a_worker_later(
    django_capture_on_commit_callbacks,
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("seed_demo", "--notes", "1", stdout=out)

    note = Note.objects.get()
    assert note.status == NoteStatus.PROCESSING  # nothing processed until the worker runs
    backdated = note.published_at
    assert backdated < timezone.now() - timedelta(days=30)

    for task in queued:
        task()

    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED
    assert note.published_at == backdated


@pytest.mark.django_db
def test_seed_demo_dangling_reference_is_a_command_error_storing_nothing(tmp_path):
    data = {
        "users": SEED["users"][:1],
        "follows": [],
        "notes": [],
        "likes": [[SEED["users"][0]["handle"], "n99"]],
        "boards": [],
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="Unknown demo note 'n99'"):
        call_command("seed_demo", "--file", str(path), stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_note_by_unknown_author_is_a_command_error_storing_nothing(tmp_path):
    row = dict(SEED["notes"][0], author="nobody_here")
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": SEED["users"][:2], "follows": [], "notes": [row]}))

    with pytest.raises(CommandError, match="Unknown demo user @nobody_here"):
        call_command("seed_demo", "--file", str(path), stdout=StringIO())
    assert not User.objects.exists()
    assert not NoteImage.objects.exists()


@pytest.mark.django_db
def test_seed_demo_negative_notes_option_is_refused():
    with pytest.raises(CommandError, match="--notes"):
        call_command("seed_demo", "--notes", "-1", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_missing_photo_is_a_command_error_storing_nothing(tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": SEED["users"], "notes": SEED["notes"][:1]}))

    with pytest.raises(CommandError, match="Cannot read photo 1 of note 'n01'"):
        call_command("seed_demo", "--file", str(path), stdout=StringIO())
    assert not User.objects.exists()
    assert not NoteImage.objects.exists()


@pytest.mark.django_db
def test_seed_demo_reads_the_photos_next_to_its_seed_file(
    tmp_path, django_capture_on_commit_callbacks
):
    row = SEED["notes"][0]
    (tmp_path / "photos").mkdir()
    for number in range(1, len(row["images"]) + 1):
        target = demo_photo_path(tmp_path, row["key"], number)
        target.write_bytes(photo_bytes(row["key"], number))
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": SEED["users"], "notes": [row]}))

    output = seed(django_capture_on_commit_callbacks, "--file", str(path))

    assert "1 notes (1 new)" in output
    note = Note.objects.get()
    assert note.status == NoteStatus.PUBLISHED
    assert note.images.count() == len(row["images"])
