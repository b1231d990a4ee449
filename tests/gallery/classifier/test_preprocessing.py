"""Any PIL image becomes upright RGB on white, then the model's input."""

import io

import numpy as np
import pytest
from PIL import Image

from gallery.classifier.preprocessing import Preprocessing, prepare, to_rgb
from tests.gallery.classifier.conftest import jpeg_bytes, solid

WHITE = (255, 255, 255)


def reopened(image: Image.Image, format: str, **options) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    buffer.seek(0)
    return Image.open(buffer)


def test_exif_orientation_turns_the_picture_upright():
    image = Image.new("RGB", (40, 20), "red")
    image.paste((0, 0, 255), (0, 0, 10, 20))  # blue on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: rotate 90° clockwise to show
    stored = reopened(image, "JPEG", exif=exif, quality=95)

    upright = to_rgb(stored)

    assert upright.size == (20, 40)
    top = upright.getpixel((10, 2))
    assert top[2] > 200 and top[0] < 60  # the blue strip is now on top


@pytest.mark.parametrize("mode", ["RGBA", "LA", "PA"])
def test_transparency_is_composited_on_white(mode):
    image = Image.new("RGBA", (8, 8), (255, 0, 0, 0))  # fully transparent red
    image.putpixel((0, 0), (255, 0, 0, 255))
    if mode == "LA":
        image = image.convert("LA")
    elif mode == "PA":
        image = image.convert("PA")

    rgb = to_rgb(image)

    assert rgb.mode == "RGB"
    assert rgb.getpixel((5, 5)) == WHITE
    assert rgb.getpixel((0, 0)) != WHITE


def test_palette_with_a_transparent_index():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.putpixel((0, 0), 1)
    image.info["transparency"] = 0
    stored = reopened(image, "PNG")

    rgb = to_rgb(stored)

    assert rgb.getpixel((3, 3)) == WHITE
    assert rgb.getpixel((0, 0)) == (255, 0, 0)


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("L", 128, 128),
        ("1", 1, 255),
        ("I;16", 65535, 255),
        ("I;16", 32896, 128),
        ("I", 65535, 255),
        ("I", 200, 200),
        ("F", 0.5, 128),
    ],
)
def test_greyscale_and_high_bit_depth(mode, value, expected):
    rgb = to_rgb(Image.new(mode, (3, 3), value))
    assert rgb.mode == "RGB"
    assert rgb.getpixel((1, 1)) == (expected, expected, expected)


def test_sixteen_bit_png_is_scaled_not_clipped():
    values = np.array([[0, 65535], [32896, 1000]], dtype=np.uint16)
    stored = reopened(Image.fromarray(values), "PNG")
    assert stored.mode.startswith("I")

    rgb = np.asarray(to_rgb(stored))[..., 0]

    assert rgb.tolist() == [[0, 255], [128, 4]]


def test_cmyk():
    rgb = to_rgb(reopened(Image.new("CMYK", (4, 4), (0, 255, 255, 0)), "JPEG"))
    red, green, blue = rgb.getpixel((2, 2))
    assert red > 200 and green < 60 and blue < 60


def test_animated_images_use_their_first_frame():
    frames = [solid("red", (8, 8)), solid("blue", (8, 8))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    buffer.seek(0)
    animation = Image.open(buffer)
    animation.seek(1)  # even when left on another frame

    red, green, blue = to_rgb(animation).getpixel((4, 4))
    assert red > 200 and blue < 60


@pytest.mark.parametrize("resize", ["squash", "center_crop"])
def test_prepare_makes_the_model_input(resize):
    array = prepare(solid((10, 20, 30), (300, 200)), Preprocessing(64, resize))
    assert array.shape == (64, 64, 3)
    assert array.dtype == np.float32
    assert array[32, 32].tolist() == [10, 20, 30]


def test_center_crop_keeps_the_middle():
    image = Image.new("RGB", (300, 100), "blue")
    image.paste((255, 0, 0), (100, 0, 200, 100))  # a red square in the middle

    cropped = prepare(image, Preprocessing(16, "center_crop"))
    squashed = prepare(image, Preprocessing(16, "squash"))

    assert (cropped[..., 0] > 200).all()  # nothing but the red middle
    assert (squashed[:, 0, 2] > 200).all()  # the blue sides are still there


def test_big_jpegs_decode_at_a_reduced_scale():
    big = Image.open(io.BytesIO(jpeg_bytes(solid("green", (4000, 3000)))))

    array = prepare(big, Preprocessing(224, "squash"))

    assert big.size == (500, 375)  # drafted at 1/8 scale, still >= 224 each way
    assert array.shape == (224, 224, 3)
