from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page

PHOTOS_PER_PAGE = 24


class GalleryPage(Page):
    """A page editors place in the tree to show members' photos from one collection
    (an album under "Member uploads") or with one tag, under an intro."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Show the photos in this album (and the albums below it). "
        "Member photos live under “Member uploads”.",
    )
    tag = models.CharField(
        max_length=100, blank=True, help_text="Show the photos with this tag."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("collection"),
        FieldPanel("tag"),
    ]

    parent_page_types = ["home.HomePage", "gallery.GalleryPage"]
    subpage_types = ["gallery.GalleryPage"]

    class Meta:
        verbose_name = "gallery page"

    def clean(self):
        super().clean()
        self.tag = " ".join(self.tag.split()).lower()
        if not self.collection_id and not self.tag:
            raise ValidationError(
                {"collection": "Choose a collection or a tag (or both)."}
            )

    def get_photos(self, user=None):
        """The visible photos this page shows, newest first, ready for tiles."""
        from gallery.models.images import GalleryImage

        photos = GalleryImage.objects.photos()
        if self.collection_id:
            collection = self.collection
            albums = [
                collection.pk,
                *collection.get_descendants().values_list("pk", flat=True),
            ]
            photos = photos.filter(collection_id__in=albums)
        if self.tag:
            photos = photos.filter(tags__name__iexact=self.tag)
        return photos.for_listing(user)

    def get_template(self, request, *args, **kwargs):
        if getattr(request, "htmx", False):
            return "gallery/_photo_page.html"  # "load more": the next tiles only
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from gallery.listing import page_of

        context = super().get_context(request, *args, **kwargs)
        context["photos"] = page_of(
            request, self.get_photos(request.user), PHOTOS_PER_PAGE
        )
        return context
