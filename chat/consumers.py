"""The room's live connection: thin, every rule lives in chat/services.py."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from chat import services
from chat.models import Room

MAX_FRAME_BYTES = 8 * 1024
CLOSE_UNKNOWN_ROOM = 4404
CLOSE_FORBIDDEN = 4403


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """/ws/chat/<slug>/: receive {"body": "..."} from members, send new messages to everyone in the room."""

    room: Room | None = None

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.room = await database_sync_to_async(Room.objects.filter(slug=slug).first)()
        user = self.scope["user"]
        if self.room is None:
            await self.close(code=CLOSE_UNKNOWN_ROOM)
            return
        if not self.room.can_read(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = services.room_group_name(self.room)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.room is not None and hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error(
                "Frames must be JSON text of at most 8 KB.", "bad_frame"
            )
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("That frame is not valid JSON.", "bad_json")
            return
        if not isinstance(content, dict) or not isinstance(content.get("body"), str):
            await self.send_error('Send {"body": "your message"}.', "bad_frame")
            return
        try:
            await database_sync_to_async(services.post_message)(
                self.room, self.scope["user"], content["body"]
            )
        except services.ChatError as error:
            await self.send_error(error.reason, error.code)

    async def send_error(self, reason: str, code: str):
        await self.send_json({"type": "error", "code": code, "error": reason})

    async def chat_message(self, event):
        await self.send_json({"type": "message", "message": event["message"]})
