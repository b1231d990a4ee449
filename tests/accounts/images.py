"""Small pictures built with Pillow for the avatar tests."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import ExifTags, Image

CAMERA = "Whiskercam 3000"


def jpeg_bytes(size=(60, 40), color="orange", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


def noisy_jpeg_bytes(size=(200, 200)) -> bytes:
    """A JPEG of random grey noise: big for its size, and worth truncating."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_upload(name="cat.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def sideways_photo_with_gps() -> bytes:
    """A phone photo stored landscape, red on the left and blue on the right, with
    EXIF orientation 6 ("rotate 90° clockwise to view"): viewed upright it is a
    portrait, red on top and blue below. The EXIF also holds a camera and a GPS
    position."""
    image = Image.new("RGB", (600, 300), (255, 0, 0))
    image.paste((0, 0, 255), (300, 0, 600, 300))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` pixels but holds no pixel data: what
    a decompression bomb looks like to anything reading only the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
