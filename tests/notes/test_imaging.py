"""The renditions themselves (`notes.imaging.image_renditions_create`), on real files: EXIF
orientation, colour modes and ICC profiles to sRGB, sizes, no metadata, the fast path."""

import io

import pytest
from PIL import Image, ImageCms, ImageDraw, JpegImagePlugin

from notes.imaging import DISPLAY_BOX, REDUCING_GAP, fit_size, image_renditions_create
from rednote.image_processing import image_open_for_processing
from rednote.images import DECODE_ERRORS
from tests.fixtures.images import (
    SWAPPED_PROFILE,
    assert_bare_webp,
    camera_jpeg,
    encode,
    exif_bytes,
    scene,
    xmp_packet,
)

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 40), (30, 40, 220)


def _renditions(data: bytes):
    return image_renditions_create(io.BytesIO(data))


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _close(actual, expected, tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def _dominant(pixel) -> str:
    r, g, b = pixel[:3]
    return {r: "red", g: "green", b: "blue"}[max(r, g, b)]


# --- Orientation ----------------------------------------------------------------------------


def _marked(size: tuple[int, int]) -> Image.Image:
    """Blue, with a red block at the stored top-left corner and a green one at the top-right."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 4, height // 4), fill=RED)
    draw.rectangle((width - width // 4, 0, width, height // 4), fill=GREEN)
    return image


def _corner(image: Image.Image, corner: str) -> str:
    width, height = image.size
    x = width // 10 if corner[1] == "L" else width - 1 - width // 10
    y = height // 10 if corner[0] == "T" else height - 1 - height // 10
    return _dominant(image.convert("RGB").getpixel((x, y)))


# For each EXIF orientation: whether the picture turns a quarter, and where the stored top-left
# and top-right corners are once displayed (T/B = top/bottom, L/R = left/right).
ORIENTATIONS = {
    1: (False, "TL", "TR"),
    2: (False, "TR", "TL"),
    3: (False, "BR", "BL"),
    4: (False, "BL", "BR"),
    5: (True, "TL", "BL"),
    6: (True, "TR", "BR"),
    7: (True, "BR", "TR"),
    8: (True, "BL", "TL"),
}


@pytest.mark.parametrize("orientation", sorted(ORIENTATIONS))
def test_renditions_apply_every_exif_orientation(orientation):
    turned, red_at, green_at = ORIENTATIONS[orientation]
    data = encode(_marked((300, 200)), "JPEG", quality=95, exif=exif_bytes(orientation=orientation))
    result = _renditions(data)
    expected = (200, 300) if turned else (300, 200)
    assert (result.display.width, result.display.height) == expected
    display = _open(result.display.data)
    assert display.size == expected
    assert _corner(display, red_at) == "red"
    assert _corner(display, green_at) == "green"
    assert_bare_webp(result.display.data)


@pytest.mark.parametrize("orientation", [6, 8])
def test_renditions_of_a_big_turned_photo_have_portrait_size_and_right_placement(orientation):
    # Big enough for the reduced-scale decode: the draft size must be asked in stored
    # orientation, and the picture turned after resizing.
    _turned, red_at, green_at = ORIENTATIONS[orientation]
    data = encode(
        _marked((3200, 2400)), "JPEG", quality=90, exif=exif_bytes(orientation=orientation)
    )
    result = _renditions(data)
    assert (result.display.width, result.display.height) == (1080, 1440)
    assert (result.grid.width, result.grid.height) == (540, 720)
    for rendition in (result.display, result.grid):
        image = _open(rendition.data)
        assert image.size == (rendition.width, rendition.height)
        assert _corner(image, red_at) == "red"
        assert _corner(image, green_at) == "green"


def test_renditions_ignore_a_nonsense_orientation():
    exif = Image.Exif()
    exif[0x0112] = 42
    result = _renditions(encode(_marked((300, 200)), "JPEG", exif=exif.tobytes()))
    display = _open(result.display.data)
    assert display.size == (300, 200)
    assert _corner(display, "TL") == "red"


# --- Metadata -------------------------------------------------------------------------------


def test_renditions_carry_no_metadata_from_a_camera_jpeg():
    data = camera_jpeg((1600, 1200), icc_profile=SWAPPED_PROFILE)
    source = Image.open(io.BytesIO(data))  # the input really carries it all
    assert {"exif", "xmp", "comment", "icc_profile", "photoshop"} <= set(source.info)
    assert source.getexif().get_ifd(0x8825)  # GPS
    result = _renditions(data)
    assert_bare_webp(result.display.data)
    assert_bare_webp(result.grid.data)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_renditions_carry_no_metadata_from_png_or_webp(fmt):
    data = encode(
        scene((800, 600)),
        fmt,
        exif=exif_bytes(orientation=1),
        xmp=xmp_packet(),
        icc_profile=SWAPPED_PROFILE,
    )
    assert "icc_profile" in Image.open(io.BytesIO(data)).info
    result = _renditions(data)
    assert_bare_webp(result.display.data)
    assert_bare_webp(result.grid.data)


# --- Colour modes and profiles ---------------------------------------------------------------


def _palette(transparent: bool) -> bytes:
    image = Image.new("P", (64, 48), 0)
    image.putpalette([*RED, *GREEN, *BLUE] + [0] * (256 - 3) * 3)
    ImageDraw.Draw(image).rectangle((32, 0, 63, 47), fill=1)
    params = {"transparency": 2} if transparent else {}
    if transparent:
        ImageDraw.Draw(image).rectangle((0, 24, 31, 47), fill=2)
    return encode(image, "PNG", **params)


def _i16(value: int) -> bytes:
    image = Image.new("I;16", (64, 48), value)
    return encode(image, "PNG")


def _cmyk_jpeg() -> bytes:
    data = encode(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG", quality=95)
    # libjpeg writes CMYK the Adobe way, inverted, with an APP14 "Adobe" marker.
    assert b"Adobe" in data
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    return data


def _rgb_with_key() -> bytes:
    image = Image.new("RGB", (64, 48), RED)
    ImageDraw.Draw(image).rectangle((0, 24, 63, 47), fill=(0, 255, 0))
    return encode(image, "PNG", transparency=(0, 255, 0))


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 48), colour) for colour in (RED, GREEN, BLUE)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=80)


# (file, expected output mode, probes: (x, y) → expected RGBA or RGB at that point)
COLOUR_CASES = {
    "cmyk-adobe-jpeg": (_cmyk_jpeg(), "RGB", {(10, 10): (255, 0, 0)}),
    "greyscale-jpeg": (encode(Image.new("L", (64, 48), 128), "JPEG"), "RGB", {(9, 9): (128,) * 3}),
    "16-bit-grey-png": (_i16(0x8000), "RGB", {(9, 9): (128, 128, 128)}),
    "16-bit-dark-png": (_i16(0x1000), "RGB", {(9, 9): (16, 16, 16)}),
    "palette-png": (_palette(False), "RGB", {(10, 10): RED, (50, 10): GREEN}),
    "palette-png-transparent": (
        _palette(True),
        "RGBA",
        {(10, 10): (*RED, 255), (50, 10): (*GREEN, 255), (10, 40): (None, None, None, 0)},
    ),
    "la-png": (
        encode(Image.new("LA", (64, 48), (100, 128)), "PNG"),
        "RGBA",
        {(9, 9): (100, 100, 100, 128)},
    ),
    "rgba-png": (
        encode(Image.new("RGBA", (64, 48), (*BLUE, 90)), "PNG"),
        "RGBA",
        {(9, 9): (*BLUE, 90)},
    ),
    "opaque-rgba-png": (
        encode(Image.new("RGBA", (64, 48), (*GREEN, 255)), "PNG"),
        "RGB",
        {(9, 9): GREEN},
    ),
    "1-bit-png": (encode(Image.new("1", (64, 48), 1), "PNG"), "RGB", {(9, 9): (255, 255, 255)}),
    "rgb-png-colour-key": (
        _rgb_with_key(),
        "RGBA",
        {(10, 10): (*RED, 255), (10, 40): (None, None, None, 0)},
    ),
    "animated-gif-first-frame": (_animated_gif(), "RGB", {(10, 10): RED}),
    "animated-webp-first-frame": (
        encode(
            Image.new("RGB", (64, 48), GREEN),
            "WEBP",
            save_all=True,
            append_images=[Image.new("RGB", (64, 48), BLUE)],
            duration=80,
            lossless=True,
        ),
        "RGB",
        {(10, 10): GREEN},
    ),
    "rgba-webp": (
        encode(Image.new("RGBA", (64, 48), (*RED, 160)), "WEBP", lossless=True),
        "RGBA",
        {(9, 9): (*RED, 160)},
    ),
}


@pytest.mark.parametrize("case", sorted(COLOUR_CASES))
def test_renditions_convert_every_mode_to_srgb(case):
    data, mode, probes = COLOUR_CASES[case]
    result = _renditions(data)
    for rendition in (result.display, result.grid):
        image = assert_bare_webp(rendition.data)
        image.load()
        assert image.mode == mode
        scale = image.width / 64
        for (x, y), expected in probes.items():
            actual = image.getpixel((int(x * scale), int(y * scale)))
            pairs = [(a, e) for a, e in zip(actual, expected, strict=True) if e is not None]
            assert all(abs(a - e) <= 14 for a, e in pairs), (rendition, (x, y), actual, expected)


def _jpeg_with_profile(colour, icc_profile: bytes | None, mode: str = "RGB") -> bytes:
    image = Image.new(mode, (96, 64), colour)
    params = {"icc_profile": icc_profile} if icc_profile is not None else {}
    return encode(image, "JPEG", quality=95, **params)


def _colour_of(data: bytes):
    return _open(data).convert("RGB").getpixel((20, 20))


def test_renditions_convert_an_embedded_profile_to_srgb():
    # Stored red under a profile whose "red" is sRGB's blue: in sRGB the pixel is blue.
    result = _renditions(_jpeg_with_profile(RED, SWAPPED_PROFILE))
    r, g, b = _colour_of(result.display.data)
    assert b > 150 and r < 90, (r, g, b)
    assert _dominant(_colour_of(result.grid.data)) == "blue"


def test_renditions_convert_the_profile_of_an_image_with_alpha():
    data = encode(Image.new("RGBA", (96, 64), (*RED, 200)), "PNG", icc_profile=SWAPPED_PROFILE)
    image = _open(_renditions(data).display.data)
    assert image.mode == "RGBA"
    pixel = image.getpixel((20, 20))
    assert _dominant(pixel) == "blue"
    assert abs(pixel[3] - 200) <= 2


def test_renditions_leave_srgb_alone():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = _renditions(_jpeg_with_profile(RED, srgb))
    assert _close(_colour_of(result.display.data), RED)


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(b"this is not an ICC profile", id="garbage"),
        pytest.param(SWAPPED_PROFILE[:100], id="cut-short"),
    ],
)
def test_renditions_fall_back_when_the_profile_is_broken(profile):
    result = _renditions(_jpeg_with_profile(RED, profile))
    assert _close(_colour_of(result.display.data), RED)
    assert_bare_webp(result.display.data)


def test_renditions_ignore_a_profile_for_another_colour_space():
    # An RGB profile on a greyscale JPEG does not describe its pixels.
    result = _renditions(_jpeg_with_profile(90, SWAPPED_PROFILE, mode="L"))
    assert _close(_colour_of(result.display.data), (90, 90, 90))


# --- Sizes, placeholder, determinism ---------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "display", "grid"),
    [
        pytest.param((1600, 1200), (1080, 810), (540, 405), id="landscape"),
        pytest.param((1200, 1600), (1080, 1440), (540, 720), id="portrait"),
        pytest.param((1000, 4000), (540, 2160), (270, 1080), id="very-tall"),
        pytest.param((6000, 500), (1080, 90), (540, 45), id="panorama"),
        pytest.param((300, 200), (300, 200), (300, 200), id="small-never-enlarged"),
        pytest.param((800, 600), (800, 600), (540, 405), id="between"),
    ],
)
def test_renditions_sizes(size, display, grid):
    result = _renditions(encode(scene(size), "JPEG"))
    assert (result.display.width, result.display.height) == display
    assert (result.grid.width, result.grid.height) == grid
    assert _open(result.display.data).size == display
    assert _open(result.grid.data).size == grid


def test_renditions_placeholder_is_the_average_colour():
    result = _renditions(encode(Image.new("RGB", (200, 100), (10, 200, 30)), "PNG"))
    colour = result.placeholder_color
    assert colour.startswith("#") and len(colour) == 7
    assert _close(bytes.fromhex(colour[1:]), (10, 200, 30), tolerance=4)


def test_renditions_placeholder_sees_transparency_over_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), fill=(0, 0, 0, 255))
    result = _renditions(encode(image, "PNG"))
    assert _close(bytes.fromhex(result.placeholder_color[1:]), (128, 128, 128), tolerance=6)


def test_renditions_are_deterministic():
    data = camera_jpeg((1400, 1000), orientation=6, icc_profile=SWAPPED_PROFILE)
    first, second = _renditions(data), _renditions(data)
    assert first == second


def test_renditions_refuse_to_decode_a_damaged_file():
    data = camera_jpeg((1200, 900))
    with pytest.raises(DECODE_ERRORS):
        _renditions(data[: len(data) // 2])


# --- The fast path --------------------------------------------------------------------------


def test_renditions_decode_a_big_jpeg_at_reduced_scale_and_resize_with_a_reducing_gap(
    monkeypatch,
):
    """The speed comes from Pillow's DCT scaling (draft) and reducing_gap: record, without
    changing them, the calls our pipeline makes into Pillow."""
    data = camera_jpeg((4000, 3000))
    drafts, resizes = [], []
    draft, resize = JpegImagePlugin.JpegImageFile.draft, Image.Image.resize

    def recording_draft(self, mode, size):
        result = draft(self, mode, size)
        drafts.append((size, self.size))
        return result

    def recording_resize(self, size, *args, **kwargs):
        resizes.append((self.size, size, kwargs.get("reducing_gap")))
        return resize(self, size, *args, **kwargs)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)
    monkeypatch.setattr(Image.Image, "resize", recording_resize)
    result = _renditions(data)

    target = fit_size((4000, 3000), DISPLAY_BOX)
    assert drafts == [(target, (2000, 1500))]  # decoded at 1/2 scale, still ≥ the display
    assert resizes[:2] == [
        ((2000, 1500), (1080, 810), REDUCING_GAP),
        ((1080, 810), (540, 405), REDUCING_GAP),
    ]
    assert (result.display.width, result.grid.width) == (1080, 540)


def test_open_for_processing_returns_oriented_srgb():
    data = camera_jpeg((1600, 1200), orientation=6, icc_profile=SWAPPED_PROFILE)
    image = image_open_for_processing(io.BytesIO(data), target=(400, 400))
    assert image.mode == "RGB"
    assert image.size == (600, 800)  # turned, and decoded at 1/2 scale: still ≥ 400 a side
