"""Decoding photos for renditions, shared by avatars and note photos.

`image_open` (`rednote.images`) + `image_decode` load the first frame — a JPEG at a reduced DCT
scale (draft) no smaller than the size that will be produced — in a working mode, leaving
the colour transform (`image_to_srgb`) and the EXIF rotation (`image_orient`) to the caller,
who can apply them after resizing, on a fraction of the pixels. `image_open_for_processing`
does all of it at once for callers that want a ready sRGB(A) picture.
"""

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from PIL import Image, ImageCms

from .images import DECODE_ERRORS, image_format, image_open

logger = logging.getLogger(__name__)

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
    if min_size is not None and image_format(image) == "JPEG":
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
