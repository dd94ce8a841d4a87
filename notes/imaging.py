"""Web renditions of a photo: pure functions, no database, so the benchmark runs them as is.

`image_renditions_create` decodes the first frame once — a JPEG at the smallest DCT scale
(draft) that still covers the display size — resizes it with LANCZOS, and only then converts
the colours to sRGB and applies the EXIF orientation, on the small picture (an iPhone photo
carries a Display P3 profile and a quarter turn: both cost four times less at display size).
The grid rendition is cut from the display one. Both are encoded as WebP from bare pixels, so
no EXIF, GPS, XMP, IPTC, ICC profile or comment survives.

`bench/images.py` measures this against naive Pillow and the fastest variants found.
"""

import io
from dataclasses import dataclass
from typing import BinaryIO, cast

from PIL import Image

from rednote.image_processing import (
    image_decode,
    image_orient,
    image_orientation,
    image_to_srgb,
    oriented_size,
)
from rednote.images import image_open

# Renditions fit in these boxes (width, height) and are never enlarged: the display is
# ≈1080 px wide, a very tall photo is bounded at twice that; the grid is half of it.
DISPLAY_BOX = (1080, 2160)
GRID_BOX = (540, 1080)
WEBP_QUALITY = 82
WEBP_METHOD = 4
# Reduce by whole factors (box filter) only while LANCZOS keeps at least this much room: the
# final step is always LANCZOS over ≥ 2× the output, which Pillow documents as
# indistinguishable from a full LANCZOS resize.
REDUCING_GAP = 2.0


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Renditions:
    display: Rendition
    grid: Rendition
    placeholder_color: str


def fit_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """`size` scaled to fit in `box`, keeping the aspect ratio, never enlarged."""
    width, height = size
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def webp_encode(image: Image.Image) -> bytes:
    """Encode bare pixels: nothing from `image.info` (EXIF, XMP, ICC...) is written."""
    image.info = {}
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def placeholder_color(image: Image.Image) -> str:
    """The average colour as `#rrggbb`, transparent areas seen over white."""
    if image.mode == "RGBA":
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    pixel = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    r, g, b = cast(tuple[int, int, int], pixel)  # an RGB image's pixel is (r, g, b)
    return f"#{r:02x}{g:02x}{b:02x}"


def image_renditions_create(source: BinaryIO) -> Renditions:
    """Decode `source` (an inspected upload) and make its display and grid renditions.

    Raises Pillow's errors (OSError and friends, see `rednote.images.DECODE_ERRORS`) when
    the file cannot be decoded.
    """
    with image_open(source) as opened:
        orientation = image_orientation(opened)
        display_size = fit_size(oriented_size(opened.size, orientation), DISPLAY_BOX)
        decoded = image_decode(opened, min_size=display_size)
        # Resize in stored orientation and colours; turn and convert the small result.
        stored_size = oriented_size(display_size, orientation)
        display = decoded.image
        if display.size != stored_size:
            display = display.resize(
                stored_size,
                Image.Resampling.LANCZOS,
                box=decoded.region,
                reducing_gap=REDUCING_GAP,
            )
        display = image_orient(image_to_srgb(display, decoded.icc_profile), orientation)
        grid_size = fit_size(display.size, GRID_BOX)
        grid = display
        if grid_size != display.size:
            grid = display.resize(grid_size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
        return Renditions(
            display=Rendition(webp_encode(display), *display.size),
            grid=Rendition(webp_encode(grid), *grid.size),
            placeholder_color=placeholder_color(grid),
        )
