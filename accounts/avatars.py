"""Avatars: any accepted picture, cropped to a square and re-encoded (core/images.py)."""

from django.core.files.base import ContentFile

from core.images import ImageLimits, clean_image

AVATAR_SIZE = 400


def normalise_avatar(upload, *, max_bytes: int, max_pixels: int) -> ContentFile:
    """A clean square JPEG made from ``upload``; ValidationError if it is refused."""
    return clean_image(
        upload,
        limits=ImageLimits(max_bytes=max_bytes, max_pixels=max_pixels),
        square=AVATAR_SIZE,
        keep_alpha=False,
        name="avatar",
    ).content
