"""Live label updates for a photo's owner, over the site's Channels connection.

The task worker announces each new label after its transaction commits: the
owner's group (`owner_group`) gets the server-rendered badge (the same template
tiles and the photo page use) and an alt-text suggestion. PhotoLabelConsumer
(consumers.py) passes it to the owner's open pages.

Pushing needs a channel layer the worker and the web processes share (Redis).
With the in-memory layer (no REDIS_URL) the worker's messages never reach a web
process, so pages poll the badge instead (`push_available`).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from gallery.alttext import suggest_alt_text
from gallery.models import CatLabel, GalleryImage

logger = logging.getLogger(__name__)

IN_MEMORY_LAYER = "channels.layers.InMemoryChannelLayer"


def owner_group(user_id: int) -> str:
    return f"gallery-labels-{user_id}"


def push_available() -> bool:
    """True when a label found by the worker can reach this web process."""
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    return bool(backend) and backend != IN_MEMORY_LAYER


def alt_suggestion(photo: GalleryImage) -> str:
    return suggest_alt_text(photo.cat_top_classes, photo.cat_label == CatLabel.CAT)


def label_message(photo: GalleryImage) -> dict:
    """What the owner's pages get: the badge HTML, rendered by the one template."""
    return {
        "photo": photo.pk,
        "status": photo.cat_label_status,
        "label": photo.cat_label,
        "badge": render_to_string("gallery/_label_badge.html", {"photo": photo}),
        "alt_suggestion": alt_suggestion(photo),
    }


def announce_label(image_id: int) -> bool:
    """Send the photo's label to its owner's open pages. Never raises: a channel
    layer that is down costs the live update, not the label."""
    try:
        photo = GalleryImage.objects.filter(pk=image_id).first()
        if photo is None or photo.uploaded_by_user_id is None:
            return False
        layer = get_channel_layer()
        if layer is None:
            return False
        async_to_sync(layer.group_send)(
            owner_group(photo.uploaded_by_user_id),
            {"type": "label.update", **label_message(photo)},
        )
        return True
    except Exception:  # the label is saved; only the live update is lost
        logger.warning(
            "Could not announce the label of photo %s", image_id, exc_info=True
        )
        return False
