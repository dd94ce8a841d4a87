"""rednote.images: PNG metadata chunks are refused over a small limit, before any decoding."""

import io
import os
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rednote import images
from rednote.images import PNG_METADATA_CHUNK_MAX_BYTES, image_inspect
from tests.fixtures.images import encode, png_chunk, scene, uploaded

_AFTER_IHDR = 8 + 25  # the signature, then the IHDR chunk (13 bytes of data)


def png_with(*chunks: bytes) -> bytes:
    """A real 64×48 PNG with `chunks` inserted right after its header."""
    data = encode(scene((64, 48)), "PNG")
    return data[:_AFTER_IHDR] + b"".join(chunks) + data[_AFTER_IHDR:]


def inspect(data: bytes):
    return image_inspect(io.BytesIO(data))


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect(data)
    return caught.value


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if Pillow is asked to open the file."""

    def refuse(file):
        raise AssertionError("the file was handed to Pillow")

    monkeypatch.setattr(images, "image_open", refuse)


BIG_TEXT = b"Comment\x00" + b"lorem ipsum " * 131_072  # 1.5 MB


@pytest.mark.parametrize(
    "chunk",
    [
        pytest.param(png_chunk(b"tEXt", BIG_TEXT), id="tEXt"),
        pytest.param(
            png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(os.urandom(1_500_000))),
            id="zTXt",
        ),
        pytest.param(png_chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + BIG_TEXT), id="iTXt"),
        pytest.param(png_chunk(b"prVt", os.urandom(200_000)), id="private-ancillary"),
        pytest.param(png_chunk(b"eXIf", b"MM\x00*" + b"\x00" * 100_000), id="eXIf"),
    ],
)
def test_png_metadata_chunk_over_the_limit_is_refused_before_decoding(chunk, no_decoding):
    error = refusal(png_with(chunk))

    assert error.code == "metadata_too_large"
    assert "metadata" in error.messages[0]


def test_png_many_small_metadata_chunks_adding_up_are_refused(no_decoding):
    chunk = png_chunk(b"tEXt", b"Note\x00" + b"x" * (PNG_METADATA_CHUNK_MAX_BYTES - 100))

    assert refusal(png_with(*[chunk] * 40)).code == "metadata_too_large"


def test_png_with_ordinary_metadata_is_accepted():
    data = png_with(
        png_chunk(b"tEXt", b"Software\x00GIMP 2.10"),
        png_chunk(b"iTXt", b"Title\x00\x00\x00\x00\x00" + "西湖".encode()),
        png_chunk(b"tIME", b"\x07\xe9\x01\x14\x0c\x00\x00"),
    )

    info = inspect(data)

    assert (info.format, info.width, info.height) == ("PNG", 64, 48)


def test_png_metadata_after_the_image_data_counts_too(no_decoding):
    data = encode(scene((64, 48)), "PNG")
    iend = data.rindex(b"IEND") - 4

    error = refusal(data[:iend] + png_chunk(b"tEXt", BIG_TEXT) + data[iend:])

    assert error.code == "metadata_too_large"


@pytest.mark.django_db
def test_media_api_refuses_a_png_with_a_big_text_chunk(auth_api_client):
    data = png_with(png_chunk(b"tEXt", BIG_TEXT))

    response = auth_api_client.post(
        reverse("api:media-upload"), {"file": uploaded(data, "photo.png")}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert "metadata" in response.json()["errors"]["file"][0]
