"""The room's live connection: thin, every rule lives in chat/services.py.

Frames a client sends (JSON text): {"body": "..."} or {"type": "message", "body":
"..."} to post, {"type": "typing"} while typing, {"type": "pong"} to answer a
ping. Frames it gets: "hello" (the room's last seq and who is online), "message"
(one serialized message, with its seq and server-rendered html), "messages"
(several, in seq order: the ones saved together in a busy room), "deleted",
"presence", "typing", "ping" (answer within 20 s or be closed with 4408) and
"error".

Refused connections are accepted and then closed with a code the page can read
(4404 unknown room, 4403 members-only room for a visitor), after an error frame
saying why: a refused handshake would only show the browser a 1006.
"""

import asyncio
import json
import logging
import time

from django.conf import settings

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from chat import services
from chat.fanout import fanout
from chat.models import Room
from chat.writer import room_writer

MAX_FRAME_BYTES = 8 * 1024
MAX_POSTS_IN_FLIGHT = 20  # one connection's posts waiting to be saved
CLOSE_UNKNOWN_ROOM = 4404
CLOSE_FORBIDDEN = 4403
CLOSE_FLOODING = 4429
CLOSE_NOT_READING = 4408  # no pong to our ping within a heartbeat
TYPING_EVERY = 2.0  # seconds between typing notices one connection relays

CLOSE_CODES = {"not_found": CLOSE_UNKNOWN_ROOM, "login_required": CLOSE_FORBIDDEN}

logger = logging.getLogger(__name__)
cache_call = sync_to_async(thread_sensitive=False)


