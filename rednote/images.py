"""Safe image intake shared by avatars and note photos.

`image_inspect` decides, in the request and cheaply, whether an upload is an image we accept:
the format is sniffed from the bytes (never the name or the declared type) and only the JPEG,
PNG, WebP and GIF decoders are ever tried; the header is read without decoding pixels, so a
tiny file claiming 30000×30000 is refused at once, and so is a PNG carrying a metadata chunk
(text, EXIF, colour profile...) over a small limit; then a verify pass and one decode (a JPEG
at 1/8 scale) catch corrupt and truncated files.

For processing, `image_open` + `image_decode` load the first frame — a JPEG at a reduced DCT
scale (draft) no smaller than the size that will be produced — in a working mode, leaving
the colour transform (`image_to_srgb`) and the EXIF rotation (`image_orient`) to the caller,
who can apply them after resizing, on a fraction of the pixels. `image_open_for_processing`
does all of it at once for callers that want a ready sRGB(A) picture.
"""

import io
import logging
import struct
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

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


def _format_of(image: Image.Image) -> str:
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
            fmt = _format_of(probe)
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
            if _format_of(image) == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except DECODE_ERRORS as exc:
        raise _corrupt() from exc
    finally:
        file.seek(0)
    return ImageInfo(fmt, ACCEPTED_FORMATS[fmt], width, height, size)


# --- Processing -----------------------------------------------------------------------------

ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


def image_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8) of an opened image; 1 when absent or unreadable.

    Pillow's `getexif()` also reads the orientation kept in XMP by some PNG and WebP writers.
    """
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def oriented_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The size as displayed: orientations 5–8 turn the picture a quarter."""
    return (size[1], size[0]) if orientation >= 5 else size


def image_orient(image: Image.Image, orientation: int) -> Image.Image:
    """Turn and flip stored pixels to how the photo is meant to be seen."""
    for method in _TRANSPOSE.get(orientation, ()):
        image = image.transpose(method)
    return image


@dataclass(frozen=True)
class DecodedImage:
    """The first frame, loaded, in stored orientation and a working mode (L, LA, RGB, RGBA or
    CMYK), with what the caller still has to apply.

    `region` is the part of `image` that covers the whole original: a JPEG decoded at a reduced
    DCT scale is rounded up to whole pixels, and resizing from this exact region keeps the
    geometry exact.
    """

    image: Image.Image
    region: tuple[float, float, float, float]
    orientation: int
    icc_profile: bytes | None


def image_decode(image: Image.Image, *, min_size: tuple[int, int] | None = None) -> DecodedImage:
    """Load an image from `image_open`, a JPEG at the smallest DCT scale (1/2, 1/4, 1/8) that
    still covers `min_size` (display orientation) — most of the time of a big photo goes into
    decoding pixels that the resize would throw away.
    """
    image.seek(0)  # an animated GIF or WebP: the first frame only
    orientation = image_orientation(image)
    width, height = image.size
    region = (0.0, 0.0, float(width), float(height))
    if min_size is not None and _format_of(image) == "JPEG":
        stored = oriented_size(min_size, orientation)
        drafted = image.draft("RGB", (max(1, stored[0]), max(1, stored[1])))
        if drafted is not None:
            region = drafted[1]
    image.load()
    icc_profile = image.info.get("icc_profile") or None
    return DecodedImage(_working_mode(image), region, orientation, icc_profile)


def _working_mode(image: Image.Image) -> Image.Image:
    """Bring any decoded mode to one a resize keeps exact and an ICC transform accepts."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK") and "transparency" not in image.info:
        return image
    if mode.startswith("I") or mode == "F":
        # 16- and 32-bit greyscale: scale to 8 bits rather than clipping everything to white.
        # A single-band image's extrema are one (low, high) pair of numbers.
        high = image.getextrema()[1]
        if mode.startswith("I;16") or (isinstance(high, int | float) and high > 255):
            image = image.point(lambda v: v / 256)
        return image.convert("L")
    if image.has_transparency_data:  # P with transparency, PA, La, RGBa, L/RGB with a tRNS key
        return image.convert("LA" if mode in ("L", "La") else "RGBA")
    if mode == "1":
        return image.convert("L")
    return image.convert("RGB")  # P, YCbCr, LAB, HSV...


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# The colour space an embedded profile must describe for the pixels of each working mode.
_ICC_SPACES = {"RGB": "RGB", "L": "GRAY", "CMYK": "CMYK"}


@lru_cache(maxsize=32)
def _icc_transform(icc_profile: bytes, mode: str):
    """A transform from the embedded profile to sRGB for `mode` pixels (RGB, L or CMYK); None
    when the profile is sRGB already, describes another colour space, or is broken — then the
    pixels are taken as sRGB, which is what a browser does."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        space = (profile.profile.xcolor_space or "").strip().upper()
        description = (profile.profile.profile_description or "").lower()
        if space != _ICC_SPACES.get(mode) or (space == "RGB" and "srgb" in description):
            return None
        return ImageCms.buildTransform(
            profile,
            _SRGB,
            mode,
            "RGB",
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
        logger.info("ignoring an unusable ICC profile: %s", exc)
        return None


def image_to_srgb(image: Image.Image, icc_profile: bytes | None = None) -> Image.Image:
    """RGB or RGBA pixels in sRGB, from any mode and the embedded ICC profile if any.

    An alpha channel that is fully opaque is dropped.
    """
    image = _working_mode(image)
    alpha = None
    if image.mode in ("LA", "RGBA"):
        alpha = image.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
        image = image.convert(image.mode[:-1])
    transform = _icc_transform(icc_profile, image.mode) if icc_profile else None
    if transform is not None:
        # Not in place, so the transform always returns the new image.
        image = ImageCms.applyTransform(image, transform) or image
    if image.mode != "RGB":
        image = image.convert("RGB")
    if alpha is not None:
        image.putalpha(alpha)
    return image


def image_open_for_processing(file: BinaryIO, *, target: tuple[int, int] | None = None):
    """Open an inspected image ready to resize: first frame, oriented, sRGB or sRGBA.

    With `target` (the smallest size, as displayed, that will be cut from it), a JPEG is
    decoded at a reduced DCT scale that still covers it.
    """
    decoded = image_decode(image_open(file), min_size=target)
    image = image_to_srgb(decoded.image, decoded.icc_profile)
    return image_orient(image, decoded.orientation)
