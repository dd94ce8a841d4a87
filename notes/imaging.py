"""Web renditions of a photo: pure functions, no database, so the benchmark runs them as is.

`image_renditions_create` decodes once — JPEGs at a reduced DCT scale (draft) close to the
largest size needed — applies EXIF orientation, converts to sRGB(A), and encodes a display
(≈1080 px wide) and a grid (≈540 px wide) WebP from fresh pixels, so no EXIF, GPS, XMP, IPTC
or comment survives.
"""

import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image

from rednote.images import image_open_for_processing

DISPLAY_WIDTH = 1080
GRID_WIDTH = 540
# A very tall or wide photo is bounded on its long side as well.
DISPLAY_MAX_SIDE = 2160
GRID_MAX_SIDE = 1080
WEBP_QUALITY = 82
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


def fit_size(width: int, height: int, *, max_width: int, max_side: int) -> tuple[int, int]:
    """The size to scale (width, height) to: at most max_width wide and max_side on any side,
    never enlarged."""
    scale = min(1.0, max_width / width, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _placeholder_color(image: Image.Image) -> str:
    r, g, b = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    return f"#{r:02x}{g:02x}{b:02x}"


def image_renditions_create(source: BinaryIO) -> Renditions:
    with Image.open(source) as probe:
        width, height = probe.size
    source.seek(0)
    target = fit_size(width, height, max_width=DISPLAY_WIDTH, max_side=DISPLAY_MAX_SIDE)
    image = image_open_for_processing(source, target=target)
    display_size = fit_size(*image.size, max_width=DISPLAY_WIDTH, max_side=DISPLAY_MAX_SIDE)
    display = image.resize(display_size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    grid_size = fit_size(*display.size, max_width=GRID_WIDTH, max_side=GRID_MAX_SIDE)
    grid = display.resize(grid_size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    return Renditions(
        display=Rendition(_encode(display), *display.size),
        grid=Rendition(_encode(grid), *grid.size),
        placeholder_color=_placeholder_color(grid),
    )
