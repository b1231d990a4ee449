"""core.images: every picture re-encoded from its pixels, within bounds."""

import io
import threading

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from core.images import ImageLimits, ImagesBusy, clean_image, decode_slot, decode_slots

LIMITS = ImageLimits(max_bytes=5_000_000, max_pixels=5_000_000, max_frames=50)
SECRET = "Whiskercam GPS 51.5N secret-comment"


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
    }
    return exif


def assert_no_metadata(data: bytes):
    assert SECRET.encode() not in data
    for marker in (
        b"Exif\x00\x00",
        b"ICC_PROFILE",
        b"http://ns.adobe.com/xap",
        b"tEXt",
    ):
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as image:
        assert not {"exif", "comment", "xmp", "icc_profile"} & set(image.info)
        assert not image.getexif()


def test_jpeg_metadata_of_every_kind_is_dropped():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = saved(
        Image.new("RGB", (64, 48), "orange"),
        "JPEG",
        exif=exif_with_gps(),
        comment=SECRET,
        icc_profile=icc,
        xmp=f'<x:xmpmeta xmlns:x="http://ns.adobe.com/xap/1.0/">{SECRET}</x:xmpmeta>'.encode(),
    )
    assert SECRET.encode() in data and b"ICC_PROFILE" in data
    result = clean_image(upload(data), limits=LIMITS)
    assert result.format == "JPEG" and (result.width, result.height) == (64, 48)
    assert_no_metadata(result.content.read())


def test_gif_comment_is_dropped():
    data = saved(Image.new("P", (20, 20), 3), "GIF", comment=SECRET.encode())
    assert SECRET.encode() in data
    assert_no_metadata(clean_image(upload(data, "a.gif"), limits=LIMITS).content.read())


def test_png_text_chunks_are_dropped_and_transparency_kept():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    data = saved(Image.new("RGBA", (20, 20), (255, 0, 0, 128)), "PNG", pnginfo=info)
    result = clean_image(upload(data, "a.png"), limits=LIMITS)
    assert result.format == "PNG"
    assert_no_metadata(result.content.read())


def test_orientation_is_applied_before_the_exif_goes():
    image = Image.new("RGB", (600, 300), (255, 0, 0))
    image.paste((0, 0, 255), (300, 0, 600, 300))
    exif = exif_with_gps()
    exif[ExifTags.Base.Orientation] = 6
    result = clean_image(upload(saved(image, "JPEG", exif=exif)), limits=LIMITS)
    assert (result.width, result.height) == (300, 600)
    with Image.open(result.content) as upright:
        top, bottom = upright.getpixel((150, 50)), upright.getpixel((150, 550))
    assert top[0] > 200 and top[2] < 60  # red on top
    assert bottom[2] > 200 and bottom[0] < 60  # blue below


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_its_first_picture():
    first, second = (
        Image.new("RGB", (80, 60), "red"),
        Image.new("RGB", (80, 60), "blue"),
    )
    data = saved(first, "MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(data)) as check:
        assert check.format == "MPO"
    result = clean_image(upload(data), limits=LIMITS)
    with Image.open(result.content) as image:
        red = image.getpixel((40, 30))
    assert result.format == "JPEG" and red[0] > 200 and red[2] < 60


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(Image.new("CMYK", (30, 20), (0, 255, 255, 0)), id="cmyk"),
        pytest.param(Image.new("L", (30, 20), 128), id="grey"),
        pytest.param(Image.new("I;16", (30, 20), 40000), id="16-bit"),
        pytest.param(Image.new("LA", (30, 20), (100, 50)), id="grey-alpha"),
        pytest.param(Image.new("P", (30, 20), 7), id="palette"),
    ],
)
def test_every_mode_comes_out_as_rgb_or_rgba(image):
    fmt = "JPEG" if image.mode == "CMYK" else "PNG"
    result = clean_image(upload(saved(image, fmt), f"x.{fmt.lower()}"), limits=LIMITS)
    with Image.open(result.content) as out:
        assert out.mode in ("RGB", "RGBA")
        assert out.size == (30, 20)


def test_sixteen_bit_grey_keeps_its_brightness():
    data = saved(Image.new("I;16", (10, 10), 32768), "PNG")
    result = clean_image(upload(data, "x.png"), limits=LIMITS)
    with Image.open(result.content) as out:
        assert 120 <= out.getpixel((5, 5))[0] <= 136


def test_an_animation_keeps_its_first_frame():
    frames = [Image.new("RGB", (20, 20), (index * 50, 0, 0)) for index in range(5)]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:])
    result = clean_image(upload(data, "a.gif"), limits=LIMITS)
    with Image.open(result.content) as out:
        assert getattr(out, "n_frames", 1) == 1


def test_an_animation_with_too_many_frames_is_refused():
    frames = [Image.new("RGB", (4, 4), (index * 37 % 256, 0, 0)) for index in range(60)]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ValidationError) as refused:
        clean_image(upload(data, "a.gif"), limits=LIMITS)
    assert refused.value.code == "too_many_frames"
    assert "more than 50 frames" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.jpg", "empty"),
        (b"<html><script>alert(1)</script></html>", "page.jpg", "invalid"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "a.svg",
            "invalid",
        ),
        (saved(Image.new("RGB", (50, 50)), "BMP"), "a.bmp", "bad_format"),
        (saved(Image.new("RGB", (3000, 2000)), "PNG"), "big.png", "too_many_pixels"),
    ],
)
def test_refusals_have_a_code_and_a_clear_message(data, name, code):
    with pytest.raises(ValidationError) as refused:
        clean_image(upload(data, name), limits=LIMITS)
    assert refused.value.code == code
    assert refused.value.messages[0].endswith(".")


def test_truncated_file_is_refused():
    data = saved(Image.effect_noise((300, 300), 60).convert("RGB"), "JPEG")
    with pytest.raises(ValidationError) as refused:
        clean_image(upload(data[: len(data) // 2]), limits=LIMITS)
    assert refused.value.code == "invalid"


def test_a_file_over_the_byte_limit_is_refused_before_it_is_opened():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size check")

    big = Unreadable("x.jpg", b"x" * 100)
    with pytest.raises(ValidationError) as refused:
        clean_image(big, limits=ImageLimits(max_bytes=10, max_pixels=100))
    assert refused.value.code == "too_large"


def test_no_free_decoding_slot_raises_images_busy(settings):
    settings.IMAGE_DECODE_CONCURRENCY = 1
    settings.IMAGE_DECODE_WAIT_SECONDS = 0
    decode_slots.reset()
    held, release = threading.Event(), threading.Event()

    def hold():
        with decode_slot():
            held.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        held.wait(5)
        with pytest.raises(ImagesBusy):
            clean_image(upload(saved(Image.new("RGB", (5, 5)), "PNG")), limits=LIMITS)
    finally:
        release.set()
        worker.join()
        decode_slots.reset()
    # Free again once the other decode is done.
    assert clean_image(upload(saved(Image.new("RGB", (5, 5)), "PNG")), limits=LIMITS)


@pytest.mark.django_db
def test_a_busy_process_answers_503_with_retry_after(client, member, settings):
    settings.IMAGE_DECODE_CONCURRENCY = 1
    settings.IMAGE_DECODE_WAIT_SECONDS = 0
    decode_slots.reset()
    client.force_login(member)
    try:
        with decode_slot():
            response = client.post(
                "/accounts/profile/",
                {
                    "display_name": "Wendy",
                    "bio": "",
                    "avatar": upload(saved(Image.new("RGB", (50, 50)), "JPEG")),
                },
            )
    finally:
        decode_slots.reset()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar
