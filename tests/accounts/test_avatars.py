"""normalise_avatar on its own: limits, bombs, formats and animations."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from accounts.avatars import AVATAR_SIZE, normalise_avatar
from tests.accounts.images import jpeg_bytes, png_header_only

LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 40_000_000}


def upload(data, name="cat.jpg"):
    return SimpleUploadedFile(name, data)


def refusal_code(data, name="cat.jpg", **limits):
    with pytest.raises(ValidationError) as excinfo:
        normalise_avatar(upload(data, name), **{**LIMITS, **limits})
    return excinfo.value.code


def test_result_is_a_square_jpeg_named_avatar_jpg():
    result = normalise_avatar(upload(jpeg_bytes(size=(900, 300))), **LIMITS)

    assert result.name == "avatar.jpg"
    image = Image.open(io.BytesIO(result.read()))
    assert (image.format, image.size) == ("JPEG", (AVATAR_SIZE, AVATAR_SIZE))


def test_small_pictures_are_scaled_up_to_the_avatar_size():
    result = normalise_avatar(upload(jpeg_bytes(size=(20, 20))), **LIMITS)

    assert Image.open(io.BytesIO(result.read())).size == (AVATAR_SIZE, AVATAR_SIZE)


def test_size_limit_is_inclusive():
    data = jpeg_bytes()

    normalise_avatar(upload(data), max_bytes=len(data), max_pixels=10**6)
    assert refusal_code(data, max_bytes=len(data) - 1) == "too_large"


def test_pixel_limit_is_checked_before_decoding():
    assert refusal_code(jpeg_bytes(size=(60, 40)), max_pixels=60 * 40 - 1) == (
        "too_many_pixels"
    )


@pytest.mark.parametrize(
    "side",
    [
        pytest.param(10_000, id="over-pillow-warning-limit"),
        pytest.param(30_000, id="over-pillow-error-limit"),
    ],
)
def test_decompression_bomb_is_refused_without_decoding(side):
    """A tiny file claiming side×side pixels: Pillow's own bomb guard fires even
    when the avatar pixel limit is set absurdly high."""
    data = png_header_only(side, side)
    assert len(data) < 100

    assert refusal_code(data, "bomb.png", max_pixels=10**12) == "bomb"


def test_pixel_limit_catches_a_header_only_picture():
    assert refusal_code(png_header_only(8_000, 8_000), "big.png") == "too_many_pixels"


def test_animated_gif_becomes_its_first_frame():
    frames = [Image.new("RGB", (50, 50), color) for color in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])

    result = normalise_avatar(upload(buffer.getvalue(), "cat.gif"), **LIMITS)

    image = Image.open(io.BytesIO(result.read()))
    assert image.format == "JPEG"
    red, _, blue = image.getpixel((200, 200))
    assert red > 200 and blue < 60


@pytest.mark.parametrize("format_", ["BMP", "TIFF", "ICO"])
def test_other_formats_are_refused(format_):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "orange").save(buffer, format=format_)

    assert refusal_code(buffer.getvalue(), f"cat.{format_.lower()}") == "bad_format"


def test_a_file_read_before_is_read_from_the_start():
    file = upload(jpeg_bytes())
    file.read()

    result = normalise_avatar(file, **LIMITS)

    assert Image.open(io.BytesIO(result.read())).format == "JPEG"
