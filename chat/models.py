from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MAX_MESSAGE_LENGTH = 2000
MAX_REPORT_REASON_LENGTH = 500


class RoomQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may read a room (chat.services builds on it):
        public rooms for everyone, members-only rooms for signed-in users too."""
        if user.is_authenticated:
            return self
        return self.filter(is_public=True)

    def listed(self):
        """Rooms shown in lists: archived rooms stay readable by address only."""
        return self.filter(is_archived=False)


class Room(models.Model):
    """A chat room with a persisted, numbered history."""

    # Nothing links to chat rows from pages: keep them out of Wagtail's reference
    # index, which would otherwise queue a task on every save (the admin viewsets
    # register them).
    wagtail_reference_index_ignore = True

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=250, blank=True)
    is_public = models.BooleanField(
        default=True,
        help_text="Public rooms can be read without an account; only members post.",
    )
    is_archived = models.BooleanField(
        default=False,
        help_text="Archived rooms keep their history but take no new messages and are not listed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The seq of the room's newest message: raised in the transaction that saves
    # each message, so seq numbers are gap-free per room (chat.services).
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chat:room", args=[self.slug])


class Message(models.Model):
    """One message in a room, numbered by ``seq`` (1, 2, 3… per room, no gaps),
    saved before it is broadcast. Moderators delete by setting ``deleted_at``:
    the row and its seq stay, so clients never see a hole in the sequence."""

    # Not in Wagtail's reference index: indexing queued a task on every message.
    wagtail_reference_index_ignore = True

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The client's Idempotency-Key (REST API): a retried request with the same key
    # from the same author returns this message instead of posting another.
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "seq"], name="chat_message_unique_room_seq"
            ),
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="chat_message_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        text = "(deleted)" if self.is_deleted else self.body[:60]
        return f"#{self.seq} {self.author} in {self.room}: {text}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RoomMuteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(until__gt=timezone.now())


class RoomMute(models.Model):
    """A member who may read a room but not post in it until ``until``."""

    # Nothing links to chat rows from pages: keep them out of Wagtail's reference
    # index, which would otherwise queue a task on every save (the admin viewsets
    # register them).
    wagtail_reference_index_ignore = True

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mutes"
    )
    until = models.DateTimeField(help_text="The member may post again after this.")
    reason = models.CharField(max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoomMuteQuerySet.as_manager()

    class Meta:
        ordering = ["-until"]
        verbose_name = "mute"

    def __str__(self) -> str:
        return f"{self.user} muted in {self.room} until {self.until:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.cache_key(self.room_id, self.user_id))

    def delete(self, *args, **kwargs):
        cache.delete(self.cache_key(self.room_id, self.user_id))
        return super().delete(*args, **kwargs)

    @staticmethod
    def cache_key(room_id: int, user_id: int) -> str:
        """chat.services caches each member's mute per room under this key."""
        return f"chat:mute:{room_id}:{user_id}"


class MessageReport(models.Model):
    """A member's report of a message, for moderators to resolve."""

    # Nothing links to chat rows from pages: keep them out of Wagtail's reference
    # index, which would otherwise queue a task on every save (the admin viewsets
    # register them).
    wagtail_reference_index_ignore = True

    class Resolution(models.TextChoices):
        OPEN = "", "Open"
        DISMISSED = "dismissed", "Dismissed"
        DELETED = "deleted", "Message deleted"

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=MAX_REPORT_REASON_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(
        max_length=20, choices=Resolution.choices, blank=True, editable=False
    )
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "report"
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="chat_report_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return (
            f"Report of #{self.message.seq} in {self.message.room} by {self.reporter}"
        )

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
