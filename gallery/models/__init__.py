"""The gallery's models: images and renditions, likes and reports, the page type."""

from gallery.models.images import (
    MEMBER_UPLOADS_COLLECTION,
    TILE_RENDITIONS,
    CatLabel,
    GalleryImage,
    GalleryImageQuerySet,
    GalleryRendition,
    LabelSource,
    LabelStatus,
)
from gallery.models.pages import GalleryPage
from gallery.models.social import (
    PhotoLike,
    PhotoReport,
    ReportReason,
    ReportResolution,
)

__all__ = [
    "MEMBER_UPLOADS_COLLECTION",
    "TILE_RENDITIONS",
    "CatLabel",
    "GalleryImage",
    "GalleryImageQuerySet",
    "GalleryPage",
    "GalleryRendition",
    "LabelSource",
    "LabelStatus",
    "PhotoLike",
    "PhotoReport",
    "ReportReason",
    "ReportResolution",
]
