from django.db import models

from wagtail.images.models import AbstractImage, AbstractRendition, Image, ImageQuerySet
from wagtail.models import Collection
from wagtail.search import index

MEMBER_UPLOADS_COLLECTION = "Member uploads"


class CatLabel(models.TextChoices):
    CAT = "cat", "Cat"
    NOT_CAT = "not_cat", "Not a cat"


class LabelSource(models.TextChoices):
    MODEL = "model", "Classifier"
    MODERATOR = "moderator", "Moderator"


class LabelStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the classifier"
    LABELLED = "labelled", "Labelled"
    FAILED = "failed", "Classifier failed"


class GalleryImageQuerySet(ImageQuerySet):
    def photos(self):
        """Members' photos: images in the "Member uploads" collection and its albums,
        as opposed to images editors uploaded for pages."""
        root = Collection.objects.filter(
            name=MEMBER_UPLOADS_COLLECTION, depth=2
        ).first()
        if root is None:
            return self.none()
        # A list of ids rather than a join, so Wagtail search can filter on it too.
        albums = list(root.get_descendants().values_list("pk", flat=True))
        return self.filter(collection_id__in=albums)

    def cats(self):
        return self.filter(cat_label=CatLabel.CAT)

    def for_listing(self):
        """Newest first, with owner and renditions fetched up front."""
        return (
            self.order_by("-created_at", "-pk")
            .select_related("uploaded_by_user")
            .prefetch_related("renditions")
        )


class GalleryImage(AbstractImage):
    """Every image on the site: members' photos and the pictures editors put in pages.

    The uploader (``uploaded_by_user``) is the photo's owner. The cat_* fields hold
    the cat / not-cat label, set by the classifier or by a moderator, and where the
    classifier's work on it stands (gallery/labelling.py).
    """

    caption = models.TextField(blank=True, max_length=2000)
    cat_label = models.CharField(
        max_length=10, choices=CatLabel.choices, blank=True, db_index=True
    )
    cat_score = models.FloatField(
        null=True,
        blank=True,
        help_text="The classifier's confidence that this is a cat.",
    )
    cat_label_source = models.CharField(
        max_length=10, choices=LabelSource.choices, blank=True
    )
    cat_model_version = models.CharField(max_length=64, blank=True)
    cat_labelled_at = models.DateTimeField(null=True, blank=True)
    cat_label_status = models.CharField(
        max_length=10,
        choices=LabelStatus.choices,
        default=LabelStatus.PENDING,
        db_index=True,
        help_text="Where the cat label stands (gallery/labelling.py).",
    )
    cat_label_error = models.TextField(
        blank=True, help_text="Why the classifier could not label this image."
    )
    cat_label_attempts = models.PositiveSmallIntegerField(default=0)
    cat_top_classes = models.JSONField(
        default=list,
        blank=True,
        help_text="The classifier's likeliest ImageNet classes, [[name, probability], …], "
        "for alt-text suggestions.",
    )

    admin_form_fields = (*Image.admin_form_fields, "caption")

    objects = GalleryImageQuerySet.as_manager()

    search_fields = [
        *AbstractImage.search_fields,
        index.SearchField("caption"),
        index.FilterField("cat_label"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"
        permissions = [("choose_image", "Can choose image")]

    @property
    def owner(self):
        return self.uploaded_by_user

    @property
    def alt_text(self) -> str:
        return self.description or self.title


class GalleryRendition(AbstractRendition):
    """A resized copy of a GalleryImage."""

    image = models.ForeignKey(
        GalleryImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
