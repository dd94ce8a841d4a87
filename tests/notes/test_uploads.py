"""Upload checks in the request: what `media_upload` accepts and refuses, and that a refused file
leaves nothing behind. Every file here is real (built by tests.fixtures.images)."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import include, path, re_path, reverse
from django.views.static import serve
from PIL import Image, ImageFile

from notes.models import NoteImage
from notes.services import media_upload
from rednote.images import MAX_PIXELS, image_inspect
from tests.fixtures.images import (
    HEIC,
    HTML,
    PDF,
    PSD,
    SVG,
    camera_jpeg,
    encode,
    png_chunk,
    png_claiming,
    scene,
    uploaded,
)

pytestmark = pytest.mark.django_db

EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"


def _refusal(user, data: bytes, name: str = "photo.jpg") -> str:
    """Upload `data` and return the message on "file"; fails if the upload was accepted."""
    with pytest.raises(ValidationError) as exc_info:
        media_upload(owner=user, file=uploaded(data, name))
    errors = exc_info.value.message_dict
    assert list(errors) == ["file"]
    return " ".join(errors["file"])


@pytest.fixture
def nothing_stored(private_files):
    """After the test: no NoteImage row and no file in the private storage."""
    yield
    assert not NoteImage.objects.exists()
    assert private_files() == []


def _truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("#e03c28", "#2850e0", "#28e050")]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def _mpo() -> bytes:
    """A phone's multi-picture JPEG: the photo and a second frame (depth map, preview)."""
    second = scene((320, 240)).convert("L").convert("RGB")
    return encode(scene((640, 480)), "MPO", save_all=True, append_images=[second])


# --- Accepted -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt", "extension"),
    [
        pytest.param(camera_jpeg((800, 600)), "JPEG", "jpg", id="jpeg"),
        pytest.param(encode(scene(), "PNG"), "PNG", "png", id="png"),
        pytest.param(encode(scene(mode="RGBA"), "WEBP"), "WEBP", "webp", id="webp"),
        pytest.param(_animated_gif(), "GIF", "gif", id="animated-gif"),
        pytest.param(
            encode(scene(), "WEBP", save_all=True, append_images=[scene((640, 480), "RGB")]),
            "WEBP",
            "webp",
            id="animated-webp",
        ),
        pytest.param(_mpo(), "JPEG", "jpg", id="mpo-from-a-phone"),
    ],
)
def test_media_upload_accepts_images_by_content_whatever_the_name(
    user, private_files, data, fmt, extension
):
    # The name and declared type lie; only the content counts.
    file = uploaded(data, name="holiday.txt", content_type="text/plain")
    image = media_upload(owner=user, file=file)
    assert image.original_format == fmt
    assert image.original.name.endswith(f".{extension}")
    assert image.original_size == len(data)
    with Image.open(io.BytesIO(data)) as opened:
        assert (image.original_width, image.original_height) == opened.size
    assert private_files() == [image.original.name]
    with image.original.open("rb") as stored:
        assert stored.read() == data


def test_media_upload_keeps_the_original_outside_media_root(user, settings, photo_upload):
    image = photo_upload()
    path = image.original.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_image_inspect_leaves_the_file_at_its_start():
    file = io.BytesIO(camera_jpeg((400, 300)))
    file.seek(123)
    info = image_inspect(file)
    assert (info.format, info.content_type, info.width, info.height) == (
        "JPEG",
        "image/jpeg",
        400,
        300,
    )
    assert file.tell() == 0


# --- Refused: size and pixels ---------------------------------------------------------------


