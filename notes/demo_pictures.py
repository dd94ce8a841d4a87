"""Photo-like pictures for the demo notes, painted from a one-line scene description.

The demo dataset describes each photo by a `scene` ("bowl of hand-pulled beef noodle soup with
cilantro and chili oil"), a `palette` of three hex colours and an `aspect` ("3:4"). This module
turns that into a JPEG that reads as a photograph at a glance: a backdrop chosen from the
scene (a table seen from above, a room, a street, a landscape, a sheet of paper, a phone
screen), subjects suggested by its keywords (bowls with steam, cats, dogs, people, buildings
with lit windows, ridges and water, leaves and petals, brush strokes, snow), then depth of
field, soft light, a vignette and film grain.

Everything is drawn with Pillow at half size and scaled up, which is both fast and what gives
the soft, lens-like look; the grain is added at full size. The output depends only on the
arguments: the random generator is seeded from `key`.
"""

import functools
import hashlib
import io
import math
import random
import re
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

LONG_SIDE = 1600
JPEG_QUALITY = 88
ASPECTS = {"3:4": (3, 4), "4:3": (4, 3), "1:1": (1, 1), "9:16": (9, 16), "16:9": (16, 9)}
_WORK_SCALE = 2  # pictures are composed at 1/2 size, then scaled up

Color = tuple[int, int, int]

SKIN_TONES: tuple[Color, ...] = (
    (241, 204, 178),
    (224, 177, 140),
    (198, 145, 106),
    (160, 108, 74),
    (112, 74, 52),
)
LEAF_GREENS: tuple[Color, ...] = ((74, 122, 66), (96, 148, 78), (52, 96, 60), (128, 164, 92))


def picture_size(aspect: str) -> tuple[int, int]:
    """Pixel size for an aspect such as "3:4": the long side is LONG_SIDE."""
    if aspect not in ASPECTS:
        raise ValueError(f"unknown aspect {aspect!r}")
    w, h = ASPECTS[aspect]
    if w >= h:
        return LONG_SIDE, round(LONG_SIDE * h / w)
    return round(LONG_SIDE * w / h), LONG_SIDE


def picture_paint(*, scene: str, palette: list[str], aspect: str, key: str) -> Image.Image:
    """Paint the picture described by `scene` in the colours of `palette` (three "#rrggbb")."""
    if len(palette) < 3:
        raise ValueError("a palette has three colours")
    size = picture_size(aspect)
    seed = int.from_bytes(hashlib.sha256(f"{key}|{scene}".encode()).digest()[:8], "big")
    painter = _Painter(
        size=(size[0] // _WORK_SCALE, size[1] // _WORK_SCALE),
        palette=[_rgb(c) for c in palette[:3]],
        scene=scene,
        rng=random.Random(seed),  # noqa: S311 - reproducible pictures, not secrets
    )
    painter.paint()
    return painter.finish(size)


def picture_jpeg(*, scene: str, palette: list[str], aspect: str, key: str) -> bytes:
    """The painted picture as JPEG bytes (quality JPEG_QUALITY, no metadata)."""
    image = picture_paint(scene=scene, palette=palette, aspect=aspect, key=key)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# --- Colour helpers -----------------------------------------------------------------------


def _rgb(value: str) -> Color:
    value = value.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        raise ValueError(f"not a hex colour: #{value}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _lum(c: Color) -> float:
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def _shade(c: Color, amount: float) -> Color:
    """Darken (amount < 0) or lighten (amount > 0) towards black or white."""
    return _mix(c, (0, 0, 0), -amount) if amount < 0 else _mix(c, (255, 255, 255), amount)


def _saturation(c: Color) -> float:
    return (max(c) - min(c)) / 255


def _rgba(c: Color, alpha: int) -> tuple[int, int, int, int]:
    return (*c, alpha)


def _blurred(image: Image.Image, radius: float) -> Image.Image:
    """Gaussian blur of an RGBA image with premultiplied alpha (no dark fringes). Wide blurs
    are done on a reduced copy: the result is indistinguishable and many times faster."""
    image = image.convert("RGBa")
    factor = radius / 3 if radius > 6 else 1
    if factor > 1:
        size = image.size
        small = image.resize(
            (max(1, round(size[0] / factor)), max(1, round(size[1] / factor))),
            Image.Resampling.BILINEAR,
            reducing_gap=2.0,
        )
        image = small.filter(ImageFilter.GaussianBlur(radius / factor)).resize(
            size, Image.Resampling.BILINEAR
        )
    else:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    return image.convert("RGBA")


# --- Scene vocabulary ---------------------------------------------------------------------

# Words that suggest a backdrop or a subject. Each matches as a whole word, plural allowed
# ("pot" matches "pots", not "potted"; "ice" not "office").
_VOCABULARY = {
    "screen": "phone screen, screenshot, map app, comment section",
    "collage": "collage grid",
    "paper": "notebook, page, card, receipt, essay, character, flashcard, whiteboard, "
    "checklist, sticky note, cheat sheet, practice sheet, practice paper, rice paper, fabric tag",
    "food": "bowl, plate, hotpot, pot, noodle, dumpling, soup, broth, steamer, dim sum, wok, "
    "skillet, dish, brisket, rolls, sandwich, pancake, skewer, crawfish, pork, tofu, chowder, "
    "gumbo, jelly, flatbread, rice cake, scones, cookie, stir fry, chili, sausage, roujiamo, "
    "pasta, hawthorn, dough, chicken, cinnamon, tea, mug, dinner, meat, rice balls, fish",
    "landscape": "lake, mountain, plains, desert, sunrise, sunset, trail, sound, egret, saguaro, "
    "canola, red rocks, backyard, shore, pond, stone bridge",
    "city": "street, alley, hutong, skyline, building, houses, promenade, waterfront, bridge, "
    "city wall, hillside, shop, stall, market, sidewalk, ancient city, castle, battlements",
    "night": "night, neon, blue hour, glowing, fairy lights, dark room, lit up",
    "snow": "snow, snowy, winter, frost, frozen, ice, icy",
    "steam": "steam, bubbling, smoke, sizzling, hot oil, puffing, steaming",
    "cat": "cat, kitten, tabby, tuxedo",
    "dog": "dog, corgi, retriever",
    "person": "woman, man, grandmother, chef, mirror selfie, fishmonger, cyclist, friends, "
    "people, uncles, crowds, dancers, skaters, skirt swirling",
    "crowd": "people, crowds, friends, uncles, dancers, skaters, line of people, two people",
    "hands": "hands, hand",
    "plant": "plant, pothos, monstera, flower, orchid, bougainvillea, blossom, willow, garden, "
    "leafy, kumquat, trees",
    "lantern": "lantern, red envelope, red paper, firecracker, lion dancers, new year",
    "device": "phone, laptop, monitor, video call, language app",
    "books": "books, exam prep, vocab cards",
    "cup": "cup, teacup, mug, latte, thermos, teapot, bottle, jar, milk jugs",
    "fashion": "jacket, coat, sweater, outfit, skirt, jeans, scarf, loafers, boots, sneaker, "
    "cardigan, trousers, scrubs, haul, knot buttons, hair clip, wristwatch",
    "frame": "framed, embroidered, the frame",
}
_PATTERNS = {
    group: re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(w.strip()) for w in words.split(","))
        + r")(?:s|es)?(?![\w-])"
    )
    for group, words in _VOCABULARY.items()
}


_SHOES = re.compile(r"\b(?:sneakers?|loafers|boots)\b")


def _has(scene: str, group: str) -> bool:
    return _PATTERNS[group].search(scene) is not None


@dataclass
class _Roles:
    """Palette colours by role: `main` is the first listed (the dataset lists the subject's
    colour first), `light`/`mid`/`dark` by luminance."""

    main: Color
    second: Color
    third: Color
    light: Color
    mid: Color
    dark: Color


# --- The painter --------------------------------------------------------------------------


