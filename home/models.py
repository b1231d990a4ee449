from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from blog.models import BlogPage
from chat.models import Room
from gallery.models import GalleryImage


class HomePage(Page):
    """The front page: a welcome, then the latest posts, photos and chat rooms."""

    tagline = models.CharField(
        max_length=160, blank=True, help_text="One line under the site name."
    )
    intro = models.TextField(
        blank=True, help_text="A short welcome shown at the top of the page."
    )

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage", "gallery.GalleryPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_posts"] = BlogPage.objects.for_listing()[:3]
        photos = GalleryImage.objects.photos().for_listing()
        context["latest_photos"] = photos[:8]
        context["hero_photos"] = photos.cats()[:4]
        context["rooms"] = Room.objects.visible_to(request.user)[:4]
        return context