def test_media_upload_refuses_more_than_20_mb(user, nothing_stored):
    data = camera_jpeg((400, 300))
    data += b"\x00" * (20 * 1024 * 1024 + 1 - len(data))
    message = _refusal(user, data)
    assert "20.0 MB" in message
    assert "limit is 20 MB" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_media_upload_refuses_more_than_40_megapixels(user, nothing_stored):
    message = _refusal(user, png_claiming(8000, 5001), name="big.png")
    assert "8000×5001 pixels" in message
    assert "40 megapixels" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_media_upload_refuses_a_real_image_over_40_megapixels(user, nothing_stored):
    # A real, decodable 42-megapixel PNG that compresses to a few kilobytes.
    data = encode(Image.new("L", (7000, 6000)), "PNG", optimize=True)
    assert len(data) < 200_000
    message = _refusal(user, data, name="flat.png")
    assert "7000×6000 pixels" in message


def test_media_upload_refuses_an_absurd_side(user, nothing_stored):
    message = _refusal(user, png_claiming(20_001, 10), name="strip.png")
    assert "20001×10 pixels" in message
    assert "20000 pixels a side" in message


def test_media_upload_refuses_a_tiny_png_claiming_30000_square_without_decoding(
    user, nothing_stored, monkeypatch
):
    # Decoding would need 2.7 GB: the refusal must come from the header alone, so any attempt
    # to load pixels fails the test.
    def no_decoding(image, *args, **kwargs):
        raise AssertionError("the upload was decoded before its size was checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = png_claiming(30_000, 30_000)
    assert len(data) < 100
    message = _refusal(user, data, name="bomb.png")
    assert "too large" in message
    assert f"{MAX_PIXELS // 1_000_000} megapixels" in message


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_media_upload_refuses_pixels_when_pillow_bomb_warnings_are_errors(user, nothing_stored):
    # Between Pillow's limit and twice it, Pillow warns; where warnings are errors (as here)
    # the warning is raised from Image.open and must still end as a clear refusal.
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
    message = _refusal(user, png_claiming(8000, 6000), name="big.png")
    assert "too large" in message


def test_media_upload_refusal_with_pillow_bomb_warning_emitted(user, nothing_stored):
    with pytest.warns(Image.DecompressionBombWarning):
        message = _refusal(user, png_claiming(8000, 6000), name="big.png")
    assert "8000×6000 pixels" in message


def test_media_upload_refuses_an_empty_file(user, nothing_stored):
    assert "empty" in _refusal(user, b"")


# --- Refused: not an image ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(SVG, "an SVG drawing", id="svg"),
        pytest.param(b"  \n" + SVG.split(b"\n", 1)[1], "an SVG drawing", id="svg-no-xml-decl"),
        pytest.param(HTML, "an HTML page", id="html"),
        pytest.param(PDF, "a PDF document", id="pdf"),
        pytest.param(PSD, "a Photoshop (PSD) file", id="psd"),
        pytest.param(HEIC, "a HEIC/HEIF photo", id="heic"),
        pytest.param(encode(scene(), "TIFF"), "a TIFF image", id="tiff"),
        pytest.param(encode(scene(), "BMP"), "a BMP image", id="bmp"),
        pytest.param(
            b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "PostScript", id="eps"
        ),
    ],
)
def test_media_upload_refuses_documents_renamed_as_images_naming_them(
    user, nothing_stored, data, kind
):
    message = _refusal(user, data, name="cute-cat.jpg")
    assert kind in message
    assert "only JPEG, PNG, WebP and GIF" in message


def test_media_upload_refuses_unknown_bytes(user, nothing_stored):
    message = _refusal(user, b"just some text, not a photo at all\n" * 20)
    assert message == "This file is not a JPEG, PNG, WebP or GIF image."


