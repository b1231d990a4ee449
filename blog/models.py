import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.html import strip_tags

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from comments.services import with_comment_counts
from core.blocks import BaseStreamBlock

BLOG_IMAGES_COLLECTION = "Blog images"
# Addresses under /blog/ that belong to the site, not to a post (blog/urls.py).
RESERVED_SLUGS = {"write", "posts", "my-posts", "feed", "tags", "pictures"}
WORDS_PER_MINUTE = 200


class BlogPageTag(TaggedItemBase):
    """Links a tag to a blog post."""

    content_object = ParentalKey(
        "blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Published, public posts, newest first, with what a listing card shows
        fetched up front so the number of queries does not grow with the posts."""
        return with_comment_counts(
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
    comments_open = models.BooleanField(
        default=True, help_text="Readers who are members may comment on this post."
    )

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
    settings_panels = [*Page.settings_panels, FieldPanel("comments_open")]
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

    def is_public_and_live(self) -> bool:
        """Readers can see it: published and with no view restriction."""
        return self.live and not self.get_view_restrictions().exists()

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is an address the blog uses; please choose another."
                }
            )

    def body_text(self) -> str:
        """The words of the post, for reading time and feeds."""
        words = []
        for block in self.body:
            if block.block_type == "paragraph":
                words.append(strip_tags(block.value.source))
            elif block.block_type in ("heading", "quote"):
                words.append(block.value["text"])
        return " ".join(words)

    @property
    def reading_minutes(self) -> int:
        words = len(f"{self.intro} {self.body_text()}".split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def related_posts(self, count: int = 3):
        """Up to ``count`` published posts sharing the most tags with this one."""
        tag_ids = [tag.pk for tag in self.tags.all()]
        if not tag_ids:
            return BlogPage.objects.none()
        return (
            BlogPage.objects.for_listing()
            .filter(tags__in=tag_ids)
            .exclude(pk=self.pk)
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-date", "-pk")[:count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_posts"] = self.related_posts()
        return context
