import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from accounts.names import clean_display_name, username_skeleton

MEMBERS_GROUP = "Members"
MODERATORS_GROUP = "Moderators"  # created by Wagtail's own migrations
EDITORS_GROUP = "Editors"  # likewise


def avatar_upload_to(instance: "User", filename: str) -> str:
    # A fresh name each time, so caches never serve the previous avatar.
    return f"avatars/{uuid.uuid4().hex}.jpg"


class User(AbstractUser):
    """A Whiskers account: readers who signed up, members, editors, moderators and bots.

    The public profile (display name, avatar, bio) lives here rather than in a
    separate model so every page that shows an author needs no extra query.
    """

    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="Shown on your posts, photos and messages instead of your username.",
    )
    bio = models.TextField(
        max_length=1000, blank=True, help_text="A few words about you and your cats."
    )
    username_skeleton = models.CharField(
        max_length=150,
        db_index=True,
        editable=False,
        default="",
        help_text="The username with look-alike characters folded (accounts/names.py).",
    )
    avatar = models.ImageField(
        upload_to=avatar_upload_to,
        blank=True,
        help_text="A square picture works best; we crop it to a square.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_display_name()

    def save(self, *args, **kwargs):
        self.username_skeleton = username_skeleton(self.username)
        self.display_name = clean_display_name(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("member_detail", args=[self.username])

    @property
    def avatar_hue(self) -> int:
        """A stable colour for the initials shown when there is no avatar."""
        return (self.pk or 0) * 47 % 360

    @property
    def avatar_hue_class(self) -> int:
        """One of the twelve avatar-hue-N classes in whiskers.css."""
        return self.avatar_hue // 30

    @property
    def initials(self) -> str:
        return (
            "".join(part[0] for part in self.get_display_name().split()[:2]).upper()
            or "?"
        )
