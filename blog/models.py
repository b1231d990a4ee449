from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.blocks import BaseStreamBlock


class BlogPageTag(TaggedItemBase):
    """Links a tag to a blog post."""

    content_object = ParentalKey(
        "blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Published, public posts, newest first, with what a listing card shows
        fetched up front so the number of queries does not grow with the posts."""
        return (
            self.live()
            .public()
            .order_by("-date", "-pk")
            .select_related("listing_image")
            .prefetch_related("authors", "listing_image__renditions")
        )


class BlogIndexPage(Page):
    """The blog's front page (/blog/): every published post, newest first, filterable by tag."""

    intro = models.TextField(blank=True, help_text="Shown above the list of posts.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.BlogPage"]
    max_count = 1
    posts_per_page = 12

    def get_posts(self, tag: str | None = None):
        posts = BlogPage.objects.child_of(self).for_listing()
        if tag:
            posts = posts.filter(tags__name=tag)
        return posts

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100] or None
        paginator = Paginator(self.get_posts(tag), self.posts_per_page)
        context["posts"] = paginator.get_page(request.GET.get("page"))
        context["tag"] = tag
        return context


class BlogPage(Page):
    """One blog post: intro, a body of blocks, tags, authors and a listing image."""

    date = models.DateField("post date", default=timezone.localdate)
    intro = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown in listings."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    listing_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on the blog index, the home page and when the post is shared.",
    )
    authors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="blog_posts"
    )
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    objects = PageManager.from_queryset(BlogPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("authors"), FieldPanel("tags")],
            heading="Post details",
        ),
        FieldPanel("intro"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("date"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "blog post"

    @property
    def author_list(self):
        return list(self.authors.all())