# --- Refused: corrupt or truncated ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(_truncated(camera_jpeg((1200, 900))), "photo.jpg", id="jpeg-truncated"),
        pytest.param(_truncated(camera_jpeg((1200, 900)), 0.97), "photo.jpg", id="jpeg-tail-cut"),
        pytest.param(
            _truncated(encode(scene(), "JPEG", progressive=True)), "p.jpg", id="progressive-cut"
        ),
        pytest.param(_truncated(encode(scene(), "PNG")), "photo.png", id="png-truncated"),
        pytest.param(_truncated(encode(scene(), "GIF")), "photo.gif", id="gif-truncated"),
        pytest.param(_truncated(_animated_gif(), 0.8), "a.gif", id="gif-cut-in-a-later-frame"),
        pytest.param(_truncated(encode(scene(), "WEBP")), "photo.webp", id="webp-truncated"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x13garbage" * 50, "photo.jpg", id="jpeg-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "photo.png", id="png-garbage"),
        pytest.param(b"GIF89a\x01", "photo.gif", id="gif-header-only"),
    ],
)
def test_media_upload_refuses_corrupt_or_truncated_files(user, nothing_stored, data, name):
    assert "corrupt or incomplete" in _refusal(user, data, name)


def test_media_upload_refuses_a_png_with_a_bad_checksum(user, nothing_stored):
    good = encode(scene((64, 48)), "PNG")
    # Flip one byte inside the image data: the chunk's CRC no longer matches.
    idat = good.index(b"IDAT")
    bad = good[: idat + 10] + bytes([good[idat + 10] ^ 0xFF]) + good[idat + 11 :]
    assert "corrupt or incomplete" in _refusal(user, bad, "photo.png")


def test_media_upload_refuses_a_png_whose_pixel_data_stops_early(user, nothing_stored):
    # Well-formed chunks with valid CRCs around a deflate stream that ends too soon.
    full = encode(scene((64, 48)), "PNG")
    start = full.index(b"IHDR") - 4
    ihdr = full[start : start + 25]
    data = b"\x89PNG\r\n\x1a\n" + ihdr
    data += png_chunk(b"IDAT", b"x\x9c" + b"\x00" * 3) + png_chunk(b"IEND", b"")
    assert "corrupt or incomplete" in _refusal(user, data, "photo.png")


# --- Over HTTP ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(SVG, "an SVG drawing", id="svg"),
        pytest.param(png_claiming(30_000, 30_000), "too large", id="bomb"),
        pytest.param(_truncated(camera_jpeg((800, 600))), "corrupt or incomplete", id="truncated"),
    ],
)
def test_media_api_answers_400_naming_file_and_the_problem(
    auth_api_client, nothing_stored, data, words
):
    response = auth_api_client.post(
        reverse("api:media-upload"), {"file": uploaded(data, "photo.jpg")}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["file"]
    assert words in body["errors"]["file"][0]


# --- Originals are never reachable by URL ---------------------------------------------------


def _serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The project's routes plus what the quick start adds in DEBUG: MEDIA_ROOT served as files.
urlpatterns = [
    path("", include("rednote.urls")),
    re_path(r"^media/(?P<path>.*)$", _serve_media),
]


@pytest.mark.urls(__name__)
def test_originals_are_not_served_even_where_media_root_is(client, user, photo_upload):
    image = photo_upload()
    client.force_login(user)
    name = image.original.name
    private_root = settings.PRIVATE_MEDIA_ROOT.relative_to(settings.PRIVATE_MEDIA_ROOT.parent)
    for url in (
        f"/media/{name}",
        f"{settings.MEDIA_URL}{name}",
        f"/media/../{private_root}/{name}",
        f"/media/%2e%2e/{private_root}/{name}",
        f"/{name}",
        f"/private/{name}",
    ):
        # 404, or 400 where Django's path checks see a way out of MEDIA_ROOT.
        assert client.get(url).status_code in (400, 404), url
    with image.original.open("rb") as original:
        assert original.read(3) == b"\xff\xd8\xff"  # it is there, just not reachable


def test_originals_are_not_served_by_the_project_routes(client, user, photo_upload):
    image = photo_upload()
    client.force_login(user)
    assert client.get(f"/media/{image.original.name}").status_code == 404
    assert client.get(f"/{image.original.name}").status_code == 404
