"""Checking and normalising uploaded avatars with Pillow.

Every avatar is decoded, turned upright from its EXIF orientation, cropped to a
square, scaled down and re-encoded as a JPEG. Re-encoding drops EXIF (location,
camera) and anything hidden in the original file.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat

from PIL import Image, ImageOps, UnidentifiedImageError

AVATAR_SIZE = 400
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def normalise_avatar(upload, *, max_bytes: int, max_pixels: int) -> ContentFile:
    """Return a clean square JPEG made from ``upload``, or raise ValidationError."""
    if upload.size > max_bytes:
        raise ValidationError(
            f"That file is {filesizeformat(upload.size)}; avatars can be at most {filesizeformat(max_bytes)}.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "Please upload a JPEG, PNG, WebP or GIF picture.",
                        code="bad_format",
                    )
                if image.width * image.height > max_pixels:
                    raise ValidationError(
                        f"That picture is {image.width}×{image.height} pixels; please use a smaller one.",
                        code="too_many_pixels",
                    )
                image.seek(0)  # first frame of an animation
                image.load()
                image = ImageOps.exif_transpose(image)
                image = ImageOps.fit(
                    image.convert("RGB"),
                    (AVATAR_SIZE, AVATAR_SIZE),
                    Image.Resampling.LANCZOS,
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "That picture is too large to process; please use a smaller one.",
            code="bomb",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "That file is not a picture we can read (or it is damaged). Please upload a JPEG, PNG, WebP or GIF.",
            code="invalid",
        ) from None
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=88, optimize=True)
    return ContentFile(output.getvalue(), name="avatar.jpg")
