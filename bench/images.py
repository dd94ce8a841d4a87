"""How fast is the image pipeline? `.venv/bin/python bench/images.py [--repeats N]`

Generates a 12-megapixel photo-like JPEG (4000×3000, quality 90, camera EXIF with GPS), then,
side by side in one run (round-robin, so drift hits every method alike), measures the CPU time
(`time.process_time()`, median of the repeats) of producing the same two WebP renditions —
display (fit in 1080×2160) and grid (fit in 540×1080), quality 82, method 4 — with:

  a) the project: `notes.imaging.image_renditions_create`;
  b) naive Pillow: full decode, LANCZOS resize of the full image to each size, no draft, no
     reducing_gap;
  c) the fastest Pillow variants found: draft (DCT scaling), thumbnail(), reduce(), reducing_gap
     settings, grid from the display, another filter...

Quality is checked too, on the pixels handed to the WebP encoder (the encoder's own loss is
the same for every method and would hide the differences): PSNR against the best Pillow can
do, LANCZOS from the full-resolution decode. A variant counts as "the same output" only if
both renditions are within 0.5 dB of the project's pixels or better; faster but worse variants
are listed, marked, and not counted as the fastest.

Targets (issue 3): project ≤ 1.15 × the fastest method, naive ≥ 2 × the project.
Exits with status 1 when a target is missed.
"""

import argparse
import io
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

import django  # noqa: E402

django.setup()

from PIL import (  # noqa: E402
    ExifTags,
    Image,
    ImageChops,
    ImageDraw,
    ImageFilter,
    ImageOps,
    ImageStat,
)

from notes import imaging  # noqa: E402
from notes.imaging import (  # noqa: E402
    DISPLAY_BOX,
    GRID_BOX,
    WEBP_METHOD,
    WEBP_QUALITY,
    fit_size,
    image_renditions_create,
    placeholder_color,
)

WIDTH, HEIGHT = 4000, 3000
DATA = b""
TARGET_VS_FASTEST = 1.15
TARGET_NAIVE_VS_PROJECT = 2.0
SAME_QUALITY_DB = 0.5


# --- The test photo ---------------------------------------------------------------------------


def photo_like(width: int = WIDTH, height: int = HEIGHT, seed: int = 2025) -> Image.Image:
    """A landscape with detail at every scale, like a phone photo: a sky-to-ground gradient,
    hills, buildings with window grids (hard edges), grass strokes (fine texture), soft shapes
    (bokeh), multi-scale noise (texture and sensor grain)."""
    rnd = random.Random(seed)
    ramp = Image.linear_gradient("L").resize((width, height))
    sky = Image.new("RGB", (width, height), (96, 150, 214))
    ground = Image.new("RGB", (width, height), (74, 104, 52))
    image = Image.composite(ground, sky, ramp)
    glow = ImageOps.invert(Image.radial_gradient("L")).resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), (252, 214, 160)), image, glow)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.55)
    for layer in range(3):
        points = [(0, height)]
        for x in range(0, width + 200, 200):
            points.append((x, horizon - rnd.randint(0, 500) + layer * 120))
        points.append((width, height))
        shade = 40 + layer * 25
        draw.polygon(points, fill=(shade, shade + 40 + layer * 10, shade - 10))
    for _ in range(14):  # buildings with lit windows
        x, w = rnd.randint(0, width - 300), rnd.randint(120, 320)
        top = horizon - rnd.randint(200, 900)
        wall = tuple(rnd.randint(90, 200) for _ in range(3))
        draw.rectangle((x, top, x + w, horizon + 300), fill=wall)
        for wy in range(top + 20, horizon + 280, 36):
            for wx in range(x + 12, x + w - 16, 28):
                light = (250, 226, 150) if rnd.random() < 0.4 else (40, 48, 60)
                draw.rectangle((wx, wy, wx + 14, wy + 20), fill=light)
    for _ in range(25_000):  # grass
        x, y = rnd.randint(0, width), rnd.randint(horizon + 200, height)
        length = rnd.randint(15, 60)
        green = (rnd.randint(30, 110), rnd.randint(90, 190), rnd.randint(20, 70))
        draw.line((x, y, x + rnd.randint(-12, 12), y - length), fill=green, width=2)
    bokeh = Image.new("RGB", (width, height))
    bokeh_draw = ImageDraw.Draw(bokeh)
    for _ in range(60):
        x, y, r = rnd.randint(0, width), rnd.randint(0, horizon), rnd.randint(20, 140)
        bokeh_draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 236, 200))
    image = ImageChops.screen(image, bokeh.filter(ImageFilter.GaussianBlur(25)))
    for scale, amount in ((64, 0.10), (8, 0.08), (1, 0.06)):
        noise = Image.effect_noise((width // scale, height // scale), 48)
        noise = noise.resize((width, height), Image.Resampling.BICUBIC)
        image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), amount)
    return image


def photo_jpeg() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.Base.Model] = "Model 12MP"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.Base.DateTime] = "2025:01:18 10:24:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 13.0, 58.2)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 9.6)
    out = io.BytesIO()
    photo_like().save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