class _Painter:
    def __init__(self, *, size: tuple[int, int], palette: list[Color], scene: str, rng):
        self.w, self.h = size
        # "a box of cat litter" has no cat in it.
        self.scene = f" {scene.lower()} ".replace("cat litter", "litter")
        self.rng = rng
        by_lum = sorted(palette, key=_lum)
        self.c = _Roles(palette[0], palette[1], palette[2], by_lum[2], by_lum[1], by_lum[0])
        self.night = _has(self.scene, "night")
        self.canvas = Image.new("RGBA", size, (*self.c.mid, 255))
        self.unit = min(self.w, self.h)

    # Layers: each subject is drawn flat on its own transparent layer, given volume, then
    # composited with a little blur; the further away, the more blur.

    def layer(self) -> Image.Image:
        return Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))

    def put(self, layer: Image.Image, blur: float = 0.0) -> None:
        """Composite `layer` onto the canvas, blurred by `blur` pixels. Only the part of the
        layer that holds something is processed, which keeps many small layers cheap."""
        box = layer.getbbox()
        if box is None:
            return
        if blur > 0:
            margin = int(blur * 2.5) + 2
            box = (
                max(0, box[0] - margin),
                max(0, box[1] - margin),
                min(self.w, box[2] + margin),
                min(self.h, box[3] + margin),
            )
            part = _blurred(layer.crop(box), blur)
        else:
            part = layer.crop(box)
        self.canvas.alpha_composite(part, dest=box[:2])

    def shadow(self, box, *, strength: int = 110, blur: float | None = None) -> None:
        """A soft contact shadow under an object occupying `box`."""
        layer = self.layer()
        ImageDraw.Draw(layer).ellipse(box, fill=(0, 0, 0, strength))
        self.put(layer, blur=blur if blur is not None else self.unit * 0.03)

    def volume(self, layer: Image.Image, box, *, light: float = 0.35, dark: float = 0.45) -> None:
        """Round out the flat shapes on `layer` inside `box`: light from the upper left, shade
        to the lower right, clipped to the shapes."""
        x0, y0, x1, y1 = box
        bw, bh = x1 - x0, y1 - y0
        shading = self.layer()
        draw = ImageDraw.Draw(shading)
        draw.ellipse(
            (x0 + bw * 0.35, y0 + bh * 0.4, x1 + bw * 0.45, y1 + bh * 0.5),
            fill=(0, 0, 0, round(255 * dark)),
        )
        draw.ellipse(
            (x0 - bw * 0.2, y0 - bh * 0.25, x0 + bw * 0.45, y0 + bh * 0.4),
            fill=(255, 255, 255, round(255 * light)),
        )
        shading = _blurred(shading, max(bw, bh) * 0.18)
        shading.putalpha(ImageChops.multiply(shading.getchannel("A"), layer.getchannel("A")))
        layer.alpha_composite(shading)

    def r(self, a: float, b: float) -> float:
        return self.rng.uniform(a, b)

    # --- Composition ----------------------------------------------------------------------

    def layout(self) -> str:
        """The kind of photograph the scene describes, which decides the backdrop."""
        s = self.scene
        animal = _has(s, "cat") or _has(s, "dog")
        if _has(s, "collage"):
            return "collage"
        if _has(s, "screen"):
            return "screen"
        if _has(s, "frame"):
            return "room"
        if animal:
            if _has(s, "city"):
                return "city"
            return "landscape" if _has(s, "landscape") or "snow" in s else "room"
        if _has(s, "paper") and not _has(s, "person"):
            return "paper"
        if _has(s, "fashion") and ("haul" in s or "laid" in s):
            return "room"
        if _has(s, "food") and (_has(s, "hands") or not _has(s, "person")):
            if not ("shop" in s or "market" in s or "teahouse" in s and "tables" not in s):
                return "food"
        if "moon gate" in s:
            return "gate"
        if _has(s, "plant") and ("covered" in s or "bougainvillea" in s):
            return "flowers"
        if _has(s, "landscape") and (not _has(s, "city") or "stone bridge" in s):
            return "landscape"
        if _has(s, "city") or " car " in s:
            return "city"
        return "room"

    def paint(self) -> None:
        s = self.scene
        layout = self.layout()
        if layout == "collage":
            self.collage()
        elif layout == "screen":
            self.backdrop_room()
            self.phone_in_hand()
        elif layout == "paper":
            self.backdrop_desk()
            self.paper()
        elif layout == "food":
            self.backdrop_table()
            self.food()
        elif layout == "landscape":
            self.landscape()
        elif layout == "city":
            self.city()
        elif layout == "gate":
            self.moon_gate()
        elif layout == "flowers":
            self.sky(0.9)
            self.plants(front=False)
        else:
            self.backdrop_room()
            self.room_subjects()
        falling = _has(s, "snow") and not any(
            w in s for w in ("snow-capped", "pear", "frozen lake")
        )
        if falling and layout not in ("food", "paper", "collage", "screen"):
            self.snowflakes()
        if _has(s, "steam"):
            self.steam()
        self.light()

    def room_subjects(self) -> None:
        s = self.scene
        animal = _has(s, "cat") or _has(s, "dog")
        placed = False
        if _has(s, "frame"):
            self.framed_embroidery()
            placed = True
        if _has(s, "plant"):
            self.plants(front=not (animal or _has(s, "person")))
        if _has(s, "lantern"):
            self.lanterns()
        if _has(s, "books"):
            self.books()
            placed = True
        if "aisle" in s or "shelves of" in s:
            self.shelves()
            placed = True
        if _has(s, "device") and not _has(s, "person"):
            if "laptop" in s or "monitor" in s or "call" in s:
                self.laptop()
            else:
                self.phone()
            placed = True
        if _has(s, "cup") and not (placed or animal or _has(s, "person") or _has(s, "frame")):
            self.cup_side(x=self.w * (0.3 if placed else 0.5), size=0.32 if placed else 0.45)
            placed = True
        if animal:
            self.animals("cat" if _has(s, "cat") else "dog")
        elif _has(s, "hands"):
            self.hands(holding=True)
        elif _has(s, "person"):
            self.people()
        elif _has(s, "fashion"):
            self.garment()
        elif not placed and not _has(s, "plant") and not _has(s, "lantern"):
            self.still_life()

    # --- Backdrops ------------------------------------------------------------------------

    def gradient(self, stops: list[tuple[float, Color]], box=None) -> Image.Image:
        """A vertical gradient through colour stops (position 0..1 from the top)."""
        x0, y0, x1, y1 = box or (0, 0, self.w, self.h)
        rows = 128
        column = Image.new("RGB", (1, rows))
        for i in range(rows):
            t = i / (rows - 1)
            for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
                if p0 <= t <= p1:
                    column.putpixel((0, i), _mix(c0, c1, (t - p0) / max(p1 - p0, 1e-6)))
                    break
            else:
                column.putpixel((0, i), stops[-1][1] if t > stops[-1][0] else stops[0][1])
        return column.resize((int(x1 - x0), int(y1 - y0)), Image.Resampling.BILINEAR)

    def backdrop_room(self) -> None:
        c = self.c
        wall_top = _shade(c.light, -0.12)
        wall = _mix(c.light, c.mid, 0.35)
        floor_y = self.r(0.58, 0.7)
        floor = _mix(c.mid, c.dark, 0.45)
        self.canvas.paste(
            self.gradient(
                [
                    (0, wall_top),
                    (floor_y - 0.01, wall),
                    (floor_y, _shade(floor, 0.15)),
                    (1, _shade(floor, -0.25)),
                ]
            ),
            (0, 0),
        )
        self.floor_y = self.h * floor_y
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        # Window light falling on the wall, and the edge of the table or sill.
        wx = self.r(0.05, 0.55) * self.w
        draw.rectangle(
            (wx, self.h * 0.08, wx + self.w * 0.42, self.floor_y * 0.92),
            fill=(255, 248, 230, 70),
        )
        draw.rectangle(
            (0, self.floor_y - self.h * 0.012, self.w, self.floor_y + self.h * 0.01),
            fill=_rgba(_shade(floor, 0.3), 120),
        )
        self.put(layer, blur=self.unit * 0.06)
        self.grain_lines(self.floor_y, self.h, _shade(floor, -0.2), count=14, alpha=50)

    def grain_lines(self, y0: float, y1: float, color: Color, *, count: int, alpha: int) -> None:
        """Faint streaks, like wood grain or the weave of a tablecloth."""
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        for _ in range(count):
            y = self.r(y0, y1)
            pts = []
            for i in range(9):
                pts.append((self.w * i / 8, y + self.r(-1, 1) * self.unit * 0.01))
            draw.line(pts, fill=_rgba(color, alpha), width=max(1, round(self.r(1, 3))))
        self.put(layer, blur=1.2)

    def backdrop_table(self) -> None:
        """A table top filling the frame, as in a food photo taken from above."""
        c = self.c
        base = c.dark if _lum(c.dark) > 40 else _mix(c.dark, c.mid, 0.45)
        if _lum(base) < 35:
            base = _mix(base, c.mid, 0.4)
        self.canvas.paste(self.gradient([(0, _shade(base, 0.12)), (1, _shade(base, -0.2))]), (0, 0))
        grain = _shade(base, -0.3)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        # Planks and grain run along the long side.
        horizontal = self.w >= self.h
        length, across = (self.w, self.h) if horizontal else (self.h, self.w)
        planks = self.rng.randint(3, 5)
        for i in range(1, planks):
            p = across * i / planks + self.r(-0.03, 0.03) * across
            line = [(0, p), (length, p)] if horizontal else [(p, 0), (p, length)]
            draw.line(line, fill=_rgba(_shade(base, -0.45), 150), width=2)
        for _ in range(60):
            p = self.r(0, across)
            a = self.r(0, length * 0.8)
            b = a + self.r(0.1, 0.5) * length
            line = [(a, p), (b, p + self.r(-2, 2))]
            if not horizontal:
                line = [(y, x) for x, y in line]
            draw.line(line, fill=_rgba(grain, self.rng.randint(25, 70)), width=1)
        self.put(layer, blur=0.8)

    def backdrop_desk(self) -> None:
        c = self.c
        desk = _mix(c.dark, c.mid, 0.5)
        if _lum(desk) > 170:
            desk = _shade(desk, -0.3)
        self.canvas.paste(self.gradient([(0, _shade(desk, 0.1)), (1, _shade(desk, -0.25))]), (0, 0))
        self.grain_lines(0, self.h, _shade(desk, -0.25), count=30, alpha=40)

    def sky(self, horizon: float) -> None:
        c = self.c
        if self.night:
            top = _shade(c.dark, -0.55)
            glow = _mix(c.dark, c.main if _lum(c.main) < 200 else c.mid, 0.55)
            stops = [(0, top), (horizon * 0.75, _mix(top, glow, 0.5)), (horizon, glow)]
        else:
            sky_top = self.sky_color()
            warm = "sunrise" in self.scene or "sunset" in self.scene or "dawn" in self.scene
            low = _mix(c.main, (255, 220, 170), 0.4) if warm else _shade(sky_top, 0.45)
            stops = [(0, sky_top), (horizon, low)]
        stops.append((1, stops[-1][1]))
        self.canvas.paste(self.gradient(stops), (0, 0))

    def sky_color(self) -> Color:
        c = self.c
        blues = [col for col in (c.main, c.second, c.third) if col[2] > col[0] + 25]
        if blues:
            return _shade(max(blues, key=_lum), 0.1)
        return _mix(c.light, (150, 185, 220), 0.45)

    # --- Landscapes and cities ------------------------------------------------------------

    def ridge(self, base_y: float, height: float, color: Color, *, rough: float = 0.5):
        """A mountain ridge polygon by midpoint displacement."""
        n = 33
        ys = [0.0] * n
        ys[0], ys[-1] = self.r(0, 1), self.r(0, 1)
        step, amp = n - 1, 1.0
        while step > 1:
            half = step // 2
            for i in range(half, n - 1, step):
                ys[i] = (ys[i - half] + ys[i + half]) / 2 + self.r(-amp, amp)
            step, amp = half, amp * rough
        lo, hi = min(ys), max(ys)
        pts = [
            (self.w * i / (n - 1), base_y - height * (y - lo) / max(hi - lo, 1e-6))
            for i, y in enumerate(ys)
        ]
        return [(0, self.h), *pts, (self.w, self.h)], pts

    def landscape(self) -> None:
        s, c = self.scene, self.c
        horizon = self.r(0.5, 0.62) if "plains" not in s else 0.55
        self.sky(horizon)
        hy = self.h * horizon
        sun = any(w in s for w in ("sunrise", "sunset", "dawn", "sun "))
        if sun:
            layer = self.layer()
            draw = ImageDraw.Draw(layer)
            sx, sr = self.r(0.3, 0.7) * self.w, self.unit * 0.09
            sy = hy - sr * self.r(0.2, 1.4)
            for k, a in ((3.5, 40), (2.0, 80), (1.0, 255)):
                draw.ellipse(
                    (sx - sr * k, sy - sr * k, sx + sr * k, sy + sr * k),
                    fill=(255, 236, 190, a),
                )
            self.put(layer, blur=self.unit * 0.015)
        self.clouds(hy)
        haze = _mix(self.sky_color(), (235, 235, 235), 0.3)
        land = _mix(c.dark, c.mid, 0.3)
        if "desert" in s or "rocks" in s:
            land = _mix(c.main, c.dark, 0.35)
        mountains = "mountain" in s or "rocks" in s or "hiking" in s or "lake" in s
        layers = 3 if mountains else 1
        for i in range(layers):
            depth = (layers - i) / (layers + 1)
            col = _mix(land, haze, depth * 0.6)
            height = self.h * (0.26 if mountains else 0.04) * (0.6 + depth)
            poly, pts = self.ridge(hy + self.h * 0.02 * i, height, col, rough=0.55)
            layer = self.layer()
            draw = ImageDraw.Draw(layer)
            draw.polygon(poly, fill=_rgba(col, 255))
            if "snow" in s and i == 0:
                # Snow down to a snow line: thick on the peaks, none in the valleys.
                snowline = min(p[1] for p in pts) + height * 0.45
                lower = [(x, max(y, min(y + height * 0.22, snowline))) for x, y in pts]
                draw.polygon([*pts, *reversed(lower)], fill=(246, 248, 252, 255))
            self.put(layer, blur=1.5 + depth * 3)
        ground_top = hy + self.h * 0.02 * layers
        water = any(w in s for w in ("lake", "sound", "river", "egret", "water"))
        ground = self.layer()
        draw = ImageDraw.Draw(ground)
        if water:
            water_col = _mix(self.sky_color(), c.dark, 0.25)
            draw.rectangle((0, ground_top, self.w, self.h), fill=_rgba(water_col, 255))
            for _ in range(70):
                y = self.r(ground_top, self.h)
                x = self.r(-0.1, 1) * self.w
                length = self.r(0.03, 0.2) * self.w * (y - ground_top) / (self.h - ground_top + 1)
                draw.line(
                    (x, y, x + length + 4, y),
                    fill=(255, 255, 255, self.rng.randint(40, 110)),
                    width=1,
                )
            if "shore" in s or "canola" in s or "silhouette" in s:
                shore = _mix(c.dark, (40, 40, 40), 0.3)
                if "canola" in s:
                    shore = (236, 196, 46)
                draw.polygon(
                    [
                        (0, self.h),
                        (0, self.h * 0.82),
                        (self.w * 0.5, self.h * 0.86),
                        (self.w, self.h * 0.8),
                        (self.w, self.h),
                    ],
                    fill=_rgba(shore, 255),
                )
        else:
            field = _mix(land, c.main, 0.25) if "desert" not in s else land
            draw.rectangle((0, ground_top, self.w, self.h), fill=_rgba(field, 255))
        self.put(ground, blur=1.0)
        if not water:
            self.grain_lines(ground_top, self.h, _shade(c.dark, -0.2), count=24, alpha=60)
        if "highway" in s or "trail" in s or "windshield" in s:
            self.road(hy)
        if "saguaro" in s or "cactus" in s:
            self.cactus()
        if "egret" in s:
            self.bird()
        if "silhouettes" in s:
            self.people(silhouette=True, count=2)
        if "windshield" in s:
            self.windshield_frame()
        if "bottle" in s:
            self.cup_side(x=self.w * 0.25, size=0.45, bottle=True)
        self.floor_y = ground_top
        if "bridge" in s:
            self.bridge(hy + self.h * 0.04)
        if "willow" in s:
            self.willows(bare="bare" in s)
        if "smoker" in s:
            self.smoker()
        if _has(s, "dog") or _has(s, "cat"):
            self.animals("dog" if _has(s, "dog") else "cat")
        elif _has(s, "person") and "silhouettes" not in s:
            self.people()

    def clouds(self, horizon: float) -> None:
        if self.night:
            return
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        for _ in range(self.rng.randint(3, 7)):
            cx, cy = self.r(-0.1, 1.1) * self.w, self.r(0.05, 0.7) * horizon
            for _ in range(6):
                rx, ry = self.r(0.05, 0.14) * self.w, self.r(0.02, 0.05) * self.h
                ox, oy = self.r(-0.1, 0.1) * self.w, self.r(-0.02, 0.02) * self.h
                draw.ellipse(
                    (cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry),
                    fill=(255, 255, 255, 60),
                )
        self.put(layer, blur=self.unit * 0.03)

    def road(self, horizon: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        vx = self.w * self.r(0.45, 0.55)
        asphalt = (
            (70, 68, 66) if "highway" in self.scene else _mix(self.c.main, (200, 170, 130), 0.4)
        )
        draw.polygon(
            [
                (vx - 3, horizon),
                (vx + 3, horizon),
                (self.w * 0.95, self.h),
                (self.w * 0.05, self.h),
            ],
            fill=_rgba(asphalt, 255),
        )
        if "highway" in self.scene:
            for i in range(8):
                t0, t1 = (i / 8) ** 1.8, ((i + 0.5) / 8) ** 1.8
                y0 = horizon + (self.h - horizon) * t0
                y1 = horizon + (self.h - horizon) * t1
                draw.polygon(
                    [
                        (vx - 1 - 6 * t0, y0),
                        (vx + 1 + 6 * t0, y0),
                        (vx + 1 + 6 * t1, y1),
                        (vx - 1 - 6 * t1, y1),
                    ],
                    fill=(245, 220, 120, 230),
                )
        self.put(layer, blur=1.0)

    def windshield_frame(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        frame = (28, 28, 30, 255)
        draw.rectangle((0, self.h * 0.82, self.w, self.h), fill=frame)
        draw.polygon([(0, 0), (self.w * 0.12, 0), (0, self.h * 0.8)], fill=frame)
        draw.polygon([(self.w, 0), (self.w * 0.88, 0), (self.w, self.h * 0.8)], fill=frame)
        draw.rectangle((0, 0, self.w, self.h * 0.05), fill=frame)
        self.put(layer, blur=2)

    def cactus(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        col = (38, 36, 40, 255)
        x, base, width = self.w * self.r(0.4, 0.6), self.h * 0.95, self.w * 0.09
        top = self.h * 0.3
        draw.rounded_rectangle((x - width / 2, top, x + width / 2, base), width / 2, fill=col)
        for side, arm_y in ((-1, 0.5), (1, 0.6)):
            ay = self.h * arm_y
            ax = x + side * width * 1.6
            draw.rounded_rectangle(
                (
                    min(x, ax) - width * 0.3,
                    ay - width * 0.35,
                    max(x, ax) + width * 0.3,
                    ay + width * 0.35,
                ),
                width * 0.35,
                fill=col,
            )
            draw.rounded_rectangle(
                (ax - width * 0.35, ay - self.h * 0.16, ax + width * 0.35, ay + width * 0.3),
                width * 0.35,
                fill=col,
            )
        self.put(layer, blur=1.2)

    def bird(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        x, y, span = self.w * self.r(0.3, 0.6), self.h * self.r(0.25, 0.4), self.w * 0.28
        white = (250, 250, 248, 255)
        draw.ellipse(
            (x - span * 0.16, y - span * 0.05, x + span * 0.16, y + span * 0.06), fill=white
        )
        draw.polygon(
            [
                (x - span * 0.05, y),
                (x - span * 0.5, y - span * 0.32),
                (x - span * 0.25, y + span * 0.02),
            ],
            fill=white,
        )
        draw.polygon(
            [
                (x + span * 0.05, y),
                (x + span * 0.5, y - span * 0.22),
                (x + span * 0.2, y + span * 0.03),
            ],
            fill=white,
        )
        draw.line((x + span * 0.15, y, x + span * 0.3, y - span * 0.08), fill=white, width=3)
        self.put(layer, blur=0.8)

    def city(self) -> None:
        s, c = self.scene, self.c
        if "alley" in s or "hutong" in s or "narrow" in s:
            self.alley()
            return
        horizon = self.r(0.5, 0.62)
        self.sky(horizon + 0.1)
        self.clouds(self.h * horizon)
        hy = self.h * horizon
        water = any(w in s for w in ("river", "waterfront", "bridge", "promenade"))
        animal = _has(s, "cat") or _has(s, "dog")
        crowd = _has(s, "crowd")
        # With someone in front the street behind is out of focus, as with a portrait lens.
        portrait = (
            animal or " car " in s or (_has(s, "person") and not crowd and "cyclist" not in s)
        )
        if "castle" in s or "sculpture" in s:
            self.castle(hy)
        else:
            self.buildings(hy, water=water, blur=4.0 if portrait else 0.0)
        street_y = hy + self.h * 0.28
        if water:
            self.reflection(hy)
        elif "castle" not in s:
            layer = self.layer()
            draw = ImageDraw.Draw(layer)
            draw.rectangle((0, street_y, self.w, self.h), fill=_rgba(_shade(c.dark, -0.1), 255))
            self.put(layer, blur=1.0)
            if "trees" in s or "tree-lined" in s:
                self.bare_trees(street_y)
        self.floor_y = street_y if not water else hy
        if "bridge" in s:
            self.bridge(hy)
        if "awning" in s or "shop" in s or "stall" in s:
            self.awning()
        if animal:
            self.animals("cat" if _has(s, "cat") else "dog")
        elif " car " in s:
            self.car()
        elif crowd or "cyclist" in s or "bikes" in s or "bicycles" in s:
            self.people(count=self.rng.randint(4, 7) if crowd else 2, small=True)
        elif _has(s, "person"):
            self.people(count=1)
        elif _SHOES.search(s):
            self.shoes()
        if _has(s, "lantern"):
            self.lanterns()
        if self.night:
            self.bokeh(count=40, small=True)

    def buildings(self, horizon: float, *, water: bool, blur: float) -> None:
        """Two rows of buildings with their windows, the far row paler and softer."""
        s, c = self.scene, self.c
        tall = any(w in s for w in ("skyline", "futuristic", "stacked", "hillside", "complex"))
        base_col = _mix(c.dark, c.mid, 0.35)
        if self.night:
            base_col = _shade(c.dark, -0.3)
        for row in range(2):
            depth = 1 - row
            layer = self.layer()
            draw = ImageDraw.Draw(layer)
            x = -self.r(0, 0.1) * self.w
            ground = horizon + self.h * (0.06 + 0.22 * row) if not water else horizon
            while x < self.w:
                bw = self.r(0.1, 0.24) * self.w * (1.3 if row else 1)
                top = ground - self.r(0.12, 0.55 if tall else 0.32) * self.h * (0.8 + 0.3 * row)
                col = _mix(base_col, _mix(self.sky_color(), c.light, 0.5), depth * 0.45)
                col = _shade(col, self.r(-0.12, 0.12))
                draw.rectangle((x, top, x + bw, ground), fill=_rgba(col, 255))
                if not tall and self.rng.random() < 0.5:  # a pitched roof
                    draw.polygon(
                        [(x - 2, top), (x + bw / 2, top - bw * 0.3), (x + bw + 2, top)],
                        fill=_rgba(_shade(col, -0.2), 255),
                    )
                self.windows(draw, (x, top, x + bw, ground), col)
                x += bw - self.r(0, 0.02) * self.w
            self.put(layer, blur=(2.5 if depth else 1.0) + blur)

    def castle(self, horizon: float) -> None:
        """An ice castle: towers of translucent blocks lit from inside in the palette's colours."""
        c = self.c
        glow_a = c.main if _saturation(c.main) > 0.25 else (90, 140, 230)
        glow_b = c.second if _saturation(c.second) > 0.25 else (180, 140, 240)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        ground = self.h * 0.8
        towers = self.rng.randint(5, 7)
        for i in range(towers):
            cx = self.w * (i + 0.5) / towers + self.r(-0.03, 0.03) * self.w
            tw = self.w / towers * self.r(0.5, 0.8)
            center = 1 - abs(i - (towers - 1) / 2) / towers
            top = ground - self.h * (0.25 + 0.4 * center) * self.r(0.8, 1.1)
            col = _mix(glow_a, glow_b, i / max(1, towers - 1))
            draw.rectangle((cx - tw / 2, top, cx + tw / 2, ground), fill=_rgba(col, 235))
            draw.polygon(
                [(cx - tw * 0.6, top), (cx, top - tw * 1.1), (cx + tw * 0.6, top)],
                fill=_rgba(_shade(col, 0.2), 235),
            )
            for k in range(int((ground - top) / (self.unit * 0.03))):  # the ice blocks
                y = top + k * self.unit * 0.03
                draw.line([(cx - tw / 2, y), (cx + tw / 2, y)], fill=_rgba(_shade(col, 0.45), 150))
        self.put(layer, blur=self.unit * 0.04)  # the glow
        self.put(layer, blur=1.0)
        snow = self.layer()
        ImageDraw.Draw(snow).rectangle((0, ground, self.w, self.h), fill=(214, 224, 240, 255))
        self.put(snow, blur=2)

    def car(self) -> None:
        s, c = self.scene, self.c
        body = c.third if _lum(c.third) < 200 else (70, 80, 96)
        if "frost" in s:
            body = _mix(body, (230, 240, 250), 0.55)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        base = self.h * 0.86
        cw = self.w * 0.8
        x0 = (self.w - cw) / 2
        self.shadow((x0, base - self.h * 0.03, x0 + cw, base + self.h * 0.03), strength=150)
        draw.rounded_rectangle(
            (x0, base - cw * 0.3, x0 + cw, base - cw * 0.06), cw * 0.06, fill=_rgba(body, 255)
        )
        draw.polygon(
            [
                (x0 + cw * 0.2, base - cw * 0.29),
                (x0 + cw * 0.32, base - cw * 0.48),
                (x0 + cw * 0.7, base - cw * 0.48),
                (x0 + cw * 0.84, base - cw * 0.29),
            ],
            fill=_rgba(body, 255),
        )
        glass = _mix((120, 140, 160), (240, 246, 252), 0.6 if "frost" in s else 0.1)
        draw.polygon(
            [
                (x0 + cw * 0.25, base - cw * 0.3),
                (x0 + cw * 0.34, base - cw * 0.45),
                (x0 + cw * 0.68, base - cw * 0.45),
                (x0 + cw * 0.79, base - cw * 0.3),
            ],
            fill=_rgba(glass, 255),
        )
        for wx in (x0 + cw * 0.2, x0 + cw * 0.8):
            r = cw * 0.09
            draw.ellipse(
                (wx - r, base - cw * 0.06 - r, wx + r, base - cw * 0.06 + r), fill=(26, 26, 28, 255)
            )
        self.volume(layer, (x0, base - cw * 0.48, x0 + cw, base))
        self.put(layer, blur=0.8)
        if "thermometer" in s:
            therm = self.layer()
            td = ImageDraw.Draw(therm)
            tx, ty = self.w * 0.86, self.h * 0.2
            td.rounded_rectangle(
                (tx - 10, ty, tx + 10, ty + self.h * 0.3), 10, fill=(245, 245, 245, 255)
            )
            td.ellipse(
                (tx - 16, ty + self.h * 0.28, tx + 16, ty + self.h * 0.28 + 32),
                fill=_rgba(c.second, 255),
            )
            td.rectangle(
                (tx - 4, ty + self.h * 0.22, tx + 4, ty + self.h * 0.3), fill=_rgba(c.second, 255)
            )
            self.put(therm, blur=0.8)

    def windows(self, draw: ImageDraw.ImageDraw, box, wall: Color) -> None:
        x0, y0, x1, y1 = box
        cols = max(2, int((x1 - x0) / (self.unit * 0.045)))
        rows = max(2, int((y1 - y0) / (self.unit * 0.06)))
        cw, rh = (x1 - x0) / cols, (y1 - y0) / rows
        lit_col = (255, 214, 140) if self.night else _shade(wall, -0.3)
        for i in range(cols):
            for j in range(rows - 1):
                lit = self.rng.random() < (0.55 if self.night else 0.85)
                if not lit:
                    continue
                col = lit_col if not self.night or self.rng.random() < 0.8 else (180, 210, 255)
                wx, wy = x0 + i * cw + cw * 0.25, y0 + j * rh + rh * 0.3
                draw.rectangle((wx, wy, wx + cw * 0.5, wy + rh * 0.45), fill=_rgba(col, 240))

    def reflection(self, horizon: float) -> None:
        top = self.canvas.crop((0, int(horizon - (self.h - horizon)), self.w, int(horizon)))
        mirrored = top.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        water = Image.new("RGBA", mirrored.size, _rgba(_shade(self.c.dark, -0.2), 255))
        water = Image.blend(water, mirrored, 0.55)
        water = (
            water.filter(ImageFilter.BoxBlur(2))
            .resize((self.w, max(1, round(water.height * 0.25))), Image.Resampling.BILINEAR)
            .resize((self.w, mirrored.height), Image.Resampling.BILINEAR)
        )
        self.canvas.paste(water, (0, int(horizon)))
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        for _ in range(90):
            y = self.r(horizon, self.h)
            x = self.r(0, 1) * self.w
            draw.line(
                (x, y, x + self.r(0.02, 0.1) * self.w, y),
                fill=(255, 230, 170, self.rng.randint(20, 90))
                if self.night
                else (255, 255, 255, 50),
            )
        self.put(layer, blur=0.6)

    def alley(self) -> None:
        c = self.c
        self.sky(0.4)
        vx, vy = self.w * self.r(0.45, 0.6), self.h * 0.45
        brick = _mix(c.main, (128, 124, 120), 0.5)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        draw.polygon(
            [
                (0, -10),
                (vx - self.w * 0.06, vy - self.h * 0.12),
                (vx - self.w * 0.06, vy + self.h * 0.05),
                (0, self.h),
            ],
            fill=_rgba(_shade(brick, -0.15), 255),
        )
        draw.polygon(
            [
                (self.w, -10),
                (vx + self.w * 0.06, vy - self.h * 0.12),
                (vx + self.w * 0.06, vy + self.h * 0.05),
                (self.w, self.h),
            ],
            fill=_rgba(_shade(brick, 0.05), 255),
        )
        draw.polygon(
            [
                (0, self.h),
                (vx - self.w * 0.06, vy + self.h * 0.05),
                (vx + self.w * 0.06, vy + self.h * 0.05),
                (self.w, self.h),
            ],
            fill=_rgba(_mix(c.dark, c.mid, 0.3), 255),
        )
        # Courses of brick converging on the vanishing point.
        for i in range(1, 26):
            t = i / 26
            for side in (-1, 1):
                edge_x = 0 if side < 0 else self.w
                far_x = vx + side * self.w * 0.06
                y_near = -10 + t * (self.h + 10)
                y_far = vy - self.h * 0.12 + t * self.h * 0.17
                draw.line(
                    [(edge_x, y_near), (far_x, y_far)],
                    fill=_rgba(_shade(brick, -0.35), 90),
                    width=1,
                )
        self.put(layer, blur=0.9)
        light = self.layer()
        ImageDraw.Draw(light).polygon(
            [(vx, vy), (self.w, self.h * 0.55), (self.w, self.h * 0.8)],
            fill=(*_shade(c.second, 0.4), 70),
        )
        self.put(light, blur=self.unit * 0.04)
        if "bicycles" in self.scene or "bikes" in self.scene:
            self.bicycle(self.w * 0.25, self.h * 0.82, self.unit * 0.22)

    def bicycle(self, x: float, y: float, size: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        col = (40, 40, 44, 255)
        r = size * 0.3
        for cx in (x - size * 0.35, x + size * 0.35):
            draw.ellipse((cx - r, y - r, cx + r, y + r), outline=col, width=3)
        draw.line(
            [
                (x - size * 0.35, y),
                (x, y - r),
                (x + size * 0.35, y),
                (x + size * 0.1, y - r * 1.5),
                (x, y - r),
            ],
            fill=col,
            width=3,
        )
        draw.line(
            [(x - size * 0.05, y - r * 1.3), (x + size * 0.02, y - r * 1.3)], fill=col, width=5
        )
        self.put(layer, blur=0.8)

    def bare_trees(self, ground: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        col = (70, 58, 50, 255)

        def branch(x, y, angle, length, width, depth):
            x2 = x + math.cos(angle) * length
            y2 = y - math.sin(angle) * length
            draw.line([(x, y), (x2, y2)], fill=col, width=max(1, round(width)))
            if depth:
                for da in (-0.45, 0.4):
                    branch(
                        x2,
                        y2,
                        angle + da + self.r(-0.15, 0.15),
                        length * 0.72,
                        width * 0.65,
                        depth - 1,
                    )

        for x in (self.w * 0.12, self.w * 0.88):
            branch(
                x,
                ground + self.h * 0.05,
                math.pi / 2 + self.r(-0.1, 0.1),
                self.h * 0.22,
                self.unit * 0.03,
                5,
            )
        self.put(layer, blur=0.8)

    def bridge(self, horizon: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        if "stone" in self.scene:
            # A hump-backed arch; its reflection closes the circle in the water.
            stone = _mix(self.c.dark, (112, 106, 98), 0.6)
            cx, outer = self.w * 0.5, self.w * 0.34
            inner = outer * 0.72
            for sign, alpha in ((-1, 255), (1, 110)):
                arc_out = [
                    (cx + math.cos(t) * outer, horizon + sign * math.sin(t) * outer * 0.75)
                    for t in (math.pi * k / 24 for k in range(25))
                ]
                arc_in = [
                    (cx + math.cos(t) * inner, horizon + sign * math.sin(t) * inner * 0.75)
                    for t in (math.pi * k / 24 for k in range(25))
                ]
                draw.polygon([*arc_out, *reversed(arc_in)], fill=_rgba(stone, alpha))
            deck = [
                (cx + math.cos(t) * outer * 1.25, horizon - math.sin(t) * outer * 0.62)
                for t in (math.pi * k / 24 for k in range(25))
            ]
            draw.line(
                deck, fill=_rgba(_shade(stone, -0.25), 255), width=max(3, round(self.unit * 0.015))
            )
        else:
            col = (255, 205, 120, 235) if self.night else (60, 64, 70, 255)
            y = horizon - self.h * 0.04
            draw.line([(0, y), (self.w, y)], fill=col, width=4)
            span = self.w / 6
            for i in range(7):
                x = i * span
                draw.line(
                    [(x, y), (x + span / 2, y - self.h * 0.09), (x + span, y)], fill=col, width=2
                )
                draw.line([(x + span / 2, y - self.h * 0.09), (x + span / 2, y)], fill=col, width=2)
            draw.line([(0, y - self.h * 0.09), (self.w, y - self.h * 0.09)], fill=col, width=2)
            if self.night:
                self.put(layer, blur=6)  # the glow of the lights
        self.put(layer, blur=0.8)

    def smoker(self) -> None:
        """A barrel smoker on legs, with its chimney (the smoke comes from `steam`)."""
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        x, base, size = self.w * 0.5, self.h * 0.85, self.unit * 0.55
        metal = (44, 44, 48, 255)
        self.shadow((x - size * 0.6, base - 8, x + size * 0.6, base + 12), strength=130)
        draw.rounded_rectangle(
            (x - size / 2, base - size * 0.55, x + size / 2, base - size * 0.25),
            size * 0.15,
            fill=metal,
        )
        draw.rounded_rectangle(
            (x + size * 0.3, base - size * 0.5, x + size * 0.62, base - size * 0.3),
            size * 0.08,
            fill=metal,
        )
        draw.rectangle(
            (x - size * 0.42, base - size * 1.0, x - size * 0.34, base - size * 0.5), fill=metal
        )
        for lx in (x - size * 0.4, x + size * 0.4):
            draw.line([(lx, base - size * 0.3), (lx, base)], fill=metal, width=5)
        self.volume(layer, (x - size / 2, base - size, x + size * 0.62, base))
        self.put(layer, blur=0.8)

    def awning(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        y0, y1 = self.h * self.r(0.42, 0.5), self.h * 0.58
        x0, x1 = self.w * 0.08, self.w * 0.75
        stripes = 8
        for i in range(stripes):
            col = self.c.main if i % 2 else (245, 240, 230)
            a, b = x0 + (x1 - x0) * i / stripes, x0 + (x1 - x0) * (i + 1) / stripes
            draw.polygon([(a, y0), (b, y0), (b + 6, y1), (a + 6, y1)], fill=_rgba(col, 255))
        self.put(layer, blur=0.9)

    # --- Table-top food -------------------------------------------------------------------

    def food(self) -> None:
        s = self.scene
        many = any(
            w in s
            for w in (
                "spread",
                "crowded",
                "round table",
                "party table",
                "dinner table",
                "twelve dishes",
                "laid",
                "plates of",
            )
        )
        if _has(s, "hands"):
            kind = "dough" if "dough" in s else self.main_vessel()
            self.vessel(self.w * 0.5, self.h * 0.5, self.unit * 0.42, kind=kind)
            self.hands(holding=False)
            return
        if many:
            n = self.rng.randint(6, 9)
            for _ in range(n):
                x, y = self.r(0.05, 0.95) * self.w, self.r(0.08, 0.92) * self.h
                kind = self.rng.choice(["plate", "bowl", "plate", "small"])
                self.vessel(x, y, self.unit * self.r(0.14, 0.24), kind=kind)
            self.vessel(self.w * 0.5, self.h * 0.5, self.unit * 0.3, kind=self.main_vessel())
            self.chopsticks()
            return
        kind = self.main_vessel()
        cx = self.w * self.r(0.42, 0.58)
        cy = self.h * self.r(0.42, 0.56)
        size = self.unit * (0.46 if kind in ("pot", "steamer") else 0.4)
        for _ in range(self.rng.randint(1, 3)):  # side dishes, partly out of frame
            angle = self.r(0, math.tau)
            d = self.unit * self.r(0.55, 0.75)
            self.vessel(
                cx + math.cos(angle) * d,
                cy + math.sin(angle) * d,
                self.unit * self.r(0.12, 0.2),
                kind=self.rng.choice(["small", "cup"]),
            )
        self.vessel(cx, cy, size, kind=kind)
        if any(w in s for w in ("chopsticks", "noodle", "dumpling", "hotpot", "tripe")):
            self.chopsticks()
        if any(w in s for w in ("stick", "skewer")) and "chopsticks" not in s:
            self.sticks(cx, cy, size)
        if "poured" in s or "pouring" in s:
            layer = self.layer()
            ImageDraw.Draw(layer).line(
                [(cx + size * 0.1, 0), (cx + size * 0.05, cy)],
                fill=(236, 180, 60, 220),
                width=max(3, round(size * 0.05)),
            )
            self.put(layer, blur=1.2)

    def main_vessel(self) -> str:
        s = self.scene
        if "steamer" in s or "dim sum" in s:
            return "steamer"
        if "hotpot" in s or "wok" in s or "skillet" in s or "pot " in s or "pot of" in s:
            return "pot"
        if "cup" in s or "mug" in s or "teacup" in s or "tea " in s:
            return "cup"
        if any(w in s for w in ("bowl", "soup", "noodle", "broth", "chowder", "flakes")):
            return "bowl"
        if "paper" in s or "bag" in s or "foil" in s:
            return "wrap"
        if "tray" in s or "pan " in s or "rack" in s:
            return "tray"
        return "plate"

    def vessel(self, cx: float, cy: float, r: float, *, kind: str) -> None:
        """A dish seen from above: its shadow, rim, contents and a highlight."""
        c = self.c
        s = self.scene
        ratio = 1.0 if "from above" in s or kind in ("steamer", "tray") else self.r(0.8, 0.92)
        ry = r * ratio
        box = (cx - r, cy - ry, cx + r, cy + ry)
        off = r * 0.08
        self.shadow(
            (box[0] + off, box[1] + off * 1.5, box[2] + off, box[3] + off * 1.5),
            strength=120,
            blur=r * 0.12,
        )
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        food = c.main
        ceramic = (246, 243, 236) if _lum(c.light) < 200 else c.light
        if kind == "tray":
            draw.rounded_rectangle(box, r * 0.1, fill=_rgba((70, 70, 74), 255))
            inner = (box[0] + r * 0.06, box[1] + r * 0.06, box[2] - r * 0.06, box[3] - r * 0.06)
            draw.rounded_rectangle(inner, r * 0.06, fill=_rgba(_shade(c.mid, -0.3), 255))
            self.items(draw, inner, food, rolls="roll" in s, count=6)
        elif kind == "wrap":
            paper = _mix(c.light, (230, 215, 190), 0.5)
            draw.polygon(
                [
                    (cx - r, cy - ry * 0.7),
                    (cx + r * 0.9, cy - ry),
                    (cx + r, cy + ry * 0.8),
                    (cx - r * 0.8, cy + ry),
                ],
                fill=_rgba(paper, 255),
            )
            self.items(
                draw,
                (cx - r * 0.6, cy - ry * 0.6, cx + r * 0.6, cy + ry * 0.6),
                _mix(food, (150, 90, 50), 0.35) if _lum(food) > 170 else food,
                count=5,
            )
        elif kind == "steamer":
            bamboo = (201, 160, 96)
            draw.ellipse(box, fill=_rgba(bamboo, 255))
            draw.ellipse(
                (cx - r * 0.9, cy - ry * 0.9, cx + r * 0.9, cy + ry * 0.9),
                fill=_rgba(_shade(bamboo, -0.15), 255),
            )
            inner = (cx - r * 0.84, cy - ry * 0.84, cx + r * 0.84, cy + ry * 0.84)
            draw.ellipse(inner, fill=_rgba((236, 222, 188), 255))
            for k in range(-8, 9):  # the woven slats
                draw.line(
                    [(cx + k * r * 0.1, cy - ry * 0.8), (cx + k * r * 0.1, cy + ry * 0.8)],
                    fill=_rgba((190, 160, 110), 140),
                    width=1,
                )
            self.dumplings(draw, cx, cy, r * 0.55, food=_mix(c.light, (250, 240, 225), 0.5))
        elif kind == "dough":
            board = (214, 178, 128)
            draw.rounded_rectangle(
                (cx - r * 1.4, cy - r, cx + r * 1.4, cy + r), r * 0.08, fill=_rgba(board, 255)
            )
            draw.ellipse(
                (cx - r * 0.75, cy - r * 0.5, cx + r * 0.75, cy + r * 0.5),
                fill=_rgba(_mix(c.light, (245, 235, 215), 0.6), 255),
            )
            for _ in range(120):  # flour
                x, y = cx + self.r(-1.2, 1.2) * r, cy + self.r(-0.9, 0.9) * r
                draw.point((x, y), fill=(255, 255, 255, 200))
        else:
            rim = {"pot": (58, 56, 58), "cup": ceramic}.get(kind, ceramic)
            if kind == "bowl" and self.rng.random() < 0.4:
                rim = _mix(c.third, ceramic, 0.6) if _lum(c.third) > 120 else ceramic
            draw.ellipse(box, fill=_rgba(rim, 255))
            rim_w = {"plate": 0.2, "pot": 0.07, "small": 0.16, "cup": 0.12}.get(kind, 0.1)
            inner = (
                cx - r * (1 - rim_w),
                cy - ry * (1 - rim_w),
                cx + r * (1 - rim_w),
                cy + ry * (1 - rim_w),
            )
            draw.ellipse(
                (inner[0] - 2, inner[1] - 2, inner[2] + 2, inner[3] + 2),
                fill=_rgba(_shade(rim, -0.18), 255),
            )
            if kind == "plate":
                draw.ellipse(inner, fill=_rgba(_shade(rim, -0.04), 255))
                self.items(
                    draw,
                    (
                        inner[0] + r * 0.12,
                        inner[1] + r * 0.12,
                        inner[2] - r * 0.12,
                        inner[3] - r * 0.12,
                    ),
                    food,
                    count=self.rng.randint(3, 7),
                )
            elif kind == "cup":
                liquid = _mix(c.main, (120, 70, 40), 0.3)
                draw.ellipse(inner, fill=_rgba(liquid, 255))
                draw.ellipse(
                    (
                        inner[0] + r * 0.2,
                        inner[1] + r * 0.2,
                        inner[2] - r * 0.35,
                        inner[3] - r * 0.35,
                    ),
                    fill=_rgba(_shade(liquid, 0.25), 160),
                )
                hx = box[2]
                draw.rounded_rectangle(
                    (hx - r * 0.05, cy - ry * 0.2, hx + r * 0.35, cy + ry * 0.2),
                    r * 0.15,
                    outline=_rgba(rim, 255),
                    width=max(2, round(r * 0.09)),
                )
            else:
                self.broth(draw, inner, food, kind=kind)
        self.volume(layer, box, light=0.25, dark=0.3)
        self.put(layer, blur=0.7)
        highlight = self.layer()
        ImageDraw.Draw(highlight).arc(
            (box[0] + r * 0.05, box[1] + ry * 0.05, box[2] - r * 0.05, box[3] - ry * 0.05),
            200,
            250,
            fill=(255, 255, 255, 170),
            width=max(2, round(r * 0.04)),
        )
        self.put(highlight, blur=1.5)

    def broth(self, draw: ImageDraw.ImageDraw, box, food: Color, *, kind: str) -> None:
        s, c = self.scene, self.c
        x0, y0, x1, y1 = box
        cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
        ry = (y1 - y0) / 2
        soup = food
        if re.search(r"white \w* ?(?:broth|side)|clear|chowder", s):
            soup = _mix(c.light, (240, 232, 210), 0.4)
        draw.ellipse(box, fill=_rgba(soup, 255))
        metal = (70, 66, 64, 255)
        if "half" in s or "split" in s:
            # A yin-yang pot: two broths parted by an S-shaped divider.
            other = _rgba(_mix(c.light, (240, 230, 210), 0.5), 255)
            upper = (cx - r / 2, y0, cx + r / 2, cy)
            lower = (cx - r / 2, cy, cx + r / 2, y1)
            draw.chord(box, 270, 90, fill=other)
            draw.ellipse(upper, fill=other)
            draw.ellipse(lower, fill=_rgba(soup, 255))
            width = max(3, round(r * 0.035))
            draw.arc(upper, 90, 270, fill=metal, width=width)
            draw.arc(lower, 270, 90, fill=metal, width=width)
        if "nine-grid" in s:
            width = max(3, round(r * 0.04))
            for t in (-1 / 3, 1 / 3):
                half = math.sqrt(1 - (2 * t) ** 2) * 0.97
                draw.line(
                    [(cx + t * r * 2, cy - ry * half), (cx + t * r * 2, cy + ry * half)],
                    fill=metal,
                    width=width,
                )
                draw.line(
                    [(cx - r * half, cy + t * ry * 2), (cx + r * half, cy + t * ry * 2)],
                    fill=metal,
                    width=width,
                )
        if "noodle" in s or "pasta" in s:
            noodle = _mix(c.light, (240, 214, 160), 0.45)
            for _ in range(26):
                a = self.r(0, 360)
                rr = self.r(0.2, 0.85)
                draw.arc(
                    (cx - r * rr, cy - ry * rr, cx + r * rr, cy + ry * rr),
                    a,
                    a + self.r(40, 140),
                    fill=_rgba(noodle, 230),
                    width=max(2, round(r * 0.05)),
                )
        if "rice" in s and "noodle" not in s:
            draw.ellipse(
                (cx - r * 0.55, cy - ry * 0.3, cx + r * 0.35, cy + ry * 0.6),
                fill=(246, 244, 238, 255),
            )
        # Oil droplets and bubbles on the surface.
        oil = _shade(food, 0.35)
        for _ in range(40 if "oil" in s or "bubbling" in s or "hotpot" in s else 14):
            a, d = self.r(0, math.tau), math.sqrt(self.r(0, 1)) * 0.85
            x, y = cx + math.cos(a) * r * d, cy + math.sin(a) * ry * d
            rad = self.r(0.01, 0.045) * r
            draw.ellipse((x - rad, y - rad, x + rad, y + rad), outline=_rgba(oil, 200), width=1)
        # Toppings: slices and garnish.
        meat = _mix(food, (120, 60, 40), 0.5)
        for _ in range(self.rng.randint(3, 6)):
            a, d = self.r(0, math.tau), self.r(0.1, 0.6)
            x, y = cx + math.cos(a) * r * d, cy + math.sin(a) * ry * d
            w, h = r * self.r(0.12, 0.22), r * self.r(0.07, 0.12)
            draw.rounded_rectangle((x - w, y - h, x + w, y + h), h * 0.6, fill=_rgba(meat, 240))
        greens = self.palette_green()
        for _ in range(self.rng.randint(12, 30)):
            a, d = self.r(0, math.tau), self.r(0, 0.8)
            x, y = cx + math.cos(a) * r * d, cy + math.sin(a) * ry * d
            rad = self.r(0.015, 0.04) * r
            draw.ellipse((x - rad, y - rad * 0.6, x + rad, y + rad * 0.6), fill=_rgba(greens, 230))

    def palette_green(self) -> Color:
        greens = [
            col
            for col in (self.c.main, self.c.second, self.c.third)
            if col[1] > col[0] + 10 and col[1] > col[2]
        ]
        return greens[0] if greens else self.rng.choice(LEAF_GREENS)

    def items(
        self, draw: ImageDraw.ImageDraw, box, food: Color, *, rolls: bool = False, count: int = 5
    ) -> None:
        """Food pieces on a plate or tray: slices, balls, rolls or dumplings."""
        s = self.scene
        x0, y0, x1, y1 = box
        if "dumpling" in s:
            self.dumplings(
                draw,
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                (x1 - x0) / 2,
                food=_mix(self.c.light, (245, 235, 215), 0.5),
            )
            return
        for i in range(count):
            x = x0 + (x1 - x0) * (0.2 + 0.6 * ((i * 0.618) % 1))
            y = y0 + (y1 - y0) * (0.2 + 0.6 * ((i * 0.381 + 0.3) % 1))
            size = (x1 - x0) * self.r(0.12, 0.2)
            col = _shade(food, self.r(-0.12, 0.1))
            if rolls or "cinnamon" in s or "roll" in s:
                draw.ellipse((x - size, y - size, x + size, y + size), fill=_rgba(col, 255))
                for k in range(1, 4):  # the swirl
                    rr = size * k / 4
                    draw.arc(
                        (x - rr, y - rr, x + rr, y + rr),
                        0,
                        300,
                        fill=_rgba(_shade(col, -0.35), 255),
                        width=2,
                    )
                if "icing" in s:
                    draw.arc(
                        (x - size * 0.8, y - size * 0.8, x + size * 0.8, y + size * 0.8),
                        180,
                        340,
                        fill=(250, 248, 240, 230),
                        width=max(2, round(size * 0.2)),
                    )
            elif "sandwich" in s and i < 2:
                bread, egg = (236, 200, 140), _mix(food, (250, 210, 80), 0.5)
                side = size * 1.6
                tri = [(x - side, y + side * 0.6), (x + side, y + side * 0.6), (x, y - side * 0.7)]
                draw.polygon(tri, fill=_rgba(bread, 255))
                draw.line(tri[:2], fill=_rgba(egg, 255), width=max(4, round(side * 0.25)))
                draw.line(
                    [(x - side * 0.8, y + side * 0.35), (x + side * 0.8, y + side * 0.35)],
                    fill=_rgba(self.c.second, 255),
                    width=max(3, round(side * 0.12)),
                )
            elif "sandwich" in s:
                continue
            elif any(w in s for w in ("slice", "brisket", "pork", "meat", "tofu", "cubes")):
                w, h = size * 1.2, size * 0.6
                draw.rounded_rectangle((x - w, y - h, x + w, y + h), h * 0.4, fill=_rgba(col, 255))
                draw.rounded_rectangle(
                    (x - w, y - h, x + w, y - h * 0.4), h * 0.3, fill=_rgba(_shade(col, -0.45), 255)
                )
            else:
                draw.ellipse(
                    (x - size, y - size * 0.8, x + size, y + size * 0.8), fill=_rgba(col, 255)
                )

    def dumplings(
        self, draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, *, food: Color
    ) -> None:
        food = _mix(food, (222, 200, 160), 0.35)
        for i in range(self.rng.randint(4, 6)):
            a = i * math.tau / 5 + self.r(-0.2, 0.2)
            x, y = cx + math.cos(a) * r * 0.55, cy + math.sin(a) * r * 0.55
            size = r * 0.36
            draw.chord(
                (x - size * 1.05, y - size * 0.6, x + size * 1.15, y + size * 1.05),
                180,
                360,
                fill=(0, 0, 0, 70),
            )  # its shadow
            draw.chord(
                (x - size, y - size * 0.7, x + size, y + size * 0.9),
                180,
                360,
                fill=_rgba(food, 250),
            )
            draw.rectangle(
                (x - size, y + size * 0.08, x + size, y + size * 0.3),
                fill=_rgba(_shade(food, -0.05), 250),
            )
            for k in range(5):  # pleats
                px = x - size * 0.6 + k * size * 0.3
                draw.line(
                    [(px, y - size * 0.5), (px + size * 0.08, y)],
                    fill=_rgba(_shade(food, -0.2), 200),
                    width=1,
                )

    def chopsticks(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        col = (92, 60, 40) if self.rng.random() < 0.6 else (226, 214, 190)
        x, y = self.w * self.r(0.6, 0.9), self.h * self.r(0.6, 0.95)
        angle = self.r(-2.6, -2.2)
        length = self.unit * 0.75
        for gap in (0, self.unit * 0.025):
            x2 = x + math.cos(angle) * length
            y2 = y + math.sin(angle) * length
            draw.line(
                [(x + gap, y), (x2 + gap * 0.4, y2)],
                fill=_rgba(col, 255),
                width=max(3, round(self.unit * 0.012)),
            )
        self.shadow((x - length * 0.5, y - self.unit * 0.02, x, y + self.unit * 0.03), strength=60)
        self.put(layer, blur=0.6)

    def sticks(self, cx: float, cy: float, r: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        for i in range(self.rng.randint(3, 6)):
            a = -math.pi / 2 + self.r(-0.5, 0.5)
            x0, y0 = cx + self.r(-0.3, 0.3) * r, cy + self.r(-0.2, 0.2) * r
            draw.line(
                [(x0, y0), (x0 + math.cos(a) * r * 1.6, y0 + math.sin(a) * r * 1.6)],
                fill=(214, 190, 150, 255),
                width=max(2, round(r * 0.03)),
            )
            if "hawthorn" in self.scene or i < 2:
                for k in range(4):
                    bx = x0 + math.cos(a) * r * (0.4 + k * 0.22)
                    by = y0 + math.sin(a) * r * (0.4 + k * 0.22)
                    br = r * 0.12
                    draw.ellipse((bx - br, by - br, bx + br, by + br), fill=_rgba(self.c.main, 255))
        self.put(layer, blur=0.7)

    def steam(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        smoke = "smoke" in self.scene
        col = (200, 214, 235) if smoke else (255, 255, 255)
        for _ in range(self.rng.randint(5, 8)):
            x = self.w * self.r(0.25, 0.75)
            y = self.h * self.r(0.45, 0.65)
            pts = []
            phase, amp = self.r(0, math.tau), self.unit * self.r(0.02, 0.05)
            for k in range(24):
                t = k / 23
                pts.append(
                    (x + math.sin(phase + t * 5) * amp * (1 + t), y - t * self.h * self.r(0.3, 0.5))
                )
            draw.line(
                pts,
                fill=(*col, self.rng.randint(70, 120)),
                width=max(4, round(self.unit * 0.03)),
                joint="curve",
            )
        self.put(layer, blur=self.unit * 0.025)

    # --- Paper, writing and screens -------------------------------------------------------

    def backdrop_paper_sheet(self):
        """A sheet of paper lying slightly askew; returns its box in the unrotated frame."""
        c = self.c
        s = self.scene
        paper = c.light if _lum(c.light) > 180 else _mix(c.light, (250, 247, 240), 0.6)
        if "receipt" in s:
            box = (self.w * 0.3, -self.h * 0.05, self.w * 0.7, self.h * 1.05)
        elif any(w in s for w in ("card", "sticky", "tag")):
            box = (self.w * 0.15, self.h * 0.22, self.w * 0.85, self.h * 0.72)
        elif "whiteboard" in s:
            box = (-self.w * 0.05, self.h * 0.05, self.w * 1.05, self.h * 0.85)
        else:
            box = (self.w * 0.08, self.h * 0.06, self.w * 0.92, self.h * 0.94)
        return box, paper

    def paper(self) -> None:
        s, c = self.scene, self.c
        box, paper = self.backdrop_paper_sheet()
        angle = self.r(-4, 4)
        self.shadow(
            (box[0] + 6, box[1] + 10, box[2] + 12, box[3] + 14), strength=130, blur=self.unit * 0.02
        )
        sheet = self.layer()
        draw = ImageDraw.Draw(sheet)
        if "sticky" in s:
            paper = (255, 236, 150)
        draw.rectangle(box, fill=_rgba(paper, 255))
        x0, y0, x1, y1 = box
        ink = c.dark if _lum(c.dark) < 90 else (40, 40, 48)
        red = next(
            (col for col in (c.main, c.second, c.third) if col[0] > 150 and col[1] < 120),
            (200, 50, 45),
        )
        if "grid" in s or "practice" in s or "rice paper" in s or "brush" in s:
            cells = 2 if "two versions" in s or "永" in s else 3
            cw = (x1 - x0) / (cells + 1)
            if "grid" in s or "practice" in s:
                for i in range(cells + 2):
                    draw.line(
                        [(x0 + cw * (i + 0.5) - cw / 2, y0), (x0 + cw * (i + 0.5) - cw / 2, y1)],
                        fill=(214, 120, 110, 140),
                        width=1,
                    )
            size = min(cw, (y1 - y0) / 3)
            for i in range(cells if "two versions" in s else 1):
                cx = x0 + (x1 - x0) * ((i + 1) / (cells + 1) if "two versions" in s else 0.5)
                cy = (y0 + y1) / 2
                self.brush_character(
                    draw,
                    cx,
                    cy,
                    size * (1.6 if cells == 1 else 1.0),
                    ink,
                    shaky=(i == 0 and "shaky" in s),
                )
        else:
            ruled = "notebook" in s or "essay" in s or "page" in s or "checklist" in s
            line_gap = (y1 - y0) / (5 if any(w in s for w in ("card", "tag")) else 16)
            y = y0 + line_gap * 1.2
            if ruled:
                while y < y1 - line_gap * 0.5:
                    draw.line([(x0 + 4, y), (x1 - 4, y)], fill=(150, 180, 210, 120), width=1)
                    y += line_gap
                draw.line(
                    [(x0 + (x1 - x0) * 0.12, y0), (x0 + (x1 - x0) * 0.12, y1)],
                    fill=(220, 120, 120, 150),
                    width=1,
                )
            self.handwriting(draw, box, ink, line_gap)
            if "red pen" in s or "corrections" in s or "crossed out" in s:
                self.handwriting(draw, box, red, line_gap, sparse=True)
            if "checkmark" in s or "ticked" in s or "checklist" in s:
                green = self.palette_green()
                y = y0 + line_gap * 1.1
                while y < y1 - line_gap:
                    if self.rng.random() < 0.7:
                        draw.line(
                            [(x0 + 10, y - 4), (x0 + 16, y + 2), (x0 + 28, y - 12)],
                            fill=_rgba(green if "green" in s else red, 255),
                            width=3,
                        )
                    y += line_gap
            if "arrows" in s:
                for _ in range(5):
                    ax, ay = self.r(x0 + 20, x1 - 80), self.r(y0 + 20, y1 - 20)
                    draw.line(
                        [(ax, ay), (ax + 60, ay + self.r(-30, 30))],
                        fill=_rgba(c.third, 230),
                        width=2,
                    )
        rotated = sheet.rotate(
            angle, resample=Image.Resampling.BICUBIC, center=((x0 + x1) / 2, (y0 + y1) / 2)
        )
        self.put(rotated, blur=0.5)
        if "sticky notes" in s:  # several, in the palette's colours, stuck around the sheet
            notes = self.layer()
            draw = ImageDraw.Draw(notes)
            for k in range(5):
                nx = self.w * (0.1 + 0.2 * k) + self.r(-0.05, 0.05) * self.w
                ny = self.h * self.rng.choice([0.08, 0.78]) + self.r(-0.04, 0.04) * self.h
                side = self.unit * self.r(0.14, 0.2)
                col = (c.main, c.second, c.third)[k % 3]
                draw.rectangle((nx, ny, nx + side, ny + side), fill=_rgba(col, 255))
                self.handwriting(draw, (nx, ny, nx + side, ny + side), c.dark, side / 4)
            self.put(notes, blur=0.6)
        if "pen" in s or "highlighter" in s:
            self.pen()
        if "leash" in s:
            self.leash()
        if "arrows" in s or "doodles" in s:
            pass

    def handwriting(
        self, draw: ImageDraw.ImageDraw, box, ink: Color, gap: float, *, sparse: bool = False
    ) -> None:
        """Rows of scribbled words: loops and strokes of a pen, word by word."""
        x0, y0, x1, y1 = box
        y = y0 + gap * 1.0
        while y < y1 - gap * 0.6:
            x = x0 + (x1 - x0) * self.r(0.14, 0.2)
            end = x1 - (x1 - x0) * self.r(0.05, 0.3)
            while x < end:
                word = self.r(0.05, 0.16) * (x1 - x0)
                if not sparse or self.rng.random() < 0.25:
                    pts = []
                    steps = max(4, int(word / 4))
                    for k in range(steps):
                        px = x + word * k / steps
                        py = y - gap * 0.45 * abs(math.sin(k * self.r(0.8, 1.6))) + self.r(-1, 1)
                        pts.append((px, py))
                    width = 2 if not sparse else 3
                    draw.line(pts, fill=_rgba(ink, self.rng.randint(170, 240)), width=width)
                    if sparse:
                        draw.line(
                            [(x - 2, y - gap * 0.25), (x + word, y - gap * 0.3)],
                            fill=_rgba(ink, 230),
                            width=2,
                        )
                x += word + self.r(0.02, 0.05) * (x1 - x0)
            y += gap

    def brush_character(
        self,
        draw: ImageDraw.ImageDraw,
        cx: float,
        cy: float,
        size: float,
        ink: Color,
        *,
        shaky: bool = False,
    ) -> None:
        """Calligraphy: a handful of tapering brush strokes around a centre."""
        strokes = [
            ((-0.05, -0.45), (0.05, -0.3)),
            ((-0.35, -0.2), (0.3, -0.22)),
            ((0.0, -0.25), (0.02, 0.45)),
            ((-0.3, 0.05), (-0.05, 0.0)),
            ((-0.05, 0.0), (-0.38, 0.35)),
            ((0.05, -0.05), (0.35, 0.1)),
            ((0.05, 0.05), (0.42, 0.42)),
        ]
        if "dozens" in self.scene or "biang" in self.scene:
            # A dense character: short strokes in a grid of components.
            strokes = []
            for i in range(5):
                for j in range(5):
                    gx, gy = -0.45 + i * 0.18, -0.45 + j * 0.18
                    if self.rng.random() < 0.5:
                        strokes.append(((gx, gy + 0.06), (gx + 0.14, gy + 0.06)))
                    if self.rng.random() < 0.5:
                        strokes.append(((gx + 0.07, gy), (gx + 0.07, gy + 0.14)))
                    if self.rng.random() < 0.25:
                        strokes.append(((gx + 0.14, gy), (gx, gy + 0.14)))
        for (ax, ay), (bx, by) in strokes:
            jitter = 0.06 if shaky else 0.01
            steps = 14
            for k in range(steps):
                t = k / (steps - 1)
                x = cx + size * (ax + (bx - ax) * t + self.r(-jitter, jitter))
                y = cy + size * (ay + (by - ay) * t + self.r(-jitter, jitter))
                rad = size * 0.045 * (1.2 - 0.7 * t) * (0.8 if shaky else 1)
                draw.ellipse((x - rad, y - rad, x + rad, y + rad), fill=_rgba(ink, 235))

    def pen(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        x, y = self.w * 0.75, self.h * 0.7
        a = self.r(2.2, 2.6)
        length = self.unit * 0.5
        x2, y2 = x + math.cos(a) * length, y - math.sin(a) * length
        col = self.c.third if "highlighter" not in self.scene else (250, 220, 60)
        draw.line([(x, y), (x2, y2)], fill=_rgba(col, 255), width=max(4, round(self.unit * 0.03)))
        draw.line(
            [(x, y), (x + math.cos(a) * length * 0.12, y - math.sin(a) * length * 0.12)],
            fill=(30, 30, 30, 255),
            width=max(4, round(self.unit * 0.03)),
        )
        self.shadow((x2, y2 + 8, x + 10, y + 18), strength=70)
        self.put(layer, blur=0.7)

    def leash(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        pts = [
            (self.w * (0.05 + 0.9 * t), self.h * (0.85 + 0.07 * math.sin(t * 7)))
            for t in (k / 30 for k in range(31))
        ]
        draw.line(
            pts,
            fill=_rgba(self.c.second, 255),
            width=max(4, round(self.unit * 0.02)),
            joint="curve",
        )
        self.put(layer, blur=0.8)

    def phone_in_hand(self) -> None:
        """A phone held up, its screen filled with the app's colours and rows of content."""
        s, c = self.scene, self.c
        pw = self.w * 0.56
        ph = pw * 2.05
        if ph > self.h * 0.9:
            ph = self.h * 0.9
            pw = ph / 2.05
        x0, y0 = (self.w - pw) / 2, (self.h - ph) / 2
        self.shadow((x0 + 10, y0 + 20, x0 + pw + 20, y0 + ph + 25), strength=150)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        draw.rounded_rectangle((x0, y0, x0 + pw, y0 + ph), pw * 0.12, fill=(22, 22, 24, 255))
        sx0, sy0, sx1, sy1 = x0 + pw * 0.04, y0 + pw * 0.04, x0 + pw * 0.96, y0 + ph - pw * 0.04
        screen_bg = (250, 250, 250) if "map" not in s else (232, 234, 237)
        draw.rounded_rectangle((sx0, sy0, sx1, sy1), pw * 0.09, fill=_rgba(screen_bg, 255))
        if "map" in s:
            for _ in range(14):
                draw.line(
                    [(self.r(sx0, sx1), sy0), (self.r(sx0, sx1), sy1)],
                    fill=(255, 255, 255, 255),
                    width=6,
                )
                draw.line(
                    [(sx0, self.r(sy0, sy1)), (sx1, self.r(sy0, sy1))],
                    fill=(255, 255, 255, 255),
                    width=4,
                )
            mx, my = (sx0 + sx1) / 2, (sy0 + sy1) / 2
            draw.ellipse((mx - 14, my - 14, mx + 14, my + 14), fill=_rgba(c.main, 255))
            draw.rectangle((sx0, sy1 - ph * 0.18, sx1, sy1), fill=_rgba(c.third, 255))
        else:
            draw.rectangle((sx0, sy0 + pw * 0.06, sx1, sy0 + ph * 0.1), fill=_rgba(c.main, 255))
            y = sy0 + ph * 0.14
            while y < sy1 - ph * 0.06:
                draw.ellipse(
                    (sx0 + pw * 0.05, y, sx0 + pw * 0.15, y + pw * 0.1),
                    fill=_rgba(_mix(c.main, c.third, self.r(0, 1)), 255),
                )
                width = self.r(0.3, 0.7) * pw
                draw.rounded_rectangle(
                    (sx0 + pw * 0.2, y + 2, sx0 + pw * 0.2 + width, y + 10),
                    4,
                    fill=(60, 60, 66, 220),
                )
                draw.rounded_rectangle(
                    (sx0 + pw * 0.2, y + 16, sx0 + pw * 0.2 + width * 0.7, y + 24),
                    4,
                    fill=(150, 150, 156, 200),
                )
                for k in range(self.rng.randint(0, 3)):
                    ex = sx0 + pw * 0.2 + width * 0.7 + 10 + k * 18
                    draw.ellipse((ex, y + 14, ex + 13, y + 27), fill=(255, 200, 40, 255))
                y += pw * 0.2
        self.put(layer, blur=0.5)
        skin = self.rng.choice(SKIN_TONES)
        hand = self.layer()
        hd = ImageDraw.Draw(hand)
        hd.ellipse(
            (x0 - pw * 0.25, y0 + ph * 0.55, x0 + pw * 0.3, self.h + ph * 0.2),
            fill=_rgba(skin, 255),
        )
        hd.rounded_rectangle(
            (x0 + pw * 0.8, y0 + ph * 0.5, x0 + pw * 1.08, y0 + ph * 0.58),
            pw * 0.05,
            fill=_rgba(skin, 255),
        )
        self.volume(hand, (x0 - pw * 0.25, y0 + ph * 0.5, x0 + pw * 1.08, self.h))
        self.put(hand, blur=1.2)

    def phone(self) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        pw, ph = self.unit * 0.22, self.unit * 0.44
        x0, y0 = self.w * self.r(0.55, 0.7), self.floor_y - ph * 0.2
        self.shadow((x0 + 4, y0 + 8, x0 + pw + 10, y0 + ph * 0.5 + 12), strength=120)
        draw.rounded_rectangle((x0, y0, x0 + pw, y0 + ph * 0.5), pw * 0.1, fill=(24, 24, 26, 255))
        draw.rounded_rectangle(
            (x0 + 4, y0 + 4, x0 + pw - 4, y0 + ph * 0.5 - 4),
            pw * 0.08,
            fill=_rgba(_shade(self.c.third, 0.2), 255),
        )
        self.put(layer, blur=0.8)

    def laptop(self) -> None:
        c = self.c
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        lw = self.w * 0.8
        x0 = (self.w - lw) / 2
        base_y = self.floor_y + (self.h - self.floor_y) * 0.55
        sh = lw * 0.58
        top = base_y - sh
        screen = _shade(c.third, -0.1) if _lum(c.third) < 200 else (60, 110, 180)
        draw.rounded_rectangle((x0, top, x0 + lw, base_y), 10, fill=(40, 42, 46, 255))
        draw.rectangle((x0 + 10, top + 10, x0 + lw - 10, base_y - 12), fill=_rgba(screen, 255))
        if "code" in self.scene:
            y = top + 22
            while y < base_y - 24:
                x = x0 + 24 + self.rng.randint(0, 3) * 16
                draw.line(
                    [(x, y), (x + self.r(0.1, 0.5) * lw, y)],
                    fill=self.rng.choice(
                        [
                            (120, 200, 255, 230),
                            (240, 180, 90, 230),
                            (160, 230, 140, 230),
                            (230, 230, 230, 220),
                        ]
                    ),
                    width=3,
                )
                y += 12
        elif "call" in self.scene:
            for i in range(2):
                for j in range(2):
                    bx = x0 + 14 + i * (lw - 28) / 2
                    by = top + 14 + j * (sh - 28) / 2
                    draw.rectangle(
                        (bx, by, bx + (lw - 36) / 2, by + (sh - 36) / 2),
                        fill=_rgba(_mix(screen, self.rng.choice(SKIN_TONES), 0.4), 255),
                    )
        draw.polygon(
            [(x0 - lw * 0.06, self.h), (x0 + lw * 1.06, self.h), (x0 + lw, base_y), (x0, base_y)],
            fill=(170, 172, 178, 255),
        )
        for k in range(5):  # keys
            y = base_y + (self.h - base_y) * (0.15 + k * 0.16)
            draw.line(
                [(x0 + 10 - k * 6, y), (x0 + lw - 10 + k * 6, y)],
                fill=(120, 122, 128, 255),
                width=2,
            )
        self.put(layer, blur=0.8)
        glow = self.layer()
        ImageDraw.Draw(glow).rectangle((x0, top, x0 + lw, base_y), fill=_rgba(screen, 90))
        self.put(glow, blur=self.unit * 0.08)

    # --- Room subjects --------------------------------------------------------------------

    def still_life(self) -> None:
        """A few objects on the surface, for scenes naming none we know."""
        s = self.scene
        if "bridge" in s or "pond" in s:
            self.landscape()
            return
        if "cart" in s:
            self.cart()
            return
        if "shelves" in s or "aisle" in s or "grocery" in s or "snack" in s:
            self.shelves()
            return
        if "jacket" in s or "scarf" in s or "yarn" in s or "thread" in s or "haul" in s:
            self.garment()
            return
        xs = sorted(self.r(0.15, 0.85) for _ in range(self.rng.randint(2, 3)))
        for x in xs:
            self.cup_side(x=self.w * x, size=self.r(0.3, 0.45), bottle=self.rng.random() < 0.4)

    def cart(self) -> None:
        """A shopping cart seen from the side, full of groceries."""
        c = self.c
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        wire = (170, 174, 180, 255)
        x0, x1 = self.w * 0.15, self.w * 0.85
        top, bottom = self.h * 0.38, self.h * 0.72
        for _ in range(22):  # the groceries, heaped above the basket
            gx = self.r(x0 + 10, x1 - 10)
            gw, gh = self.unit * self.r(0.06, 0.14), self.unit * self.r(0.06, 0.16)
            gy = top - self.r(-0.02, 0.1) * self.h
            col = self.rng.choice(
                [c.main, c.second, c.third, (240, 236, 226), (196, 60, 50), (120, 80, 50)]
            )
            if self.rng.random() < 0.4:
                draw.ellipse(
                    (gx - gw / 2, gy - gw / 2, gx + gw / 2, gy + gw / 2), fill=_rgba(col, 255)
                )
            else:
                draw.rounded_rectangle(
                    (gx - gw / 2, gy - gh, gx + gw / 2, gy + gh * 0.3), 6, fill=_rgba(col, 255)
                )
        draw.polygon(
            [(x0, top), (x1, top), (x1 - self.w * 0.08, bottom), (x0 + self.w * 0.04, bottom)],
            fill=(150, 154, 160, 90),
        )
        for k in range(13):
            t = k / 12
            draw.line(
                [
                    (x0 + (x1 - x0) * t, top),
                    (x0 + self.w * 0.04 + (x1 - x0 - self.w * 0.12) * t, bottom),
                ],
                fill=wire,
                width=2,
            )
        for k in range(6):
            t = k / 5
            y = top + (bottom - top) * t
            draw.line(
                [(x0 + self.w * 0.04 * t, y), (x1 - self.w * 0.08 * t, y)], fill=wire, width=2
            )
        draw.line([(x1, top), (x1 + self.w * 0.1, top - self.h * 0.08)], fill=wire, width=4)
        for wx in (x0 + self.w * 0.08, x1 - self.w * 0.12):
            r = self.unit * 0.04
            draw.line([(wx, bottom), (wx, self.h * 0.86 - r)], fill=wire, width=3)
            draw.ellipse(
                (wx - r, self.h * 0.86 - r, wx + r, self.h * 0.86 + r), fill=(40, 40, 44, 255)
            )
        self.put(layer, blur=0.7)

    def shelves(self) -> None:
        c = self.c
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        rows = 4
        for i in range(rows):
            y = self.h * (0.12 + i * 0.22)
            draw.rectangle(
                (0, y + self.h * 0.15, self.w, y + self.h * 0.17), fill=(220, 220, 224, 255)
            )
            x = self.r(-20, 0)
            while x < self.w:
                pw = self.r(0.06, 0.12) * self.w
                ph = self.r(0.09, 0.14) * self.h
                col = self.rng.choice([c.main, c.second, c.third, _mix(c.main, c.third, 0.5)])
                draw.rounded_rectangle(
                    (x, y + self.h * 0.15 - ph, x + pw, y + self.h * 0.15), 4, fill=_rgba(col, 255)
                )
                draw.rectangle(
                    (
                        x + pw * 0.2,
                        y + self.h * 0.15 - ph * 0.6,
                        x + pw * 0.8,
                        y + self.h * 0.15 - ph * 0.4,
                    ),
                    fill=(255, 255, 255, 200),
                )
                x += pw + 3
        self.put(layer, blur=1.2)

    def cup_side(self, *, x: float, size: float, bottle: bool = False) -> None:
        """A cup, mug or bottle standing on the surface, seen from the side."""
        s, c = self.scene, self.c
        floor = getattr(self, "floor_y", self.h * 0.7)
        base = floor + (self.h - floor) * self.r(0.35, 0.6)
        h = self.unit * size * (1.4 if bottle else 0.8)
        w = h * (0.36 if bottle else 0.75)
        self.shadow((x - w * 0.7, base - w * 0.12, x + w * 0.9, base + w * 0.18), strength=130)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        body = c.main if not bottle else _mix(c.light, (210, 230, 245), 0.5)
        if "paper cup" in s:
            body = (245, 240, 232)
        if bottle:
            draw.rounded_rectangle(
                (x - w / 2, base - h * 0.75, x + w / 2, base), w * 0.2, fill=_rgba(body, 230)
            )
            draw.polygon(
                [
                    (x - w / 2, base - h * 0.74),
                    (x - w * 0.2, base - h * 0.92),
                    (x + w * 0.2, base - h * 0.92),
                    (x + w / 2, base - h * 0.74),
                ],
                fill=_rgba(body, 230),
            )
            draw.rectangle(
                (x - w * 0.18, base - h, x + w * 0.18, base - h * 0.9), fill=_rgba(c.third, 255)
            )
        else:
            draw.polygon(
                [
                    (x - w / 2, base - h),
                    (x + w / 2, base - h),
                    (x + w * 0.42, base),
                    (x - w * 0.42, base),
                ],
                fill=_rgba(body, 255),
            )
            draw.ellipse(
                (x - w / 2, base - h - w * 0.1, x + w / 2, base - h + w * 0.1),
                fill=_rgba(_shade(body, -0.25), 255),
            )
            if "mug" in s or "tea" in s or "latte" in s or "cup" in s:
                draw.arc(
                    (x + w * 0.3, base - h * 0.8, x + w * 0.8, base - h * 0.25),
                    270,
                    90,
                    fill=_rgba(body, 255),
                    width=max(3, round(w * 0.1)),
                )
        self.volume(layer, (x - w / 2, base - h, x + w / 2, base))
        self.put(layer, blur=0.8)

    def books(self) -> None:
        c = self.c
        floor = getattr(self, "floor_y", self.h * 0.65)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        x = self.w * self.r(0.15, 0.3)
        y = floor + (self.h - floor) * 0.5
        bw = self.w * 0.5
        self.shadow((x - 10, y - 10, x + bw + 20, y + 20), strength=140)
        for _book in range(self.rng.randint(4, 6)):
            bh = self.h * self.r(0.03, 0.05)
            col = self.rng.choice([c.main, c.second, c.third, _mix(c.main, c.dark, 0.4)])
            dx = self.r(-0.03, 0.03) * self.w
            draw.rectangle((x + dx, y - bh, x + dx + bw, y), fill=_rgba(col, 255))
            draw.rectangle(
                (x + dx + bw * 0.9, y - bh * 0.8, x + dx + bw - 2, y - bh * 0.2),
                fill=(245, 240, 228, 255),
            )
            y -= bh
        self.put(layer, blur=0.8)

    def plants(self, *, front: bool) -> None:
        s, c = self.scene, self.c
        floor = getattr(self, "floor_y", self.h * 0.7)
        flowers = any(w in s for w in ("flower", "orchid", "bougainvillea", "blossom", "kumquat"))
        wall_of_flowers = "bougainvillea" in s or "market" in s or "covered" in s
        petal = c.main if _saturation(c.main) > 0.3 else c.second
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        if wall_of_flowers:
            for _ in range(140):
                x, y = self.r(-0.05, 1.05) * self.w, self.r(-0.05, 0.75) * self.h
                self.leaf(
                    draw,
                    x,
                    y,
                    self.unit * self.r(0.03, 0.06),
                    self.r(0, math.tau),
                    self.rng.choice(LEAF_GREENS),
                )
            for _ in range(160):
                x, y = self.r(-0.05, 1.05) * self.w, self.r(-0.05, 0.72) * self.h
                self.flower(
                    draw, x, y, self.unit * self.r(0.012, 0.03), _shade(petal, self.r(-0.15, 0.2))
                )
            self.put(layer, blur=1.2)
            return
        pots = [self.r(0.1, 0.3), self.r(0.7, 0.9)] if not front else [self.r(0.4, 0.6)]
        if "shelf" in s:
            pots = [0.2, 0.5, 0.8]
        for px in pots:
            x = px * self.w
            base = floor + (self.h - floor) * (0.5 if front else 0.2)
            pw = self.unit * (0.22 if front else 0.14)
            pot_col = _mix(c.third, (190, 110, 80), 0.4) if _lum(c.third) < 200 else (190, 110, 80)
            self.shadow((x - pw, base - pw * 0.15, x + pw * 1.1, base + pw * 0.2), strength=110)
            draw.polygon(
                [
                    (x - pw / 2, base - pw * 0.8),
                    (x + pw / 2, base - pw * 0.8),
                    (x + pw * 0.38, base),
                    (x - pw * 0.38, base),
                ],
                fill=_rgba(pot_col, 255),
            )
            draw.rectangle(
                (x - pw * 0.55, base - pw * 0.9, x + pw * 0.55, base - pw * 0.75),
                fill=_rgba(_shade(pot_col, 0.1), 255),
            )
            top = base - pw * 0.85
            spread = pw * (2.2 if "monstera" in s else 1.6)
            for _ in range(22 if "monstera" not in s else 9):
                a = self.r(math.pi * 0.1, math.pi * 0.9)
                d = self.r(0.2, 1.0) * spread
                lx, ly = x + math.cos(a) * d, top - math.sin(a) * d
                draw.line([(x, top), (lx, ly)], fill=(70, 100, 50, 255), width=2)
                size = pw * (0.55 if "monstera" in s else self.r(0.18, 0.3))
                self.leaf(draw, lx, ly, size, a, self.rng.choice(LEAF_GREENS))
            if "trailing" in s or "pothos" in s:
                for k in range(3):
                    for t in range(12):
                        lx = x + pw * (0.5 - k * 0.4) + math.sin(t) * 4
                        ly = base - pw * 0.7 + t * pw * 0.18
                        draw.ellipse((lx - 4, ly - 4, lx + 4, ly + 4), fill=(110, 150, 80, 255))
            if flowers:
                for _ in range(7):
                    fx = x + self.r(-0.6, 0.6) * spread
                    fy = top - self.r(0.4, 1.0) * spread
                    self.flower(draw, fx, fy, pw * 0.16, petal)
        self.put(layer, blur=0.9 if front else 1.8)

    def leaf(
        self, draw: ImageDraw.ImageDraw, x: float, y: float, size: float, angle: float, col: Color
    ) -> None:
        pts = []
        for k in range(12):
            t = k / 11
            r = math.sin(t * math.pi) * size * 0.35
            along, side = size * t, r
            pts.append((along, side))
        pts += [(a, -b) for a, b in reversed(pts)]
        ca, sa = math.cos(angle), -math.sin(angle)
        draw.polygon(
            [(x + a * ca - b * sa, y + a * sa + b * ca) for a, b in pts],
            fill=_rgba(_shade(col, self.r(-0.1, 0.12)), 255),
        )

    def flower(
        self, draw: ImageDraw.ImageDraw, x: float, y: float, size: float, col: Color
    ) -> None:
        for k in range(5):
            a = k * math.tau / 5
            px, py = x + math.cos(a) * size * 0.7, y + math.sin(a) * size * 0.7
            draw.ellipse(
                (px - size * 0.55, py - size * 0.55, px + size * 0.55, py + size * 0.55),
                fill=_rgba(col, 245),
            )
        draw.ellipse(
            (x - size * 0.25, y - size * 0.25, x + size * 0.25, y + size * 0.25),
            fill=(250, 215, 90, 255),
        )

    def lanterns(self) -> None:
        s = self.scene
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        red, gold = (206, 32, 36), (240, 186, 60)
        if "envelope" in s or "firecracker" in s or "red paper" in s:
            floor = getattr(self, "floor_y", self.h * 0.55)
            for _ in range(7 if "envelope" in s else 40):
                x, y = self.r(0.05, 0.95) * self.w, self.r(0, 1) * (self.h - floor) + floor
                ew, eh = self.unit * self.r(0.08, 0.16), self.unit * self.r(0.12, 0.22)
                if "firecracker" in s:
                    ew, eh = ew * 0.4, eh * 0.3
                env = self.layer()
                ed = ImageDraw.Draw(env)
                ed.rectangle((x, y, x + ew, y + eh), fill=_rgba(red, 255))
                if "envelope" in s:
                    ed.ellipse(
                        (x + ew * 0.3, y + eh * 0.3, x + ew * 0.7, y + eh * 0.3 + ew * 0.4),
                        fill=_rgba(gold, 255),
                    )
                layer.alpha_composite(env.rotate(self.r(-40, 40), center=(x + ew / 2, y + eh / 2)))
            self.put(layer, blur=0.8)
            return
        count = self.rng.randint(3, 6)
        for i in range(count):
            x = self.w * (i + 0.5) / count + self.r(-0.04, 0.04) * self.w
            size = self.unit * self.r(0.09, 0.15)
            y = self.h * self.r(0.08, 0.3)
            draw.line([(x, 0), (x, y)], fill=(60, 40, 30, 255), width=2)
            draw.ellipse((x - size, y, x + size, y + size * 1.5), fill=_rgba(red, 255))
            for k in (-0.5, 0, 0.5):
                draw.arc(
                    (x - size * abs(k) - 2, y, x + size * abs(k) + 2, y + size * 1.5),
                    270,
                    90,
                    fill=_rgba(_shade(red, -0.3), 200),
                    width=1,
                )
            draw.rectangle(
                (x - size * 0.4, y - 3, x + size * 0.4, y + size * 0.12), fill=_rgba(gold, 255)
            )
            draw.rectangle(
                (x - size * 0.4, y + size * 1.42, x + size * 0.4, y + size * 1.56),
                fill=_rgba(gold, 255),
            )
            draw.line([(x, y + size * 1.56), (x, y + size * 2.1)], fill=_rgba(gold, 255), width=3)
        self.put(layer, blur=self.unit * 0.05)  # the glow
        self.put(layer, blur=0.8)

    # --- Animals and people ---------------------------------------------------------------

    def animal_colors(self, kind: str) -> tuple[Color, Color | None]:
        s = self.scene
        if "tuxedo" in s or "black-and-white" in s:
            return (30, 30, 32), (244, 244, 240)
        if "black" in s and kind == "cat":
            return (28, 28, 30), None
        if "grey" in s and kind == "cat":
            return (130, 130, 134), None
        if "corgi" in s:
            return (214, 142, 62), (250, 246, 238)
        if "golden" in s:
            return (214, 164, 82), None
        if "orange" in s or "tabby" in s:
            return _mix(self.c.main, (226, 140, 60), 0.5), None
        return self.c.main, None

    def animals(self, kind: str) -> None:
        s = self.scene
        many = re.search(r"\b(two|three) (?:\w+ )?(?:cats|dogs|corgis)\b", s)
        count = {"two": 2, "three": 3}[many.group(1)] if many else 1
        floor = getattr(self, "floor_y", self.h * 0.7)
        for i in range(count):
            if count > 1:
                x = self.w * (i + 0.5) / count
                size = self.w / count * 0.75
            else:
                x = self.w * self.r(0.4, 0.6)
                size = self.unit * (0.7 if "close-up" not in s else 0.85)
            base = floor + (self.h - floor) * (0.55 if "close-up" not in s else 0.9)
            if "boxes" in s:  # sitting on a stack of them
                for k in range(3):
                    self.box(x + self.r(-0.05, 0.05) * size, base - k * size * 0.35, size * 1.1)
                base -= size * 1.05
            if count == 3:
                colors = [
                    ((226, 140, 60), None),
                    ((130, 108, 84), None),
                    ((30, 30, 32), (244, 244, 240)),
                ][i]
            else:
                colors = self.animal_colors(kind)
            if kind == "cat":
                self.cat(
                    x,
                    base,
                    size,
                    *colors,
                    tabby=("tabby" in s or i == 1) and count == 3 or "tabby" in s,
                    sleepy=any(w in s for w in ("sleep", "loaf", "napping")),
                    face_only="face" in s or "close-up" in s,
                )
            else:
                self.dog(x, base, size, *colors)
            if "box" in s and "boxes" not in s:  # peeking out of it
                self.box(x, base + size * 0.1, size * 1.1)

    def tube(self, draw: ImageDraw.ImageDraw, points, start: float, end: float, col: Color) -> None:
        """A rounded stroke along `points` tapering from width `start` to `end` (a tail, a
        stripe, a brush stroke)."""
        steps = 24
        segments = len(points) - 1
        for k in range(steps + 1):
            t = k / steps
            i = min(int(t * segments), segments - 1)
            u = t * segments - i
            (ax, ay), (bx, by) = points[i], points[i + 1]
            x, y = ax + (bx - ax) * u, ay + (by - ay) * u
            r = start + (end - start) * t
            draw.ellipse((x - r, y - r, x + r, y + r), fill=_rgba(col, 255))

    def fur(self, layer: Image.Image, box, *, texture: float = 0.3) -> None:
        """Short strokes in lighter and darker tones of the coat beneath, clipped to it (with a
        low `texture`, the weave of fabric)."""
        x0, y0, x1, y1 = (
            max(0, box[0]),
            max(0, box[1]),
            min(self.w - 1, box[2]),
            min(self.h - 1, box[3]),
        )
        if x1 <= x0 or y1 <= y0:
            return
        pixels = layer.load()
        strokes = self.layer()
        draw = ImageDraw.Draw(strokes)
        length = self.unit * 0.022
        count = min(2200, int((x1 - x0) * (y1 - y0) / (length * length) * 1.5))
        for _ in range(count):
            x, y = self.r(x0, x1), self.r(y0, y1)
            r, g, b, a = pixels[int(x), int(y)]
            if a < 200:
                continue
            angle = math.pi / 2 + self.r(-0.6, 0.6)
            tone = _shade((r, g, b), self.r(-texture, texture))
            draw.line(
                [(x, y), (x + math.cos(angle) * length, y + math.sin(angle) * length)],
                fill=_rgba(tone, 190),
                width=2 if self.rng.random() < 0.3 else 1,
            )
        strokes.putalpha(ImageChops.multiply(strokes.getchannel("A"), layer.getchannel("A")))
        layer.alpha_composite(strokes)

    def box(self, x: float, base: float, size: float) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        col = (190, 150, 100)
        draw.rectangle(
            (x - size * 0.55, base - size * 0.35, x + size * 0.55, base), fill=_rgba(col, 255)
        )
        draw.polygon(
            [
                (x - size * 0.55, base - size * 0.35),
                (x - size * 0.8, base - size * 0.5),
                (x - size * 0.25, base - size * 0.5),
            ],
            fill=_rgba(_shade(col, 0.1), 255),
        )
        self.put(layer, blur=0.8)

    def cat(
        self,
        x: float,
        base: float,
        size: float,
        fur: Color,
        bib: Color | None,
        *,
        tabby: bool,
        sleepy: bool,
        face_only: bool,
    ) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        body = (x - size * 0.5, base - size * 0.55, x + size * 0.5, base)
        head_r = size * (0.24 if not face_only else 0.42)
        hx = x + size * (0.18 if not face_only else 0)
        hy = base - size * (0.62 if not face_only else 0.5)
        if not face_only:
            self.shadow((body[0], base - size * 0.08, body[2] + size * 0.1, base + size * 0.08))
            draw.ellipse(body, fill=_rgba(fur, 255))
            if tabby:
                for k in range(6):  # stripes following the curve of the back
                    sx = body[0] + size * (0.1 + k * 0.1)
                    top = base - size * 0.54 + size * 0.08 * abs(k - 2.5) / 2.5
                    self.tube(
                        draw,
                        [
                            (sx, top),
                            (sx + size * 0.03, top + size * 0.1),
                            (sx + size * 0.02, top + size * 0.18),
                        ],
                        size * 0.018,
                        size * 0.005,
                        _shade(fur, -0.22),
                    )
            # Chest under the head, front paws, and the tail wrapped round the front.
            draw.ellipse(
                (hx - head_r * 0.95, hy + head_r * 0.2, hx + head_r * 0.95, base - size * 0.02),
                fill=_rgba(fur, 255),
            )
            self.tube(
                draw,
                [
                    (body[0] + size * 0.08, base - size * 0.2),
                    (body[0] + size * 0.05, base - size * 0.04),
                    (x, base - size * 0.01),
                    (x + size * 0.25, base - size * 0.05),
                ],
                size * 0.065,
                size * 0.035,
                _shade(fur, -0.06),
            )
            for side in (-1, 1):
                px = hx + side * head_r * 0.4
                draw.ellipse(
                    (px - head_r * 0.28, base - head_r * 0.3, px + head_r * 0.28, base),
                    fill=_rgba(bib or _shade(fur, 0.08), 255),
                )
        for side in (-1, 1):  # ears
            ex = hx + side * head_r * 0.6
            draw.polygon(
                [
                    (ex - head_r * 0.45, hy - head_r * 0.55),
                    (ex + side * head_r * 0.15, hy - head_r * 1.35),
                    (ex + head_r * 0.45, hy - head_r * 0.55),
                ],
                fill=_rgba(fur, 255),
            )
            draw.polygon(
                [
                    (ex - head_r * 0.22, hy - head_r * 0.6),
                    (ex + side * head_r * 0.1, hy - head_r * 1.1),
                    (ex + head_r * 0.22, hy - head_r * 0.6),
                ],
                fill=(230, 160, 150, 255),
            )
        draw.ellipse(
            (hx - head_r * 1.05, hy - head_r, hx + head_r * 1.05, hy + head_r * 0.95),
            fill=_rgba(fur, 255),
        )
        stripe = _shade(fur, -0.35)
        if tabby:
            for k in range(5):
                sx = hx + (k - 2) * head_r * 0.22
                draw.line(
                    [(sx, hy - head_r * 0.95), (sx + head_r * 0.05, hy - head_r * 0.55)],
                    fill=_rgba(stripe, 220),
                    width=max(2, round(head_r * 0.08)),
                )

        if bib:
            draw.ellipse(
                (hx - head_r * 0.45, hy + head_r * 0.05, hx + head_r * 0.45, hy + head_r * 0.9),
                fill=_rgba(bib, 255),
            )
            if not face_only:
                draw.ellipse(
                    (hx - size * 0.14, hy + head_r * 0.8, hx + size * 0.14, base - size * 0.05),
                    fill=_rgba(bib, 255),
                )
        eye_y, eye_dx = hy - head_r * 0.05, head_r * 0.42
        for side in (-1, 1):
            ex = hx + side * eye_dx
            if sleepy:
                draw.arc(
                    (
                        ex - head_r * 0.2,
                        eye_y - head_r * 0.12,
                        ex + head_r * 0.2,
                        eye_y + head_r * 0.12,
                    ),
                    20,
                    160,
                    fill=(40, 30, 26, 255),
                    width=max(2, round(head_r * 0.06)),
                )
            else:
                draw.ellipse(
                    (
                        ex - head_r * 0.18,
                        eye_y - head_r * 0.15,
                        ex + head_r * 0.18,
                        eye_y + head_r * 0.15,
                    ),
                    fill=(200, 190, 70, 255),
                )
                draw.ellipse(
                    (
                        ex - head_r * 0.05,
                        eye_y - head_r * 0.14,
                        ex + head_r * 0.05,
                        eye_y + head_r * 0.14,
                    ),
                    fill=(20, 20, 20, 255),
                )
        muzzle = bib or _shade(fur, 0.25)
        for side in (-1, 1):  # whisker pads
            draw.ellipse(
                (
                    hx + side * head_r * 0.2 - head_r * 0.2,
                    hy + head_r * 0.22,
                    hx + side * head_r * 0.2 + head_r * 0.2,
                    hy + head_r * 0.55,
                ),
                fill=_rgba(muzzle, 255),
            )
        draw.polygon(
            [
                (hx - head_r * 0.1, hy + head_r * 0.2),
                (hx + head_r * 0.1, hy + head_r * 0.2),
                (hx, hy + head_r * 0.32),
            ],
            fill=(214, 130, 130, 255),
        )
        if "yelling" in self.scene or "mouth wide open" in self.scene:
            draw.ellipse(
                (hx - head_r * 0.25, hy + head_r * 0.4, hx + head_r * 0.25, hy + head_r * 0.85),
                fill=(120, 40, 50, 255),
            )
        for side in (-1, 1):  # whiskers
            for k in (-1, 0, 1):
                draw.line(
                    [
                        (hx + side * head_r * 0.3, hy + head_r * 0.35),
                        (hx + side * head_r * 1.3, hy + head_r * (0.25 + k * 0.15)),
                    ],
                    fill=(245, 245, 240, 160),
                    width=1,
                )
        self.fur(layer, (x - size * 0.62, hy - head_r * 1.35, x + size * 0.5, base))
        self.volume(layer, (x - size * 0.5, hy - head_r, x + size * 0.5, base))
        self.put(layer, blur=0.6)

    def dog(self, x: float, base: float, size: float, fur: Color, bib: Color | None) -> None:
        s = self.scene
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        self.shadow((x - size * 0.5, base - size * 0.06, x + size * 0.6, base + size * 0.08))
        body = (x - size * 0.5, base - size * 0.5, x + size * 0.45, base - size * 0.12)
        draw.ellipse(body, fill=_rgba(fur, 255))
        leg = size * 0.09
        for lx in (x - size * 0.38, x - size * 0.2, x + size * 0.18, x + size * 0.32):
            draw.rounded_rectangle(
                (lx - leg / 2, base - size * 0.25, lx + leg / 2, base),
                leg / 2,
                fill=_rgba(fur if "corgi" not in s else bib or fur, 255),
            )
        hx, hy, hr = x + size * 0.42, base - size * 0.58, size * 0.2
        if "jacket" in s:
            draw.chord((body[0], body[1], body[2], body[3]), 180, 360, fill=_rgba(self.c.main, 255))
            draw.line(
                [
                    (body[0] + size * 0.05, body[1] + size * 0.18),
                    (body[2] - size * 0.05, body[1] + size * 0.18),
                ],
                fill=_rgba(self.c.second, 255),
                width=max(2, round(size * 0.02)),
            )
        for side in (-1, 1):
            ex = hx + side * hr * 0.55
            if "corgi" in s:
                draw.polygon(
                    [
                        (ex - hr * 0.35, hy - hr * 0.5),
                        (ex + side * hr * 0.2, hy - hr * 1.6),
                        (ex + hr * 0.35, hy - hr * 0.5),
                    ],
                    fill=_rgba(fur, 255),
                )
            else:
                draw.ellipse(
                    (ex - hr * 0.3, hy - hr * 0.6, ex + hr * 0.3, hy + hr * 0.5),
                    fill=_rgba(_shade(fur, -0.15), 255),
                )
        draw.ellipse((hx - hr, hy - hr * 0.9, hx + hr, hy + hr * 0.9), fill=_rgba(fur, 255))
        draw.ellipse(
            (hx - hr * 0.2, hy - hr * 0.05, hx + hr * 0.95, hy + hr * 0.6),
            fill=_rgba(bib or _shade(fur, 0.2), 255),
        )
        draw.ellipse(
            (hx + hr * 0.7, hy + hr * 0.05, hx + hr * 0.98, hy + hr * 0.3), fill=(30, 24, 22, 255)
        )
        for side in (-1, 1):
            ex = hx + side * hr * 0.35
            draw.ellipse(
                (ex - hr * 0.1, hy - hr * 0.35, ex + hr * 0.1, hy - hr * 0.15),
                fill=(30, 24, 22, 255),
            )
        if bib:
            draw.ellipse(
                (x + size * 0.15, base - size * 0.4, x + size * 0.45, base - size * 0.12),
                fill=_rgba(bib, 255),
            )
        draw.arc(
            (x - size * 0.65, base - size * 0.6, x - size * 0.35, base - size * 0.3),
            180,
            300,
            fill=_rgba(fur, 255),
            width=max(3, round(size * 0.05)),
        )
        if "snow" in s:
            draw.ellipse(
                (hx + hr * 0.6, hy - hr * 0.05, hx + hr * 1.05, hy + hr * 0.2),
                fill=(255, 255, 255, 255),
            )
        self.fur(layer, (x - size * 0.65, hy - hr * 1.6, x + size * 0.65, base))
        self.volume(layer, (x - size * 0.5, hy - hr, x + size * 0.65, base))
        self.put(layer, blur=0.6)

    def people(
        self, *, count: int | None = None, small: bool = False, silhouette: bool = False
    ) -> None:
        s = self.scene
        if count is None:
            count = (
                5
                if any(
                    w in s
                    for w in (
                        "people",
                        "crowds",
                        "friends",
                        "uncles",
                        "dancers",
                        "skaters",
                        "line of",
                    )
                )
                else 2
                if "two people" in s
                else 1
            )
        floor = getattr(self, "floor_y", self.h * 0.75)
        for i in range(count):
            if count == 1 and not small:
                x, height = self.w * self.r(0.42, 0.58), self.h * 0.85
                base = self.h * 1.02
            else:
                x = self.w * (i + 0.5) / count + self.r(-0.05, 0.05) * self.w
                height = self.h * (self.r(0.2, 0.28) if small else self.r(0.45, 0.6))
                base = (floor if small else self.h) + self.r(-0.02, 0.06) * self.h
            self.person(x, base, height, index=i, silhouette=silhouette or self.night and small)

    def person(self, x: float, base: float, height: float, *, index: int, silhouette: bool) -> None:
        s, c = self.scene, self.c
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        skin = self.rng.choice(SKIN_TONES)
        hair = self.rng.choice(
            [(30, 24, 22), (58, 40, 30), (90, 64, 40), (180, 170, 160)]
            if "grandmother" in s or "elderly" in s or "uncles" in s
            else [(24, 20, 18), (48, 34, 26), (80, 56, 36)]
        )
        top = (
            c.main
            if index == 0
            else self.rng.choice([c.second, c.third, _mix(c.main, c.dark, 0.4)])
        )
        bottom = c.third if _lum(c.third) != _lum(top) else c.dark
        if "red" in s and "skirt" in s:
            bottom = c.main
            top = (246, 244, 238)
        if silhouette:
            skin = hair = top = bottom = (28, 26, 30)
        scarf = c.main if "scarf" in s and index == 0 else None
        # Proportions of a figure about eight heads tall; limbs are tapered tubes.
        head = height * 0.064
        hy = base - height + head
        shoulder = height * 0.12
        shoulder_y = hy + head * 1.75
        waist_y = shoulder_y + height * 0.27
        long_hair = "woman" in s or ("grandmother" not in s and index % 3 == 1)
        if long_hair:
            draw.rounded_rectangle(
                (x - head * 0.95, hy - head * 0.7, x + head * 0.95, shoulder_y + head * 0.6),
                head * 0.5,
                fill=_rgba(hair, 255),
            )
        if "skirt" in s or "dress" in s:
            hem = base - height * 0.17
            for side in (-1, 1):
                self.tube(
                    draw,
                    [
                        (x + side * shoulder * 0.3, waist_y + head),
                        (x + side * shoulder * 0.32, base - head * 0.3),
                    ],
                    head * 0.24,
                    head * 0.17,
                    skin,
                )
            draw.polygon(
                [
                    (x - shoulder * 0.7, waist_y),
                    (x + shoulder * 0.7, waist_y),
                    (x + shoulder * 1.45, hem),
                    (x - shoulder * 1.45, hem),
                ],
                fill=_rgba(bottom, 255),
            )
            for k in range(-5, 6):  # pleats
                draw.line(
                    [(x + k * shoulder * 0.12, waist_y), (x + k * shoulder * 0.28, hem)],
                    fill=_rgba(_shade(bottom, -0.22), 200),
                    width=1,
                )
        else:
            wide = "wide-leg" in s or "pleated trousers" in s
            for side in (-1, 1):
                self.tube(
                    draw,
                    [
                        (x + side * shoulder * 0.36, waist_y + head * 0.2),
                        (x + side * shoulder * 0.4, base - head * 0.4),
                    ],
                    head * (0.5 if wide else 0.42),
                    head * (0.5 if wide else 0.3),
                    bottom,
                )
        for side in (-1, 1):  # shoes
            draw.ellipse(
                (
                    x + side * shoulder * 0.4 - head * 0.42,
                    base - head * 0.4,
                    x + side * shoulder * 0.4 + head * 0.42,
                    base,
                ),
                fill=(44, 36, 32, 255),
            )
        coat = "coat" in s or "jacket" in s and "short" not in s
        torso_end = waist_y + (height * 0.18 if coat else head * 0.2)
        draw.polygon(
            [
                (x - shoulder, shoulder_y),
                (x + shoulder, shoulder_y),
                (x + shoulder * (0.9 if coat else 0.72), torso_end),
                (x - shoulder * (0.9 if coat else 0.72), torso_end),
            ],
            fill=_rgba(top, 255),
        )
        for side in (-1, 1):
            sx = x + side * shoulder * 0.82
            draw.ellipse(
                (
                    sx - shoulder * 0.2,
                    shoulder_y - shoulder * 0.02,
                    sx + shoulder * 0.2,
                    shoulder_y + shoulder * 0.38,
                ),
                fill=_rgba(top, 255),
            )
            wrist = (x + side * shoulder * 0.98, waist_y + height * 0.06)
            self.tube(
                draw,
                [
                    (sx, shoulder_y + head * 0.3),
                    (x + side * shoulder * 1.08, shoulder_y + height * 0.15),
                    wrist,
                ],
                head * 0.33,
                head * 0.25,
                _shade(top, -0.08),
            )
            draw.ellipse(
                (wrist[0] - head * 0.2, wrist[1], wrist[0] + head * 0.2, wrist[1] + head * 0.5),
                fill=_rgba(skin, 255),
            )
        self.tube(
            draw,
            [(x, hy + head * 0.8), (x, shoulder_y + head * 0.1)],
            head * 0.3,
            head * 0.32,
            skin,
        )
        draw.ellipse(
            (x - head * 0.78, hy - head, x + head * 0.78, hy + head), fill=_rgba(skin, 255)
        )
        draw.chord(
            (x - head * 0.86, hy - head * 1.12, x + head * 0.86, hy + head * 0.45),
            165,
            375,
            fill=_rgba(hair, 255),
        )
        if "grandmother" in s or "elderly" in s:  # a bun
            draw.ellipse(
                (x - head * 0.45, hy - head * 1.5, x + head * 0.45, hy - head * 0.7),
                fill=_rgba(hair, 255),
            )
        if scarf:
            draw.rounded_rectangle(
                (
                    x - shoulder * 0.75,
                    shoulder_y - head * 0.5,
                    x + shoulder * 0.75,
                    shoulder_y + head * 0.35,
                ),
                head * 0.3,
                fill=_rgba(scarf, 255),
            )
            draw.rectangle(
                (x + shoulder * 0.2, shoulder_y, x + shoulder * 0.55, shoulder_y + head * 3),
                fill=_rgba(scarf, 255),
            )
        if "selfie" in s and index == 0:
            draw.rounded_rectangle(
                (x + shoulder * 0.4, hy + head * 0.2, x + shoulder * 0.4 + head, hy + head * 2.1),
                head * 0.15,
                fill=(24, 24, 26, 255),
            )
        if "knot buttons" in s:
            for k in range(3):
                by = hy + head * 2 + k * head * 0.8
                draw.ellipse(
                    (x - head * 0.12, by, x + head * 0.12, by + head * 0.24),
                    fill=_rgba(c.third, 255),
                )
        self.fur(layer, (x - shoulder * 1.5, shoulder_y, x + shoulder * 1.5, base), texture=0.1)
        self.volume(layer, (x - shoulder * 1.5, hy - head, x + shoulder * 1.5, base))
        self.put(layer, blur=0.7 if not silhouette else 1.0)

    def hands(self, *, holding: bool) -> None:
        s = self.scene
        skin = self.rng.choice(SKIN_TONES)
        if "wrinkled" in s or "grandmother" in s:
            skin = _mix(skin, (230, 200, 180), 0.3)
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        count = 2 if "hands" in s else 1
        sleeve = self.c.third if _lum(self.c.third) < 180 else self.c.dark
        for i in range(count):
            side = -1 if (i == 0 and count == 2) else 1
            cx = self.w * (0.5 + side * (0.18 if count == 2 else 0.05))
            cy = self.h * 0.55
            hw = self.unit * 0.16
            draw.polygon(
                [
                    (cx - hw * 0.6, cy + hw * 0.5),
                    (cx + hw * 0.6, cy + hw * 0.5),
                    (cx + side * hw * 1.6 + hw * 0.8, self.h + 5),
                    (cx + side * hw * 1.6 - hw * 0.8, self.h + 5),
                ],
                fill=_rgba(skin, 255),
            )
            draw.rectangle(
                (cx + side * hw * 1.4 - hw, self.h * 0.86, cx + side * hw * 1.8 + hw, self.h + 5),
                fill=_rgba(sleeve, 255),
            )
            draw.ellipse((cx - hw, cy - hw * 0.7, cx + hw, cy + hw * 0.9), fill=_rgba(skin, 255))
            for k in range(4):  # fingers
                fx = cx - hw * 0.75 + k * hw * 0.5
                draw.rounded_rectangle(
                    (fx - hw * 0.2, cy - hw * 1.4, fx + hw * 0.2, cy),
                    hw * 0.2,
                    fill=_rgba(skin, 255),
                )
            if holding and "mandarin" in s and i == 0:
                draw.ellipse(
                    (cx - hw * 0.9, cy - hw * 1.9, cx + hw * 0.9, cy - hw * 0.2),
                    fill=_rgba(self.c.main, 255),
                )
                self.leaf(draw, cx, cy - hw * 1.9, hw * 0.8, 0.6, self.palette_green())
        self.volume(layer, (self.w * 0.2, self.h * 0.35, self.w * 0.8, self.h))
        self.put(layer, blur=0.8)

    def shoes(self) -> None:
        """A pair of shoes or boots seen from the side, on the floor (two pairs to compare)."""
        s, c = self.scene, self.c
        floor = getattr(self, "floor_y", self.h * 0.65)
        base = floor + (self.h - floor) * 0.6
        boots = "boots" in s
        pairs = 2 if "comparison" in s or "side-by-side" in s else 1
        size = self.w * (0.21 if pairs == 2 else 0.36)
        colours = [c.main if _lum(c.main) < 200 else c.third, c.third if pairs == 2 else c.main]
        for k in range(pairs * 2):
            x = self.w * ((k + 0.5) / (pairs * 2)) if pairs == 2 else self.w * (0.3 + 0.38 * k)
            x -= size / 2
            y = base + (k % 2) * self.h * 0.04
            col = colours[k // 2] if pairs == 2 else colours[0]
            layer = self.layer()
            draw = ImageDraw.Draw(layer)
            self.shadow((x - size * 0.05, y - size * 0.06, x + size * 1.05, y + size * 0.08))
            top = y - size * (0.75 if boots else 0.38)
            shaft = x + size * (0.18 if boots else 0.3)
            draw.polygon(
                [
                    (x, y),
                    (x, y - size * 0.3),
                    (shaft, top),
                    (shaft + size * (0.3 if boots else 0.25), top),
                    (x + size * 0.62, y - size * 0.3),
                    (x + size * 0.95, y - size * 0.2),
                    (x + size, y),
                ],
                fill=_rgba(col, 255),
            )
            draw.ellipse(
                (x + size * 0.55, y - size * 0.3, x + size * 1.02, y + size * 0.02),
                fill=_rgba(col, 255),
            )
            sole = (244, 242, 236) if "sneaker" in s else (48, 36, 30)
            draw.rectangle((x - 2, y - size * 0.06, x + size + 2, y), fill=_rgba(sole, 255))
            if "sneaker" in s:
                draw.line(
                    [(x + size * 0.3, y - size * 0.25), (x + size * 0.75, y - size * 0.12)],
                    fill=(250, 250, 250, 230),
                    width=max(3, round(size * 0.04)),
                )
            self.volume(layer, (x, top, x + size, y))
            self.put(layer, blur=0.7)

    def garment(self) -> None:
        """Clothes or cloth laid flat: a jacket, a scarf, yarn and thread, a tote."""
        s, c = self.scene, self.c
        if _SHOES.search(s) and "outfit" not in s and "haul" not in s:
            self.shoes()
            return
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        cx, cy = self.w * 0.5, self.h * 0.5
        size = self.unit * 0.42
        if "yarn" in s or "thread" in s or "spools" in s:
            for i in range(4 if "spools" in s else 1):
                x = cx + (i - 1.5) * size * 0.6 if "spools" in s else cx
                col = [c.main, c.second, c.third, _mix(c.main, c.third, 0.5)][i]
                r = size * (0.25 if "spools" in s else 0.6)
                draw.ellipse((x - r, cy - r, x + r, cy + r), fill=_rgba(col, 255))
                for _strand in range(14):
                    a = self.r(0, 180)
                    draw.arc(
                        (x - r * 0.95, cy - r * 0.95, x + r * 0.95, cy + r * 0.95),
                        a,
                        a + 120,
                        fill=_rgba(_shade(col, -0.25), 180),
                        width=1,
                    )
            if "hoop" in s:
                draw.ellipse(
                    (cx - size, cy + size * 0.2, cx + size * 0.2, cy + size * 1.2),
                    outline=(200, 160, 110, 255),
                    width=6,
                )
        elif "scarf" in s:
            pts = [
                (self.w * t, cy + math.sin(t * 5) * size * 0.35)
                for t in (k / 20 for k in range(21))
            ]
            col = c.main
            draw.line(pts, fill=_rgba(col, 255), width=round(size * 0.45), joint="curve")
            for k in range(0, 21, 2):
                t = k / 20
                draw.line(
                    [
                        (self.w * t, cy + math.sin(t * 5) * size * 0.35 - size * 0.2),
                        (self.w * t, cy + math.sin(t * 5) * size * 0.35 + size * 0.2),
                    ],
                    fill=_rgba(c.second if "striped" in s else _shade(col, -0.2), 230),
                    width=max(3, round(size * 0.06)),
                )
            if "needles" in s:
                draw.line(
                    [(cx - size, cy - size * 0.8), (cx + size * 0.6, cy + size * 0.4)],
                    fill=(200, 200, 205, 255),
                    width=4,
                )
        else:
            col = c.main
            draw.polygon(
                [
                    (cx - size * 0.5, cy - size * 0.8),
                    (cx + size * 0.5, cy - size * 0.8),
                    (cx + size * 1.1, cy - size * 0.4),
                    (cx + size * 0.9, cy + size * 0.1),
                    (cx + size * 0.55, cy - size * 0.1),
                    (cx + size * 0.55, cy + size * 0.9),
                    (cx - size * 0.55, cy + size * 0.9),
                    (cx - size * 0.55, cy - size * 0.1),
                    (cx - size * 0.9, cy + size * 0.1),
                    (cx - size * 1.1, cy - size * 0.4),
                ],
                fill=_rgba(col, 255),
            )
            draw.line(
                [(cx, cy - size * 0.8), (cx, cy + size * 0.9)],
                fill=_rgba(_shade(col, -0.3), 255),
                width=2,
            )
            for k in range(4):
                by = cy - size * 0.55 + k * size * 0.35
                draw.ellipse((cx - 5, by - 5, cx + 5, by + 5), fill=_rgba(c.second, 255))
            if "tag" in s or "price" in s:
                draw.rectangle(
                    (cx + size * 0.6, cy + size * 0.5, cx + size * 0.9, cy + size * 0.7),
                    fill=(250, 250, 245, 255),
                )
        self.volume(layer, (cx - size * 1.1, cy - size, cx + size * 1.1, cy + size))
        self.put(layer, blur=0.7)

    def moon_gate(self) -> None:
        """A garden seen through a round opening in a white wall."""
        c = self.c
        self.sky(0.55)
        hy = self.h * 0.55
        green = self.palette_green()
        garden = self.layer()
        draw = ImageDraw.Draw(garden)
        for _ in range(40):  # trees beyond the pond
            x, y = self.r(-0.05, 1.05) * self.w, hy - self.r(0, 0.14) * self.h
            r = self.unit * self.r(0.05, 0.1)
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=_rgba(_shade(green, self.r(-0.3, 0.1)), 255)
            )
        draw.rectangle(
            (0, hy, self.w, self.h), fill=_rgba(_mix(self.sky_color(), green, 0.35), 255)
        )
        px, roof_w = self.w * self.r(0.55, 0.68), self.w * 0.22
        roof = (40, 40, 44, 255)
        draw.polygon(
            [
                (px - roof_w * 0.6, hy - self.h * 0.1),
                (px - roof_w * 0.3, hy - self.h * 0.16),
                (px + roof_w * 0.3, hy - self.h * 0.16),
                (px + roof_w * 0.6, hy - self.h * 0.1),
            ],
            fill=roof,
        )
        for k in (-0.35, 0, 0.35):
            draw.line(
                [(px + k * roof_w, hy - self.h * 0.1), (px + k * roof_w, hy)],
                fill=(120, 40, 36, 255),
                width=4,
            )
        self.put(garden, blur=3.0)
        wall = self.layer()
        draw = ImageDraw.Draw(wall)
        plaster = _mix(c.light, (240, 238, 232), 0.6)
        draw.rectangle((0, 0, self.w, self.h), fill=_rgba(plaster, 255))
        r = min(self.w, self.h) * 0.36
        cx, cy = self.w / 2, self.h * 0.5
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(0, 0, 0, 0))
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            outline=(90, 88, 86, 255),
            width=max(4, round(r * 0.05)),
        )
        draw.rectangle((0, 0, self.w, self.h * 0.07), fill=(58, 58, 62, 255))  # the tiled coping
        draw.rectangle((0, self.h * 0.9, self.w, self.h), fill=_rgba(_shade(c.third, -0.2), 255))
        self.volume(wall, (0, 0, self.w, self.h), light=0.2, dark=0.25)
        self.put(wall, blur=0.6)
        self.willows(bare=False)

    def willows(self, *, bare: bool) -> None:
        """Willow fronds hanging into the frame from the top corner, out of focus."""
        green = (96, 84, 70) if bare else self.palette_green()
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        left = self.rng.random() < 0.5
        for _ in range(30):
            x = self.r(-0.05, 0.3) * self.w
            if not left:
                x = self.w - x
            length = self.r(0.3, 0.6) * self.h
            pts = [
                (x + math.sin(t * 3) * 6 + t * 20, t * length) for t in (k / 10 for k in range(11))
            ]
            draw.line(pts, fill=_rgba(_shade(green, self.r(-0.2, 0.2)), 230), width=2)
            if not bare:
                for px, py in pts[2::2]:
                    self.leaf(draw, px, py, self.unit * 0.02, -math.pi / 2.5, green)
        self.put(layer, blur=1.5)

    def framed_embroidery(self) -> None:
        """A silk embroidery in a wooden frame: two birds on a blossoming branch."""
        s, c = self.scene, self.c
        fw = self.w * (0.62 if "shelf" not in s else 0.45)
        fh = fw * 0.8
        cx = self.w * (0.5 if "shelf" not in s else 0.4)
        bottom = self.floor_y - self.h * 0.02
        x0, y0 = cx - fw / 2, bottom - fh
        self.shadow(
            (x0 + 8, y0 + 10, x0 + fw + 16, bottom + 14), strength=120, blur=self.unit * 0.02
        )
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        wood = (120, 82, 52)
        draw.rectangle((x0, y0, x0 + fw, bottom), fill=_rgba(wood, 255))
        m = fw * 0.07
        silk = _mix(c.light, (248, 242, 230), 0.5)
        draw.rectangle((x0 + m, y0 + m, x0 + fw - m, bottom - m), fill=_rgba(silk, 255))
        branch = [
            (x0 + m, bottom - m - fh * 0.15),
            (x0 + fw * 0.35, y0 + fh * 0.55),
            (x0 + fw * 0.6, y0 + fh * 0.45),
            (x0 + fw - m, y0 + fh * 0.3),
        ]
        draw.line(branch, fill=(70, 50, 40, 255), width=max(3, round(fw * 0.012)), joint="curve")
        blossom = c.second if c.second[0] > 150 and _saturation(c.second) > 0.3 else (214, 80, 96)
        for _ in range(16):
            k = self.rng.randint(0, len(branch) - 2)
            t = self.r(0, 1)
            bx = branch[k][0] + (branch[k + 1][0] - branch[k][0]) * t + self.r(-8, 8)
            by = branch[k][1] + (branch[k + 1][1] - branch[k][1]) * t + self.r(-8, 8)
            self.flower(draw, bx, by, fw * 0.018, blossom)
        for bx, flip in ((x0 + fw * 0.38, 1), (x0 + fw * 0.62, -1)):  # the magpies
            by = y0 + fh * 0.42
            size = fw * 0.09
            draw.polygon(
                [
                    (bx - flip * size * 0.5, by),
                    (bx - flip * size * 1.9, by + size * 0.4),
                    (bx - flip * size * 1.8, by + size * 0.6),
                ],
                fill=(30, 34, 48, 255),
            )
            draw.ellipse(
                (bx - size * 0.7, by - size * 0.5, bx + size * 0.7, by + size * 0.5),
                fill=(30, 34, 48, 255),
            )
            draw.ellipse(
                (bx - size * 0.3, by - size * 0.1, bx + size * 0.5, by + size * 0.45),
                fill=(245, 245, 240, 255),
            )
            draw.ellipse(
                (
                    bx + flip * size * 0.45,
                    by - size * 0.75,
                    bx + flip * size * 0.45 + flip * size * 0.6,
                    by - size * 0.15,
                )
                if flip > 0
                else (bx - size * 1.05, by - size * 0.75, bx - size * 0.45, by - size * 0.15),
                fill=(30, 34, 48, 255),
            )
        self.put(layer, blur=0.6)
        if "shelf" in s:
            shelf = self.layer()
            sd = ImageDraw.Draw(shelf)
            sd.rectangle((0, bottom, self.w, bottom + self.h * 0.03), fill=(150, 110, 76, 255))
            bx0 = x0 + fw + self.w * 0.05
            sd.rectangle(
                (bx0, bottom - fh * 0.4, bx0 + self.w * 0.3, bottom), fill=(164, 113, 72, 255)
            )
            sd.rectangle(
                (bx0, bottom - fh * 0.4, bx0 + self.w * 0.3, bottom - fh * 0.33),
                fill=(130, 88, 56, 255),
            )
            self.volume(shelf, (bx0, bottom - fh * 0.4, bx0 + self.w * 0.3, bottom))
            self.put(shelf, blur=0.7)

    def collage(self) -> None:
        """A grid of small cat portraits, each on its own background colour."""
        c = self.c
        n = 4
        cw, ch = self.w / n, self.h / n
        fur = [
            (226, 140, 60),
            (130, 108, 84),
            (30, 30, 32),
            (200, 200, 204),
            (240, 236, 228),
            (96, 90, 88),
        ]
        for i in range(n):
            for j in range(n):
                bg = _shade(
                    self.rng.choice([c.main, c.second, c.third, c.light]), self.r(-0.15, 0.25)
                )
                tile = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))
                ImageDraw.Draw(tile).rectangle(
                    (i * cw, j * ch, (i + 1) * cw, (j + 1) * ch), fill=_rgba(bg, 255)
                )
                self.canvas.alpha_composite(tile)
                self.cat(
                    i * cw + cw / 2,
                    (j + 1) * ch - ch * 0.05,
                    min(cw, ch) * 0.8,
                    self.rng.choice(fur),
                    None,
                    tabby=self.rng.random() < 0.4,
                    sleepy=self.rng.random() < 0.3,
                    face_only=True,
                )
        lines = self.layer()
        draw = ImageDraw.Draw(lines)
        for k in range(1, n):
            draw.line([(k * cw, 0), (k * cw, self.h)], fill=(255, 255, 255, 255), width=3)
            draw.line([(0, k * ch), (self.w, k * ch)], fill=(255, 255, 255, 255), width=3)
        self.put(lines)

    # --- Weather and light ----------------------------------------------------------------

    def snowflakes(self) -> None:
        near, far = self.layer(), self.layer()
        for layer, count, size in ((far, 160, 0.006), (near, 26, 0.016)):
            draw = ImageDraw.Draw(layer)
            for _ in range(count):
                x, y = self.r(0, 1) * self.w, self.r(0, 1) * self.h
                r = self.unit * size * self.r(0.5, 1.5)
                draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 220))
        self.put(far, blur=0.8)
        self.put(near, blur=self.unit * 0.008)

    def bokeh(self, *, count: int = 18, small: bool = False) -> None:
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        warm = [(255, 214, 140), (255, 180, 120), (255, 240, 200), _shade(self.c.main, 0.3)]
        for _ in range(count):
            x, y = self.r(0, 1) * self.w, self.r(0, 0.7) * self.h
            r = self.unit * (self.r(0.005, 0.015) if small else self.r(0.02, 0.06))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*self.rng.choice(warm), 150))
        self.put(layer, blur=self.unit * (0.004 if small else 0.01))

    def light(self) -> None:
        """A soft pool of light from a window or the sky, and warm bokeh in cosy scenes."""
        s = self.scene
        if any(w in s for w in ("fairy lights", "café", "neon", "cozy", "lantern")) or (
            self.night and not _has(s, "city")
        ):
            self.bokeh()
        layer = self.layer()
        draw = ImageDraw.Draw(layer)
        lx = self.w * self.rng.choice([0.15, 0.85])
        ly = self.h * self.r(0.05, 0.3)
        r = self.unit * 0.6
        tint = _shade(self.c.light, 0.5)
        draw.ellipse((lx - r, ly - r, lx + r, ly + r), fill=(*tint, 60 if not self.night else 25))
        self.put(layer, blur=self.unit * 0.2)

    # --- Finishing ------------------------------------------------------------------------

    def finish(self, size: tuple[int, int]) -> Image.Image:
        """Contrast and vignette, then scale up (the softness of a lens) and add grain."""
        image = self.canvas.convert("RGB").point(_CONTRAST_CURVE * 3)
        image = ImageChops.add(image, self.mottle(image.size), 1.0, -128)
        image = ImageChops.multiply(image, _vignette(image.size))
        image = image.resize(size, Image.Resampling.BICUBIC)
        return ImageChops.add(image, _grain(size), 1.0, -128)

    def mottle(self, size: tuple[int, int]) -> Image.Image:
        """Uneven light and surface texture: blotches of a few sizes, centred on 128."""
        result = None
        for cells, strength in ((4, 9), (20, 4), (80, 3)):
            grid = (cells, max(2, round(cells * size[1] / size[0])))
            noise = Image.frombytes("L", grid, self.rng.randbytes(grid[0] * grid[1]))
            noise = noise.resize(size, Image.Resampling.BICUBIC).point(
                lambda v, k=strength: 128 + (v - 128) * k // 128
            )
            result = noise if result is None else ImageChops.add(result, noise, 1.0, -128)
        return Image.merge("RGB", (result,) * 3)


# A gentle S-curve: photographs have more mid-tone contrast than flat paint.
_CONTRAST_CURVE = [
    round(255 * (0.5 - 0.5 * math.cos(math.pi * v / 255)) * 0.35 + v * 0.65) for v in range(256)
]


@functools.cache
def _vignette(size: tuple[int, int]) -> Image.Image:
    """Multiplier darkening the corners by up to a third, as a lens does."""
    mask = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    mask = mask.point(lambda v: 255 - max(0, v - 110) * 95 // 145)
    return Image.merge("RGB", (mask,) * 3)


@functools.cache
def _grain(size: tuple[int, int]) -> Image.Image:
    """Film grain centred on 128, to add with an offset of -128. The same texture serves every
    picture of a size: grain is meant to be noticed as texture, not as a pattern."""
    rng = random.Random(size[0] * 100_003 + size[1])  # noqa: S311 - texture, not secrets
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    noise = noise.filter(ImageFilter.BoxBlur(0.5)).point(lambda v: 128 + (v - 128) * 12 // 100)
    return Image.merge("RGB", (noise,) * 3)
