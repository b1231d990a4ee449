"""The rules of the gallery, for every view (and the admin) that shows or changes
a photo: who may see, edit, delete, like, report, hide and label what.

Photos are Wagtail images (GalleryImage) in the owner's album under "Member
uploads". Every upload goes through core.images.clean_image (checked, decoded
within bounds, turned upright, re-encoded without metadata) before anything is
stored, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from taggit.models import Tag, TaggedItem
from wagtail.models import Collection

from core.images import CleanImage, ImageLimits, clean_image
from core.ratelimit import Rate, hit
from gallery.models import (
    MEMBER_UPLOADS_COLLECTION,
    CatLabel,
    GalleryImage,
    PhotoLike,
    PhotoReport,
    ReportResolution,
)

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = "gallery.moderate_photo"


class GalleryError(Exception):
    """A refused action, with a reason fit to show the member."""


# Albums


def member_uploads_root() -> Collection:
    """The "Member uploads" collection (made by migration 0002)."""
    return Collection.objects.get(name=MEMBER_UPLOADS_COLLECTION, depth=2)


@transaction.atomic
def member_collection(user) -> Collection:
    """The member's own album under "Member uploads", created on first use."""
    root = member_uploads_root()
    existing = root.get_children().filter(name=user.username).first()
    if existing is not None:
        return existing
    return root.add_child(instance=Collection(name=user.username))