# --- The methods ------------------------------------------------------------------------------

DISPLAY = fit_size((WIDTH, HEIGHT), DISPLAY_BOX)
GRID = fit_size(DISPLAY, GRID_BOX)
LANCZOS = Image.Resampling.LANCZOS


def _webp(image: Image.Image) -> bytes:
    if _captured is not None:
        _captured.append(image.convert("RGB"))
        return b""
    image.info = {}
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


# During the quality pass every method's encoder hands its pixels over instead of encoding.
_captured: list[Image.Image] | None = None


def _outputs(display: Image.Image, grid: Image.Image) -> tuple[bytes, bytes]:
    placeholder_color(grid)  # every method computes it, as the pipeline does
    return _webp(display), _webp(grid)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    return image


def project(data: bytes) -> tuple[bytes, bytes]:
    result = image_renditions_create(io.BytesIO(data))
    return result.display.data, result.grid.data


def naive(data: bytes) -> tuple[bytes, bytes]:
    image = ImageOps.exif_transpose(_open(data)).convert("RGB")
    return _outputs(image.resize(DISPLAY, LANCZOS), image.resize(GRID, LANCZOS))


def _drafted(data: bytes, mode: str = "RGB") -> tuple[Image.Image, tuple]:
    image = _open(data)
    _mode, box = image.draft(mode, DISPLAY)
    return image, box


def draft_lanczos_grid_from_display(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, LANCZOS, box=box)
    return _outputs(display, display.resize(GRID, LANCZOS))


def draft_gap2_grid_gap2(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, LANCZOS, box=box, reducing_gap=2.0)
    return _outputs(display, display.resize(GRID, LANCZOS, reducing_gap=2.0))


def draft_lanczos_grid_reduce(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, LANCZOS, box=box)
    return _outputs(display, display.reduce(2))


def draft_grid_from_decoded_gap1(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, LANCZOS, box=box)
    return _outputs(display, image.resize(GRID, LANCZOS, box=box, reducing_gap=1.0))


def thumbnail_no_gap(data: bytes) -> tuple[bytes, bytes]:
    display = _open(data)
    display.thumbnail(DISPLAY_BOX, LANCZOS, reducing_gap=None)
    grid = display.copy()
    grid.thumbnail(GRID_BOX, LANCZOS, reducing_gap=None)
    return _outputs(display, grid)


def thumbnail(data: bytes) -> tuple[bytes, bytes]:
    display = _open(data)
    display.thumbnail(DISPLAY_BOX, LANCZOS, reducing_gap=2.0)
    grid = display.copy()
    grid.thumbnail(GRID_BOX, LANCZOS, reducing_gap=2.0)
    return _outputs(display, grid)


def draft_ycbcr(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data, "YCbCr")
    display = image.resize(DISPLAY, LANCZOS, box=box).convert("RGB")
    return _outputs(display, display.resize(GRID, LANCZOS))


def draft_bicubic_grid_reduce(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, Image.Resampling.BICUBIC, box=box)
    return _outputs(display, display.reduce(2))


def draft_bicubic_grid_lanczos(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, Image.Resampling.BICUBIC, box=box)
    return _outputs(display, display.resize(GRID, LANCZOS))


def draft_bilinear_grid_reduce(data: bytes) -> tuple[bytes, bytes]:
    image, box = _drafted(data)
    display = image.resize(DISPLAY, Image.Resampling.BILINEAR, box=box)
    return _outputs(display, display.reduce(2))


