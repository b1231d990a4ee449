from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Abs, Coalesce

from wagtail.images.models import AbstractImage, AbstractRendition, Image, ImageQuerySet
from wagtail.models import Collection
from wagtail.search import index

from comments.services import with_comment_counts

MEMBER_UPLOADS_COLLECTION = "Member uploads"
# The renditions a photo tile shows (templates/includes/photo_tile.html), fetched
# up front by for_listing() so a listing's queries don't grow with its photos.
TILE_RENDITIONS = ("fill-240x240", "fill-480x480", "fill-720x720")


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
    def uploads(self):
        """Every member upload, hidden ones included: images in the "Member uploads"
        collection and its albums, as opposed to images editors uploaded for pages."""
        root = Collection.objects.filter(
            name=MEMBER_UPLOADS_COLLECTION, depth=2
        ).first()
        if root is None:
            return self.none()
        # A list of ids rather than a join, so Wagtail search can filter on it too.
        albums = list(root.get_descendants().values_list("pk", flat=True))
        return self.filter(collection_id__in=albums)

    def photos(self):
        """Members' photos that everyone may see: uploads a moderator has not hidden.
        Every public listing (feed, tags, cat zone, member pages, home, search)
        starts here."""
        return self.uploads().filter(is_hidden=False)

    def visible_to(self, user):
        """The photos ``user`` may open: everyone's visible photos, plus their own
        hidden ones; moderators see every upload."""
        if user is not None and user.is_authenticated:
            if user.has_perm("gallery.moderate_photo"):
                return self.uploads()
            return self.uploads().filter(Q(is_hidden=False) | Q(uploaded_by_user=user))
        return self.photos()

    def cats(self):
        return self.filter(cat_label=CatLabel.CAT)

    def with_likes(self, user=None):
        """Annotate ``like_count`` (and ``liked`` for ``user``), one query in all."""
        from gallery.models.social import PhotoLike

        counts = (
            PhotoLike.objects.filter(photo=OuterRef("pk"))
            .order_by()
            .values("photo")
            .annotate(count=Count("pk"))
            .values("count")
        )
        queryset = self.annotate(
            like_count=Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)
        )
        if user is not None and user.is_authenticated:
            queryset = queryset.annotate(
                liked=Exists(PhotoLike.objects.filter(photo=OuterRef("pk"), user=user))
            )
        return queryset

    def with_confidence(self):
        """Annotate ``confidence``: how sure we are that it is a cat (1 for a
        moderator's "cat"), for the cat zone's "most confident first"."""
        return self.annotate(
            confidence=Case(
                When(cat_label_source=LabelSource.MODERATOR, then=1.0),
                default=Coalesce(F("cat_score"), 0.0),
                output_field=FloatField(),
            )
        )

    def uncertain_first(self):
        """Scores nearest the middle first (the ones a moderator should look at)."""
        return self.annotate(
            uncertainty=Abs(Coalesce(F("cat_score"), 0.5) - 0.5)
        ).order_by("uncertainty", "-pk")

    def for_listing(self, user=None):
        """Newest first, with the owner, the tile renditions, tags, like and
        comment counts fetched up front."""
        return with_comment_counts(
            self.order_by("-created_at", "-pk")
            .select_related("uploaded_by_user")
            .prefetch_renditions(*TILE_RENDITIONS)
            .with_likes(user)
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
    cat_model_label = models.CharField(
        max_length=10,
        choices=CatLabel.choices,
        blank=True,
        help_text="What the classifier said, kept when a moderator corrects it.",
    )
    cat_label_suggestion = models.CharField(
        max_length=10,
        choices=CatLabel.choices,
        blank=True,
        db_index=True,
        help_text="What the photo's owner says it is, for a moderator to look at.",
    )
    cat_suggested_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Hidden by a moderator: only its owner and moderators can see it.",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
        index.FilterField("is_hidden"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"
        permissions = [
            ("choose_image", "Can choose image"),
            ("moderate_photo", "Can hide, restore and label members' photos"),
        ]

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
