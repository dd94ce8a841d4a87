"""Development tool: make a picture one of the demo photos, as a phone would have taken it.

    python demo/photo_stamp.py PICTURE NOTE_KEY NUMBER    (e.g. ~/cat.jpg n01 1)

writes demo/photos/<NOTE_KEY>-<NUMBER>.jpg: the picture fitted in LONG_SIDE × SHORT_SIDE,
encoded as JPEG at JPEG_QUALITY, carrying the EXIF a phone writes — camera make and model,
the time taken, the GPS position of the note's `location` in demo/seed.json and, for a
portrait photo, the sensor's landscape pixels with orientation 6 (turn a quarter clockwise).
`seed_demo` uploads these files as they are, so every quick start sends GPS and an
orientation through the image pipeline, which must turn the photo and strip the rest
(tests/notes/test_demo.py checks both). The output depends only on the picture and the
arguments. Not shipped in the Docker image (.dockerignore).
"""

import hashlib
import io
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageOps
from PIL.ExifTags import GPS, IFD, Base

DEMO_DIR = Path(__file__).resolve().parent
PHOTOS_DIR = DEMO_DIR / "photos"
LONG_SIDE = 1280
SHORT_SIDE = 960
JPEG_QUALITY = 72
ORIENTATION_TURNED = 6  # stored a quarter turn anticlockwise, displayed turned clockwise

# Where each place named by a demo note is (latitude, longitude), by the part of `location`
# before "·" or ",": a city, or a landmark when the note names one.
PLACES = {
    "Columbus": (39.9612, -82.9988),
    "Portland": (45.5152, -122.6784),
    "Denver": (39.7392, -104.9903),
    "Atlanta": (33.7490, -84.3880),
    "Tulsa": (36.1540, -95.9928),
    "Minneapolis": (44.9778, -93.2650),
    "Seattle": (47.6062, -122.3321),
    "Los Angeles": (34.0522, -118.2437),
    "Phoenix": (33.4484, -112.0740),
    "Boston": (42.3601, -71.0589),
    "Austin": (30.2672, -97.7431),
    "Lafayette": (30.2241, -92.0198),
    "Nashville": (36.1627, -86.7816),
    "East Nashville": (36.1777, -86.7510),
    "Lower East Side": (40.7150, -73.9843),
    "Flushing": (40.7580, -73.8303),
    "Chinatown": (40.7158, -73.9970),
    "I-80": (40.6993, -99.0817),
    "Somewhere in Iowa": (41.8780, -93.0977),
    "杭州": (30.2741, 120.1551),
    "武汉": (30.5928, 114.3055),
    "西安": (34.2658, 108.9541),
    "厦门": (24.4798, 118.0894),
    "哈尔滨": (45.8038, 126.5350),
    "成都": (30.6571, 104.0657),
    "上海": (31.2304, 121.4737),
    "广州": (23.1291, 113.2644),
    "北京": (39.9042, 116.4074),
    "深圳": (22.5431, 114.0579),
    "大理": (25.6065, 100.2676),
    "重庆": (29.5630, 106.5516),
    "苏州": (31.2990, 120.5853),
}
PHONES = (
    ("Apple", "iPhone 15 Pro"),
    ("Apple", "iPhone 13"),
    ("Xiaomi", "Xiaomi 14"),
    ("HUAWEI", "Mate 60 Pro"),
    ("Google", "Pixel 8"),
    ("samsung", "Galaxy S24"),
    ("vivo", "X100"),
    ("OPPO", "Find X7"),
)
# The week the #tiktokrefugee wave arrived. EXIF times are the camera's local time, no zone.
FIRST_DAY = datetime(2025, 1, 13, 8, 0)  # noqa: DTZ001


def photo_path(key: str, number: int) -> Path:
    return PHOTOS_DIR / f"{key}-{number}.jpg"


def place_of(location: str) -> tuple[float, float]:
    name = location.split("·")[0].split(",")[0].strip()
    if name not in PLACES:
        raise ValueError(f"no coordinates for {location!r}: add {name!r} to PLACES")
    return PLACES[name]


def _digest(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees, minutes = int(value), int(value * 60) % 60
    return float(degrees), float(minutes), round(value * 3600 % 60, 2)


def photo_exif(*, author: str, location: str, key: str, number: int) -> Image.Exif:
    """The EXIF of a phone photo taken by `author` at `location` (stable per photo)."""
    seed = _digest(key, number)
    make, model = PHONES[_digest(author) % len(PHONES)]
    taken = FIRST_DAY + timedelta(minutes=seed % (60 * 24 * 35))
    latitude, longitude = place_of(location)
    # A few hundred metres around the place, as photos of one outing spread out.
    latitude += (seed >> 20) % 600 / 100_000 - 0.003
    longitude += (seed >> 40) % 600 / 100_000 - 0.003

    exif = Image.Exif()
    exif[Base.Make] = make
    exif[Base.Model] = model
    exif[Base.Software] = "RedNote demo"
    exif[Base.DateTime] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[Base.Orientation] = 1
    details = exif.get_ifd(IFD.Exif)
    details[Base.DateTimeOriginal] = exif[Base.DateTime]
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSVersionID] = b"\x02\x02\x00\x00"
    gps[GPS.GPSLatitudeRef] = "N" if latitude >= 0 else "S"
    gps[GPS.GPSLatitude] = _dms(latitude)
    gps[GPS.GPSLongitudeRef] = "E" if longitude >= 0 else "W"
    gps[GPS.GPSLongitude] = _dms(longitude)
    gps[GPS.GPSAltitudeRef] = b"\x00"
    gps[GPS.GPSAltitude] = float(seed % 400 + 5)
    return exif


def photo_stamp(picture: Image.Image, *, exif: Image.Exif) -> bytes:
    """`picture` (as seen) fitted in the demo size, as a phone's JPEG carrying `exif`."""
    picture = ImageOps.exif_transpose(picture).convert("RGB")
    box = (LONG_SIDE, SHORT_SIDE) if picture.width >= picture.height else (SHORT_SIDE, LONG_SIDE)
    picture = ImageOps.contain(picture, box, Image.Resampling.LANCZOS)
    if picture.height > picture.width:
        # A phone held upright stores its sensor's landscape pixels and says how to turn them.
        picture = picture.transpose(Image.Transpose.ROTATE_90)
        exif[Base.Orientation] = ORIENTATION_TURNED
    out = io.BytesIO()
    picture.save(
        out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, exif=exif.tobytes()
    )
    return out.getvalue()


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__.split("\n\n")[1])
    source, key, number = Path(argv[0]), argv[1], int(argv[2])
    seed = json.loads((DEMO_DIR / "seed.json").read_text(encoding="utf-8"))
    row = next((row for row in seed["notes"] if row["key"] == key), None)
    if row is None or not 1 <= number <= len(row["images"]):
        raise SystemExit(f"demo/seed.json has no photo {number} for a note {key!r}")
    exif = photo_exif(author=row["author"], location=row["location"], key=key, number=number)
    with Image.open(source) as picture:
        data = photo_stamp(picture, exif=exif)
    PHOTOS_DIR.mkdir(exist_ok=True)
    photo_path(key, number).write_bytes(data)
    print(f"{photo_path(key, number)}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