def draft_quarter_upscale(data: bytes) -> tuple[bytes, bytes]:
    image = _open(data)
    image.draft("RGB", (WIDTH // 4, HEIGHT // 4))  # 1000×750: one DCT step too small
    display = image.resize(DISPLAY, LANCZOS)
    return _outputs(display, display.reduce(2))


@dataclass
class Method:
    name: str
    run: Callable[[bytes], tuple[bytes, bytes]]
    group: str  # "project", "naive" or "candidate"
    times: list[float]
    psnr: tuple[float, float] = (0.0, 0.0)


METHODS = [
    Method("project: notes.imaging", project, "project", []),
    Method("naive: full decode + LANCZOS ×2", naive, "naive", []),
    Method("draft + LANCZOS, grid from display", draft_lanczos_grid_from_display, "c", []),
    Method("draft + LANCZOS gap 2, grid gap 2", draft_gap2_grid_gap2, "c", []),
    Method("draft + LANCZOS, grid = reduce(2)", draft_lanczos_grid_reduce, "c", []),
    Method("draft + LANCZOS, grid gap 1 from decode", draft_grid_from_decoded_gap1, "c", []),
    Method("thumbnail() ×2 (draft, gap 2)", thumbnail, "c", []),
    Method("thumbnail() ×2, reducing_gap=None", thumbnail_no_gap, "c", []),
    Method("draft YCbCr + LANCZOS, RGB after", draft_ycbcr, "c", []),
    Method("draft + BICUBIC, grid LANCZOS", draft_bicubic_grid_lanczos, "c", []),
    Method("draft + BICUBIC, grid = reduce(2)", draft_bicubic_grid_reduce, "c", []),
    Method("draft + BILINEAR, grid = reduce(2)", draft_bilinear_grid_reduce, "c", []),
    Method("draft 1/4 + LANCZOS upscale", draft_quarter_upscale, "c", []),
]


# --- Quality ----------------------------------------------------------------------------------


def psnr(a: Image.Image, b: Image.Image) -> float:
    rms = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).rms
    mse = sum(v * v for v in rms) / len(rms)
    return 99.0 if mse == 0 else 10 * math.log10(255**2 / mse)


def quality(method: Method, reference: tuple[Image.Image, Image.Image]) -> tuple[float, float]:
    """PSNR of the display and grid pixels `method` would encode."""
    global _captured
    _captured = []
    project_encode = imaging.webp_encode
    imaging.webp_encode = _webp
    try:
        method.run(DATA)
        images = _captured
    finally:
        imaging.webp_encode = project_encode
        _captured = None
    for image, ref in zip(images, reference, strict=True):
        if image.size != ref.size:
            raise SystemExit(f"size mismatch: {image.size} instead of {ref.size}")
    return tuple(psnr(image, ref) for image, ref in zip(images, reference, strict=True))


def stages(data: bytes, repeats: int) -> dict[str, float]:
    """Where the project's time goes, step by step (median ms)."""
    names = (
        "decode at 1/2 scale (draft)",
        "LANCZOS to display",
        "LANCZOS display to grid",
        "WebP encode, both",
    )
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        marks = [time.process_time()]
        image, box = _drafted(data)
        image.load()
        marks.append(time.process_time())
        display = image.resize(DISPLAY, LANCZOS, box=box)
        marks.append(time.process_time())
        grid = display.resize(GRID, LANCZOS)
        marks.append(time.process_time())
        _webp(display), _webp(grid)
        marks.append(time.process_time())
        for name, start, end in zip(names, marks[:-1], marks[1:], strict=True):
            times[name].append(end - start)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


# --- Run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    print(f"Pillow {Image.__version__}; generating a {WIDTH}×{HEIGHT} photo-like JPEG…")
    global DATA
    DATA = data = photo_jpeg()
    size_mb = len(data) / 1e6
    print(f"source: {size_mb:.1f} MB JPEG q90 with EXIF+GPS; display {DISPLAY}, grid {GRID}")
    full = ImageOps.exif_transpose(_open(data)).convert("RGB")
    reference = (full.resize(DISPLAY, LANCZOS), full.resize(GRID, LANCZOS))
    del full

    for method in METHODS:  # the quality of each, and a warm-up
        method.psnr = quality(method, reference)
        method.run(data)
    for _ in range(args.repeats):
        for method in METHODS:
            start = time.process_time()
            method.run(data)
            method.times.append(time.process_time() - start)

    naive_method = next(m for m in METHODS if m.group == "naive")
    project_method = next(m for m in METHODS if m.group == "project")

    def same_output(method: Method) -> bool:
        return all(
            q >= ref - SAME_QUALITY_DB
            for q, ref in zip(method.psnr, project_method.psnr, strict=True)
        )

    def cpu(method: Method) -> float:
        return statistics.median(method.times) * 1000

    eligible = [m for m in METHODS if same_output(m)]
    fastest = min(eligible, key=cpu)
    print(f"\nCPU time, median of {args.repeats} (ms); PSNR vs full-resolution LANCZOS (dB)")
    print(f"{'method':<44}{'CPU ms':>9}{'display':>9}{'grid':>8}  same output")
    for method in METHODS:
        mark = "yes" if same_output(method) else "no (lower quality)"
        star = "  ← fastest" if method is fastest else ""
        display_q, grid_q = method.psnr
        print(f"{method.name:<44}{cpu(method):>9.1f}{display_q:>9.2f}{grid_q:>8.2f}  {mark}{star}")

    print("\nwhere the time goes (project's steps, median ms):")
    for name, value in stages(data, args.repeats).items():
        print(f"  {name:<32}{value:>7.1f}")

    quickest = min(METHODS, key=cpu)
    vs_fastest = cpu(project_method) / cpu(fastest)
    naive_ratio = cpu(naive_method) / cpu(project_method)
    ok_fastest = vs_fastest <= TARGET_VS_FASTEST
    ok_naive = naive_ratio >= TARGET_NAIVE_VS_PROJECT
    print(
        f"\nproject / fastest = {vs_fastest:.2f}  (target ≤ {TARGET_VS_FASTEST})  "
        f"{'OK' if ok_fastest else 'MISSED'}"
    )
    print(
        f"naive / project   = {naive_ratio:.2f}  (target ≥ {TARGET_NAIVE_VS_PROJECT})  "
        f"{'OK' if ok_naive else 'MISSED'}"
    )
    print(
        f"(for information: project / fastest at any quality = "
        f"{cpu(project_method) / cpu(quickest):.2f}, {quickest.name})"
    )
    return 0 if ok_fastest and ok_naive else 1


if __name__ == "__main__":
    sys.exit(main())
