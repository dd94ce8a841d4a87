"""Safe image intake shared by avatars and note photos.

`image_inspect` decides, in the request and cheaply, whether an upload is an image we accept:
the format is sniffed from the bytes (never the name or the declared type) and only the JPEG,
PNG, WebP and GIF decoders are ever tried; the header is read without decoding pixels, so a
tiny file claiming 30000×30000 is refused at once, and so is a PNG carrying a metadata chunk
(text, EXIF, colour profile...) over a small limit; then a verify pass and one decode (a JPEG
at 1/8 scale) catch corrupt and truncated files.

`image_open` opens a file with only those decoders; decoding, orientation and colour for
renditions are in `rednote.image_processing`.
"""

import logging
import struct
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 20_000

# Pillow's own guard, for every caller in the process (admin, seed data...): it warns above
# this many pixels and refuses outright above twice as many, before allocating anything. Our
# limit is checked on the header before any decode; this only backs it up.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

# A phone's multi-picture JPEG (MPO: the photo plus depth or preview frames) is a JPEG whose
# first frame is the photo.
_FORMAT_ALIASES = {"MPO": "JPEG"}
_OPEN_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]

# What a hostile or damaged file can make Pillow's decoders raise. DecompressionBombWarning is
# a warning, but it is raised like an error wherever warnings are turned into errors.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    ZeroDivisionError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)

_HEAD_BYTES = 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ACCEPTED_MAGIC = (b"\xff\xd8\xff", _PNG_MAGIC, b"GIF87a", b"GIF89a")

# PNG metadata: ancillary chunks (lower-case first letter) other than an animation's frame
# data. Pillow reads a text chunk into memory whole, up to 64 MB in all, and nothing of it is
# ever served (renditions carry no metadata), so more than a camera or an editor writes is
# refused before anything is decoded. A colour profile is used, and may be larger.
PNG_METADATA_CHUNK_MAX_BYTES = 64 * 1024
PNG_ICC_PROFILE_MAX_BYTES = 1024 * 1024
PNG_METADATA_MAX_BYTES = 2 * 1024 * 1024
_PNG_IMAGE_DATA_CHUNKS = {b"fdAT"}


@dataclass(frozen=True)
class ImageInfo:
    format: str
    content_type: str
    width: int
    height: int
    size: int


def _size_of(file: BinaryIO) -> int:
    size = getattr(file, "size", None)
    if size is None:
        pos = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(pos)
    return size


