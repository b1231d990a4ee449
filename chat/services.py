"""Chat's one code path: the page's form, the WebSocket consumer and (later) the
REST API all post through here, so every message is checked, saved, then broadcast."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from chat.models import MAX_MESSAGE_LENGTH, Message, Room

HISTORY_LENGTH = 50

logger = logging.getLogger(__name__)


class ChatError(Exception):
    """A message that was refused, with a reason fit to show the sender."""

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class RateLimit:
    messages: int
    seconds: int


def rate_limit() -> RateLimit:
    return RateLimit(*settings.CHAT_RATE_LIMIT)


def room_group_name(room: Room) -> str:
    return f"chat.room.{room.pk}"


def serialize_message(message: Message) -> dict:
    author = message.author
    return {
        "id": message.pk,
        "room": message.room.slug,
        "author": author.get_display_name(),
        "author_url": author.get_absolute_url(),
        "author_avatar": author.avatar.url if author.avatar else "",
        "author_initials": author.initials,
        "author_hue": author.avatar_hue,
        "body": message.body,
        "created": message.created_at.isoformat(),
    }


def recent_messages(room: Room, limit: int = HISTORY_LENGTH) -> list[Message]:
    """The last ``limit`` messages, oldest first."""
    latest = room.messages.select_related("author", "room").order_by(
        "-created_at", "-pk"
    )[:limit]
    return list(reversed(latest))


def _check_rate(user) -> None:
    limit = rate_limit()
    window = int(timezone.now().timestamp()) // limit.seconds
    key = f"chat:rate:{user.pk}:{window}"
    cache.add(key, 0, timeout=limit.seconds * 2)
    if cache.incr(key) > limit.messages:
        raise ChatError(
            f"Slow down: at most {limit.messages} messages every {limit.seconds} seconds.",
            "rate_limited",
        )


def post_message(room: Room, user, body: str) -> Message:
    """Check, save and broadcast a message; raise ChatError when it is refused."""
    if not user.is_authenticated:
        raise ChatError("Sign in to post messages.", "not_authenticated")
    if not user.is_active:
        raise ChatError("This account cannot post.", "forbidden")
    body = (body or "").strip()
    if not body:
        raise ChatError("A message can't be empty.", "empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ChatError(
            f"A message can be at most {MAX_MESSAGE_LENGTH} characters.", "too_long"
        )
    _check_rate(user)
    message = Message.objects.create(room=room, author=user, body=body)
    payload = serialize_message(message)
    transaction.on_commit(lambda: broadcast(room, payload))
    return message


def broadcast(room: Room, payload: dict) -> None:
    """Send a saved message to the room's live clients. The message is already
    stored, so a channel layer that is down costs only the live update."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            room_group_name(room), {"type": "chat.message", "message": payload}
        )
    except Exception:
        logger.exception(
            "Could not broadcast message %s to room %s", payload["id"], room.slug
        )
