"""The owner's live label updates: thin, the messages come from gallery/live.py."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from gallery.live import owner_group

CLOSE_FORBIDDEN = 4403


class PhotoLabelConsumer(AsyncJsonWebsocketConsumer):
    """/ws/gallery/labels/: a signed-in member hears the labels of their own photos
    ({"type": "label", "photo": id, "badge": html, "alt_suggestion": text})."""

    group = ""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = owner_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Nothing to say to the server on this socket."""

    async def label_update(self, event):
        await self.send_json(
            {
                "type": "label",
                "photo": event["photo"],
                "status": event["status"],
                "label": event["label"],
                "badge": event["badge"],
                "alt_suggestion": event["alt_suggestion"],
            }
        )
