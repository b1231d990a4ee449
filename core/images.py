"""Checking, decoding and re-encoding uploaded pictures with Pillow, within bounds.

Every picture a member uploads (avatars, blog images, gallery photos) comes
through here. It is checked before it is decoded (file size, format, pixel count,
frame count), decoded at most IMAGE_DECODE_CONCURRENCY at a time per process (a
semaphore: the others wait a moment, then get ImagesBusy, which the site answers
503 with Retry-After), with JPEG's draft mode when a smaller picture is wanted,
turned upright from its EXIF orientation, converted to sRGB, and re-encoded
from the pixels alone: no EXIF (GPS, camera), XMP, comments or ICC profile
survive.
"""

import io
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# MPO is what many phone cameras write: a JPEG followed by more pictures.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "HEIF"}
ACCEPTED_MIME_TYPES = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif"
FORMATS_IN_WORDS = "JPEG, PNG, WebP, GIF or HEIC"
_SRGB = ImageCms.createProfile("sRGB")


class ImagesBusy(Exception):
    """Every decoding slot of this process stayed taken: try again shortly."""

    retry_after = 5


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int
    max_pixels: int
    max_frames: int = 1000


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded picture, ready to save."""

    content: ContentFile
    width: int
    height: int
    format: str  # "JPEG" or "PNG"


class _Slots:
    """A per-process semaphore sized from settings on first use."""

    def __init__(self):
        self._semaphore = None
        self._lock = threading.Lock()

    @property
    def semaphore(self) -> threading.BoundedSemaphore:
        with self._lock:
            if self._semaphore is None:
                self._semaphore = threading.BoundedSemaphore(
                    settings.IMAGE_DECODE_CONCURRENCY
                )
            return self._semaphore

    def reset(self) -> None:
        """Forget the semaphore (tests change IMAGE_DECODE_CONCURRENCY)."""
        with self._lock:
            self._semaphore = None


decode_slots = _Slots()


@contextmanager
def decode_slot():
    """Hold one of this process's decoding slots, or raise ImagesBusy."""
    semaphore = decode_slots.semaphore
    if not semaphore.acquire(timeout=settings.IMAGE_DECODE_WAIT_SECONDS):
        raise ImagesBusy
    try:
        yield
    finally:
        semaphore.release()


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_before_decoding(image: Image.Image, limits: ImageLimits) -> None:
    if image.format not in ACCEPTED_FORMATS:
        _refuse(f"Please upload a {FORMATS_IN_WORDS} picture.", "bad_format")
    if image.width * image.height > limits.max_pixels:
        megapixels = limits.max_pixels / 1_000_000
        _refuse(
            f"That picture is {image.width}×{image.height} pixels; "
            f"pictures can have at most {megapixels:g} megapixels.",
            "too_many_pixels",
        )
    if image.format == "GIF" and getattr(image, "is_animated", False):
        # Count frames without decoding them all: seek stops at the limit.
        try:
            image.seek(limits.max_frames)
        except EOFError:
            pass
        else:
            _refuse(
                f"That animation has more than {limits.max_frames} frames; "
                "we keep only the first frame of a GIF, so please upload a still picture.",
                "too_many_frames",
            )
        image.seek(0)


def _draft_size(image: Image.Image, max_edge: int | None):
    """The size to ask JPEG's draft mode for: the long edge at least max_edge."""
    if not max_edge or max(image.size) <= max_edge:
        return None
    scale = max_edge / max(image.size)
    return (max(1, round(image.width * scale)), max(1, round(image.height * scale)))


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
            image = image.convert(mode)
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are


def _flatten(image: Image.Image, keep_alpha: bool) -> Image.Image:
    """RGB, or RGBA when the picture has transparency and it is to be kept."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit greyscale: scale to 8 bits rather than clip.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if has_alpha and keep_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _decode(
    opened: Image.Image,
    limits: ImageLimits,
    max_edge: int | None,
    square: int | None,
    keep_alpha: bool,
) -> Image.Image:
    """The first frame, upright, sRGB, scaled or cropped, with no metadata."""
    _check_before_decoding(opened, limits)
    draft = _draft_size(opened, square * 2 if square else max_edge)
    if draft and opened.format in ("JPEG", "MPO"):
        opened.draft("RGB", draft)
    opened.load()
    ImageOps.exif_transpose(opened, in_place=True)
    image = _flatten(_to_srgb(opened), keep_alpha and not square)
    if square:
        image = ImageOps.fit(image, (square, square), Image.Resampling.LANCZOS)
    elif max_edge and max(image.size) > max_edge:
        image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    if image is opened:
        image = image.copy()  # outlive the file it was opened from
    # Pixels only: none of the original's metadata (EXIF, XMP, comments, ICC
    # profile) can ride along into the saved file.
    image.info = {}
    return image


def clean_image(
    upload,
    *,
    limits: ImageLimits,
    max_edge: int | None = None,
    square: int | None = None,
    keep_alpha: bool = True,
    name: str = "image",
) -> CleanImage:
    """Check, decode and re-encode ``upload``; raise ValidationError with a clear
    message when it is refused, or ImagesBusy when no decoding slot is free.

    ``max_edge`` scales the picture down so its long edge fits; ``square`` crops
    it to a centred square of that size (avatars).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        _refuse(
            f"That file is {filesizeformat(size)}; pictures can be at most "
            f"{filesizeformat(limits.max_bytes)}.",
            "too_large",
        )
    if not size:
        _refuse("That file is empty.", "empty")
    upload.seek(0)
    with decode_slot():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(upload) as opened:
                    image = _decode(opened, limits, max_edge, square, keep_alpha)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(
                "That picture is too large to process; please use a smaller one.",
                "bomb",
            )
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            _refuse(
                "That file is not a picture we can read (or it is damaged). "
                f"Please upload a {FORMATS_IN_WORDS}.",
                "invalid",
            )
        output = io.BytesIO()
        if image.mode == "RGBA":
            image.save(output, format="PNG", optimize=True)
            file_format, extension = "PNG", "png"
        else:
            image.save(output, format="JPEG", quality=88, optimize=True)
            file_format, extension = "JPEG", "jpg"
    return CleanImage(
        content=ContentFile(output.getvalue(), name=f"{name}.{extension}"),
        width=image.width,
        height=image.height,
        format=file_format,
    )
