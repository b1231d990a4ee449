from django.conf import settings
from django.db import models
from django.urls import reverse

MAX_MESSAGE_LENGTH = 2000


class RoomQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public rooms for everyone; members-only rooms for signed-in users too."""
        rooms = self.order_by("name")
        if user.is_authenticated:
            return rooms
        return rooms.filter(is_public=True)


class Room(models.Model):
    """A chat room with a persisted history."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=250, blank=True)
    is_public = models.BooleanField(
        default=True,
        help_text="Public rooms can be read without an account; only members post.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chat:room", args=[self.slug])

    def can_read(self, user) -> bool:
        return self.is_public or user.is_authenticated


class Message(models.Model):
    """One message in a room, saved before it is broadcast."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["room", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.author} in {self.room}: {self.body[:40]}"
