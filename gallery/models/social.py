from django.conf import settings
from django.db import models


class PhotoLike(models.Model):
    """One member liking one photo: at most once (the unique constraint holds under
    double clicks and concurrent requests)."""

    photo = models.ForeignKey(
        "gallery.GalleryImage", on_delete=models.CASCADE, related_name="likes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_likes"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "user"], name="one_like_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} likes {self.photo_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    INAPPROPRIATE = "inappropriate", "Not appropriate for Whiskers"
    NOT_THEIRS = "not_theirs", "It isn't theirs to share"
    OTHER = "other", "Something else"


class ReportResolution(models.TextChoices):
    HIDDEN = "hidden", "Photo hidden"
    DISMISSED = "dismissed", "Photo kept"


class PhotoReport(models.Model):
    """A member's report of a photo, for the moderators (once per member and photo)."""

    photo = models.ForeignKey(
        "gallery.GalleryImage", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        max_length=20, choices=ReportResolution.choices, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "reporter"], name="one_report_per_member"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report of photo {self.photo_id} by {self.reporter}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