def _kind_of(head: bytes):
    """Name the kind of a file that is not an accepted image, from its first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf-"):
        return _("a PDF document")
    if text.startswith(b"8bps"):
        return _("a Photoshop (PSD) file")
    if text.startswith((b"%!ps", b"\xc5\xd0\xd3\xc6")):
        return _("a PostScript (EPS) file")
    if b"<svg" in text:
        return _("an SVG drawing")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return _("an HTML page")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return _("an XML or HTML document")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image")
    if head.startswith(b"BM"):
        return _("a BMP image")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return _("an AVIF image")
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return _("a HEIC/HEIF photo")
        return _("a video or other media file")
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or office document")
    return None


def _not_an_image(head: bytes) -> ValidationError:
    kind = _kind_of(head)
    if kind is None:
        return ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image."), code="not_an_image"
        )
    return ValidationError(
        _("This file is %(kind)s; only JPEG, PNG, WebP and GIF images are accepted."),
        code="unsupported_format",
        params={"kind": kind},
    )


def _too_many_pixels(*, width: int, height: int, max_pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(w)s×%(h)s pixels; at most %(mp)s megapixels and %(side)s pixels "
            "a side are allowed."
        ),
        code="too_many_pixels",
        params={"w": width, "h": height, "mp": max_pixels // 1_000_000, "side": MAX_SIDE},
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        _("The image is corrupt or incomplete; try exporting or saving it again."),
        code="corrupt",
    )


def _png_metadata_check(file: BinaryIO, size: int) -> None:
    """Walk a PNG's chunk headers (no data is read) and refuse oversized metadata chunks.

    A chunk list that runs past the end of the file is left to the decoder to call corrupt.
    """
    position = len(_PNG_MAGIC)
    total = 0
    while position + 8 <= size:
        file.seek(position)
        length, kind = struct.unpack(">I4s", file.read(8))
        if kind == b"IEND":
            break
        if kind[:1].islower() and kind not in _PNG_IMAGE_DATA_CHUNKS:
            limit = PNG_ICC_PROFILE_MAX_BYTES if kind == b"iCCP" else PNG_METADATA_CHUNK_MAX_BYTES
            total += length
            if length > limit or total > PNG_METADATA_MAX_BYTES:
                raise ValidationError(
                    _(
                        "The image carries %(size)s KB of metadata (%(chunk)s); at most "
                        "%(limit)s KB are allowed. Save it again without metadata."
                    ),
                    code="metadata_too_large",
                    params={
                        "size": max(length, total) // 1024,
                        "chunk": kind.decode("latin-1"),
                        "limit": (limit if length > limit else PNG_METADATA_MAX_BYTES) // 1024,
                    },
                )
        position += 12 + length  # length, type, data, CRC


def image_format(image: Image.Image) -> str:
    fmt = image.format or ""
    return _FORMAT_ALIASES.get(fmt, fmt)


def image_open(file: BinaryIO) -> Image.Image:
    """Open `file` lazily with the JPEG, PNG, WebP and GIF decoders only (no other Pillow
    plugin ever parses an upload). Raises Pillow's errors, `DecompressionBombError` included."""
    file.seek(0)
    return Image.open(file, formats=_OPEN_FORMATS)


def image_inspect(
    file: BinaryIO, *, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS
) -> ImageInfo:
    """Check an uploaded file and describe it; raise ValidationError with a clear reason.

    Leaves the file positioned at its start.
    """
    size = _size_of(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024},
        )
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    if head.startswith(_PNG_MAGIC):
        try:
            _png_metadata_check(file, size)
        finally:
            file.seek(0)
    try:
        with image_open(file) as probe:
            fmt = image_format(probe)
            width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Only the header was read: Pillow refuses before allocating or decoding anything.
        raise ValidationError(
            _("The image is too large: more than %(mp)s megapixels."),
            code="too_many_pixels",
            params={"mp": max_pixels // 1_000_000},
        ) from exc
    except UnidentifiedImageError as exc:
        if head.startswith(_ACCEPTED_MAGIC) or head[8:12] == b"WEBP":
            raise _corrupt() from exc
        raise _not_an_image(head) from exc
    except DECODE_ERRORS as exc:
        raise _corrupt() from exc
    finally:
        file.seek(0)
    if fmt not in ACCEPTED_FORMATS:  # defensive: only the accepted decoders are tried
        raise _not_an_image(head)
    if (
        width < 1
        or height < 1
        or width > MAX_SIDE
        or height > MAX_SIDE
        or width * height > max_pixels
    ):
        raise _too_many_pixels(width=width, height=height, max_pixels=max_pixels)
    if fmt == "GIF":
        # Only the first frame is ever decoded; the trailer byte tells a GIF cut short in a
        # later frame without decoding them all.
        file.seek(max(0, size - 16))
        tail = file.read(16).rstrip(b"\x00")
        file.seek(0)
        if not tail.endswith(b"\x3b"):
            raise _corrupt()
    try:
        with image_open(file) as image:
            image.verify()
        # verify() checks structure and CRCs but not that the pixel data is complete; a
        # truncated JPEG or GIF only shows itself when decoded, so decode the first frame once
        # (a JPEG at 1/8 scale, which still reads every byte) so the worker will not fail on it.
        with image_open(file) as image:
            if image_format(image) == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except DECODE_ERRORS as exc:
        raise _corrupt() from exc
    finally:
        file.seek(0)
    return ImageInfo(fmt, ACCEPTED_FORMATS[fmt], width, height, size)