# Who may do what


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def can_upload(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_photo(user, pk: int) -> GalleryImage:
    """The photo, if ``user`` may see it (404 otherwise: a hidden photo does not
    exist for anyone but its owner and the moderators)."""
    photo = (
        GalleryImage.objects.visible_to(user)
        .with_likes(user)
        .select_related("uploaded_by_user")
        .filter(pk=pk)
        .first()
    )
    if photo is None:
        raise Http404("No photo has that number.")
    return photo


def own_photo(user, pk: int) -> GalleryImage:
    """The member's own photo; 404 for anyone else's."""
    if not can_upload(user):
        raise Http404
    photo = GalleryImage.objects.uploads().filter(pk=pk, uploaded_by_user=user).first()
    if photo is None:
        raise Http404("No photo of yours has that number.")
    return photo


# Uploading


@dataclass(frozen=True)
class PhotoDetails:
    """What a member says about a photo."""

    title: str = ""
    caption: str = ""
    alt_text: str = ""
    tags: tuple[str, ...] = ()


def upload_limits() -> ImageLimits:
    return ImageLimits(
        max_bytes=settings.GALLERY_MAX_UPLOAD_BYTES,
        max_pixels=settings.GALLERY_MAX_PIXELS,
        max_frames=settings.GALLERY_MAX_GIF_FRAMES,
    )


def upload_rate() -> Rate:
    return Rate.parse(settings.GALLERY_UPLOAD_RATE_LIMIT)


def count_upload(user) -> None:
    """One photo against the member's hourly limit; RateLimited when over it."""
    hit("gallery-upload", user.pk, upload_rate())


def clean_photo(upload) -> CleanImage:
    """Check, decode and re-encode an uploaded photo (ValidationError if refused)."""
    return clean_image(
        upload,
        limits=upload_limits(),
        max_edge=settings.GALLERY_IMAGE_MAX_EDGE,
        name="photo",
    )


def title_from_filename(name: str) -> str:
    stem = PurePath(name or "").stem.replace("_", " ").replace("-", " ")
    return " ".join(stem.split())[:100] or "Untitled photo"


def save_photo(user, clean: CleanImage, details: PhotoDetails) -> GalleryImage:
    """Store a cleaned photo in the member's album, with its details and tags, and
    queue it for the cat classifier once committed (the response never waits
    for it). The file is removed again if the database refuses the row."""
    from gallery.labelling import request_labelling

    if not can_upload(user):
        raise PermissionDenied
    photo = GalleryImage(
        title=details.title[:255] or "Untitled photo",
        description=details.alt_text[:255],
        caption=details.caption,
        collection=member_collection(user),
        uploaded_by_user=user,
        file=clean.content,
    )
    try:
        with transaction.atomic():
            photo._set_image_file_metadata()
            photo.save()
            if details.tags:
                photo.tags.set(list(details.tags))
            request_labelling(photo)
    except Exception:
        if photo.file.name:
            default_storage.delete(photo.file.name)
        raise
    return photo


# Owners: edit and delete


def update_photo(user, photo: GalleryImage, details: PhotoDetails) -> GalleryImage:
    if photo.uploaded_by_user_id != user.pk:
        raise Http404
    photo.title = details.title[:255]
    photo.caption = details.caption
    photo.description = details.alt_text[:255]
    with transaction.atomic():
        photo.save(update_fields=["title", "caption", "description"])
        photo.tags.set(list(details.tags))
    return photo


def delete_photo(user, photo: GalleryImage) -> None:
    """Delete the photo: its row, its renditions, and (once committed, through
    Wagtail's file clean-up task) the original file and every rendition file."""
    if photo.uploaded_by_user_id != user.pk and not is_moderator(user):
        raise Http404
    with transaction.atomic():
        for rendition in photo.renditions.all():
            rendition.delete()
        photo.delete()


# Likes


def set_like(user, photo: GalleryImage, liked: bool) -> tuple[bool, int]:
    """Like (or stop liking) a photo; saying the same twice changes nothing, so a
    double click counts once. Returns (liked, how many like it now)."""
    if not (user and user.is_authenticated):
        raise PermissionDenied
    if liked:
        try:
            with transaction.atomic():
                PhotoLike.objects.get_or_create(photo=photo, user=user)
        except IntegrityError:
            pass  # a concurrent request made the same like a moment ago
    else:
        PhotoLike.objects.filter(photo=photo, user=user).delete()
    return liked, PhotoLike.objects.filter(photo=photo).count()


def liked_by(member, user=None):
    """The visible photos ``member`` liked, latest like first."""
    return (
        GalleryImage.objects.photos()
        .filter(likes__user=member)
        .for_listing(user)
        .order_by("-likes__created_at", "-pk")
    )


# Reports and moderation


def report_rate() -> Rate:
    return Rate.parse(settings.GALLERY_REPORT_RATE_LIMIT)


def existing_report(user, photo: GalleryImage) -> PhotoReport | None:
    if not (user and user.is_authenticated):
        return None
    return PhotoReport.objects.filter(photo=photo, reporter=user).first()


def report_photo(user, photo: GalleryImage, reason: str, details: str) -> PhotoReport:
    """A member's report, once per photo; their own photos they delete instead."""
    if not (user and user.is_authenticated):
        raise PermissionDenied
    if photo.uploaded_by_user_id == user.pk:
        raise GalleryError("This is your own photo: you can delete it instead.")
    if existing_report(user, photo):
        raise GalleryError("You have reported this photo already. Thank you!")
    hit("gallery-report", user.pk, report_rate())
    try:
        with transaction.atomic():
            return PhotoReport.objects.create(
                photo=photo, reporter=user, reason=reason, details=details
            )
    except IntegrityError:
        raise GalleryError("You have reported this photo already. Thank you!") from None


def _check_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def _resolve_reports(user, photo: GalleryImage, resolution: str) -> int:
    return PhotoReport.objects.filter(photo=photo, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user, resolution=resolution
    )


def hide_photo(moderator, photo: GalleryImage) -> None:
    """Take the photo off every public page; its owner and moderators still see it."""
    _check_moderator(moderator)
    with transaction.atomic():
        photo.is_hidden = True
        photo.hidden_at = timezone.now()
        photo.hidden_by = moderator
        photo.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        _resolve_reports(moderator, photo, ReportResolution.HIDDEN)


def restore_photo(moderator, photo: GalleryImage) -> None:
    """Show a hidden photo again (and close its reports: a moderator kept it)."""
    _check_moderator(moderator)
    with transaction.atomic():
        photo.is_hidden = False
        photo.hidden_at = None
        photo.hidden_by = None
        photo.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        _resolve_reports(moderator, photo, ReportResolution.DISMISSED)


def dismiss_reports(moderator, photo: GalleryImage) -> int:
    """Keep the photo as it is and close its open reports."""
    _check_moderator(moderator)
    return _resolve_reports(moderator, photo, ReportResolution.DISMISSED)


def reported_photos():
    """Photos with reports, the ones with open reports first."""
    return (
        GalleryImage.objects.uploads()
        .filter(reports__isnull=False)
        .annotate(
            open_reports=Count("reports", filter=_open_reports()),
            all_reports=Count("reports"),
        )
        .select_related("uploaded_by_user")
        .prefetch_renditions("max-165x165")
        .order_by("-open_reports", "-pk")
    )


def _open_reports():
    from django.db.models import Q

    return Q(reports__resolved_at__isnull=True)


# Cat labels: owners suggest, moderators decide


def suggest_label(user, photo: GalleryImage, label: str) -> None:
    """The owner says "this is (not) a cat": a note for the moderators; the label
    itself only changes when a moderator agrees."""
    if photo.uploaded_by_user_id != user.pk:
        raise Http404
    label = CatLabel(label)
    GalleryImage.objects.filter(pk=photo.pk).update(
        cat_label_suggestion=label, cat_suggested_at=timezone.now()
    )
    photo.cat_label_suggestion = label


def label_photos(moderator, photos, label: str) -> int:
    """A moderator's verdict on several photos (never overwritten by the model)."""
    from gallery.labelling import set_moderator_label

    _check_moderator(moderator)
    count = 0
    for photo in photos:
        set_moderator_label(photo, label)
        count += 1
    return count


# Tags


def _photo_content_type() -> ContentType:
    return ContentType.objects.get_for_model(GalleryImage)


def tagged(photos, tag: str):
    """Narrow ``photos`` to those with ``tag`` (any case), without duplicates."""
    ids = TaggedItem.objects.filter(
        content_type=_photo_content_type(), tag__name__iexact=tag
    ).values("object_id")
    return photos.filter(pk__in=ids)


POPULAR_TAGS_SECONDS = 60


def popular_tags(limit: int = 20) -> list[Tag]:
    """The tags most used on visible photos, each with ``uses``. Counting them
    reads every tagged photo, so the answer is kept in the cache for a minute."""
    return cache.get_or_set(
        f"gallery:popular-tags:{limit}",
        lambda: _count_popular_tags(limit),
        POPULAR_TAGS_SECONDS,
    )


def _count_popular_tags(limit: int) -> list[Tag]:
    visible = GalleryImage.objects.photos().values("pk")
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=_photo_content_type(),
            taggit_taggeditem_items__object_id__in=visible,
        )
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")[:limit]
    )
