"""Safe image intake shared by avatars and note photos.

`image_inspect` decides, in the request and cheaply, whether an upload is an image we accept:
the format is sniffed from the bytes (never the name or the declared type), the header is read
without decoding pixels so a tiny file claiming 30000×30000 is refused at once, and a full
`verify()` pass catches corrupt and truncated files. `image_open_for_processing` then opens an
accepted file for re-encoding with EXIF orientation applied and colour converted to sRGB(A).
"""

from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Pillow's own guard: refuse outright anything above twice our limit before allocating.
Image.MAX_IMAGE_PIXELS = 80_000_000
ImageFile.LOAD_TRUNCATED_IMAGES = False

ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 20_000


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
    try:
        with Image.open(file) as probe:
            fmt = probe.format
            width, height = probe.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The image is too large: at most %(mp)s megapixels."),
            code="too_many_pixels",
            params={"mp": max_pixels // 1_000_000},
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image."), code="not_an_image"
        ) from exc
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG, WebP or GIF; this file is %(format)s."),
            code="unsupported_format",
            params={"format": fmt or "?"},
        )
    if (
        width < 1
        or height < 1
        or width > MAX_SIDE
        or height > MAX_SIDE
        or width * height > max_pixels
    ):
        raise ValidationError(
            _(
                "The image is %(w)s×%(h)s pixels; at most %(mp)s megapixels and %(side)s pixels "
                "a side are allowed."
            ),
            code="too_many_pixels",
            params={"w": width, "h": height, "mp": max_pixels // 1_000_000, "side": MAX_SIDE},
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
        # verify() checks structure and CRCs but not that the pixel data is complete; a
        # truncated JPEG only shows itself when decoded, so decode once (cheaply, in draft
        # mode for JPEG) to be sure the worker will not fail on it later.
        file.seek(0)
        with Image.open(file) as image:
            if image.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image is corrupt or incomplete."), code="corrupt") from exc
    finally:
        file.seek(0)
    return ImageInfo(fmt, ACCEPTED_FORMATS[fmt], width, height, size)


def image_open_for_processing(file: BinaryIO, *, target: tuple[int, int] | None = None):
    """Open an inspected image ready to resize: oriented, first frame, sRGB or sRGBA.

    With `target` (the largest size that will be produced), JPEGs are decoded at a reduced
    scale (DCT draft), which is where most of the time of a large photo goes.
    """
    image = Image.open(file)
    if image.format == "JPEG" and target is not None:
        # Account for a 90° EXIF rotation: the draft box is in stored orientation.
        orientation = image.getexif().get(0x0112, 1)
        box = target if orientation < 5 else (target[1], target[0])
        image.draft("RGB", box)
    image.seek(0)
    image = ImageOps.exif_transpose(image)
    return to_srgb(image)


def to_srgb(image: Image.Image) -> Image.Image:
    """Convert any mode (CMYK, 16-bit, palette, LA, I;16...) to RGB or RGBA."""
    mode = image.mode
    has_alpha = mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info)
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit greyscale: scale to 8 bits instead of clipping to white.
        image = image.point(lambda v: v / 256).convert("L")
    target = "RGBA" if has_alpha else "RGB"
    if image.mode != target:
        image = image.convert(target)
    return image