class FrameBudget:
    """A token bucket for one connection's incoming frames (CHAT_FRAME_LIMIT =
    (burst, per second)): a client that floods is disconnected instead of
    queueing work (and error frames) without bound."""

    def __init__(self, burst: int, per_second: float):
        self.burst, self.per_second = burst, per_second
        self.tokens, self.at = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class ChatConsumer(AsyncWebsocketConsumer):
    """/ws/chat/<slug>/: members post and everyone in the room receives."""

    room: Room | None = None
    group: str | None = None
    heartbeat: asyncio.Task | None = None

    async def dispatch(self, message):
        """Channels' own dispatch, without its close_old_connections before every
        handler: that runs in the one sync thread, where it queues behind the
        database work of every other connection. Every database call here goes
        through database_sync_to_async, which closes old connections itself,
        before and after."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        user = self.scope["user"]
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            self.room = await database_sync_to_async(services.get_readable_room)(
                user, slug
            )
        except services.ChatError as error:
            await self.accept()
            await self.send_error(error)
            await self.close(code=CLOSE_CODES[error.code], reason=error.reason)
            return
        self.budget = FrameBudget(*settings.CHAT_FRAME_LIMIT)
        self.posts_in_flight: set[asyncio.Future] = set()
        self.replies: set[asyncio.Task] = set()
        self.typing_at = 0.0
        self.awaiting_pong = False
        self.group = services.room_group_name(self.room)
        self.backlog: list[dict] | None = []  # events that come before our hello
        await fanout().join(self.group, self, count_dropped)
        await self.accept()
        # Read after joining the room's feed: anything newer is delivered to us.
        self.last_seq = await database_sync_to_async(self._room_last_seq)()
        online, changed = await cache_call(services.presence_join)(
            self.room, user, self.channel_name
        )
        await self.send_frame(
            {
                "type": "hello",
                "room": self.room.slug,
                "last_seq": self.last_seq,
                "online": online,
                "can_post": services.can_post(self.room, user),
            }
        )
        backlog, self.backlog = self.backlog, None
        for event in backlog:
            await self.deliver(event)
        if changed:
            await cache_call(services.broadcast_presence)(self.room, online)
        self.heartbeat = asyncio.create_task(self.renew_presence())

    def _room_last_seq(self) -> int:
        return Room.objects.values_list("last_seq", flat=True).get(pk=self.room.pk)

    async def renew_presence(self):
        """Every PRESENCE_HEARTBEAT seconds: renew presence, and ask the client
        for a pong. A client that stops reading can't answer (our ping waits
        behind what it hasn't read), so it is closed before the server buffers
        the room's traffic for it without end. (Daphne's own pings stop while
        the client keeps sending, so they don't catch one that sends but never
        reads.)"""
        while True:
            await asyncio.sleep(services.PRESENCE_HEARTBEAT)
            fanout().dropped_check()
            if self.awaiting_pong:
                await self.close(code=CLOSE_NOT_READING)
                return
            self.awaiting_pong = True
            await self.send_frame({"type": "ping"})
            online, changed = await cache_call(services.presence_join)(
                self.room, self.scope["user"], self.channel_name
            )
            if changed:
                await cache_call(services.broadcast_presence)(self.room, online)

    async def disconnect(self, code):
        if self.group is None:
            return
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        await fanout().leave(self.group, self)
        online, changed = await cache_call(services.presence_leave)(
            self.room, self.channel_name
        )
        if changed:
            await cache_call(services.broadcast_presence)(self.room, online)

    # From the client

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.budget.take():
            await self.send_error(
                services.ChatError("Too many frames: slow down.", "flooding")
            )
            await self.close(code=CLOSE_FLOODING)
            return
        content = await self.parse(text_data)
        if content is None:
            return
        kind = content.get("type", "message")
        if kind == "message":
            await self.post(content.get("body"))
        elif kind == "typing":
            await self.typing()
        elif kind == "pong":
            self.awaiting_pong = False
        else:
            await self.send_error(
                services.ChatError(
                    'Unknown frame type: send "message", "typing" or "pong".',
                    "bad_frame",
                )
            )

    async def parse(self, text_data) -> dict | None:
        if text_data is None or len(text_data.encode("utf-8", "surrogatepass")) > (
            MAX_FRAME_BYTES
        ):
            await self.send_error(
                services.ChatError(
                    "Frames must be JSON text of at most 8 KB.", "bad_frame"
                )
            )
            return None
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error(
                services.ChatError("That frame is not valid JSON.", "bad_json")
            )
            return None
        if not isinstance(content, dict):
            await self.send_error(
                services.ChatError('Send {"body": "your message"}.', "bad_frame")
            )
            return None
        return content

    async def post(self, body):
        if not isinstance(body, str):
            await self.send_error(
                services.ChatError('Send {"body": "your message"}.', "bad_frame")
            )
            return
        # The room's writer saves this with the posts waiting beside it (one
        # transaction for all) while this connection goes on reading; a refusal
        # comes back as an error frame. A client that sends faster than its
        # posts are saved waits here, with at most MAX_POSTS_IN_FLIGHT queued.
        future = room_writer(self.room).submit(services.Post(self.scope["user"], body))
        self.posts_in_flight.add(future)
        future.add_done_callback(self.posted)
        if len(self.posts_in_flight) >= MAX_POSTS_IN_FLIGHT:
            await asyncio.wait(
                self.posts_in_flight, return_when=asyncio.FIRST_COMPLETED
            )

    def posted(self, future: asyncio.Future) -> None:
        self.posts_in_flight.discard(future)
        error = None if future.cancelled() else future.exception()
        if error is None:
            return
        if not isinstance(error, services.ChatError):
            logger.error(
                "Could not save a message in %s", self.room.slug, exc_info=error
            )
            error = services.ChatError(
                "Your message could not be saved: try again in a moment.",
                "unavailable",
            )
        task = asyncio.create_task(self.send_error(error))
        self.replies.add(task)
        task.add_done_callback(self.replies.discard)

    async def typing(self):
        user = self.scope["user"]
        now = time.monotonic()
        if not user.is_authenticated or now - self.typing_at < TYPING_EVERY:
            return
        self.typing_at = now
        frame = {"type": "typing", "name": user.get_display_name(), "user": user.pk}
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "chat.typing",
                "text": json.dumps(frame),
                "sender": self.channel_name,
            },
        )

    # To the client

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame))

    async def send_error(self, error: services.ChatError):
        frame = {"type": "error", "code": error.code, "error": error.reason}
        if error.retry_after:
            frame["retry_after"] = error.retry_after
        await self.send_frame(frame)

    async def deliver(self, event: dict) -> None:
        """A room event from this process's feed (chat.fanout), serialized once
        for everyone by chat.services: messages, deletions, presence, typing."""
        if event.get("sender") == self.channel_name:
            return  # our own typing notice
        if self.backlog is not None:
            self.backlog.append(event)  # the hello goes first
            return
        await self.send(text_data=event["text"])


def count_dropped(deliveries: int) -> None:
    asyncio.get_running_loop().run_in_executor(
        None, services.count, "dropped_deliveries", deliveries
    )
