"""RSS and Atom feeds of the published posts, for the whole blog and per tag."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from taggit.models import Tag

from blog.models import BlogIndexPage, BlogPage

FEED_LENGTH = 20


class PostsFeed(Feed):
    """The latest published posts (RSS 2.0)."""

    description = "New posts from the Whiskers community."

    def get_object(self, request, tag=None):
        self.request = request
        if tag is None:
            return None
        found = Tag.objects.filter(name=tag).first()
        if found is None:
            raise Http404("No such tag.")
        return found

    def title(self, tag):
        return f"Whiskers blog: #{tag.name}" if tag else "Whiskers blog"

    def link(self, tag):
        index = BlogIndexPage.objects.live().first()
        url = index.url if index else "/"
        return f"{url}?{urlencode({'tag': tag.name})}" if tag else url

    def feed_url(self, tag):
        kind = "atom" if self.feed_type is Atom1Feed else "rss"
        if tag:
            return reverse(f"blog:tag_feed_{kind}", args=[tag.name])
        return reverse(f"blog:feed_{kind}")

    def items(self, tag):
        posts = BlogPage.objects.for_listing()
        if tag:
            posts = posts.filter(tags=tag)
        return posts.prefetch_related("tags")[:FEED_LENGTH]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.intro or post.body_text()[:300]

    def item_link(self, post):
        return post.get_url(request=self.request)

    def item_pubdate(self, post):
        return post.first_published_at

    def item_updateddate(self, post):
        return post.last_published_at

    def item_author_name(self, post):
        return (
            ", ".join(author.get_display_name() for author in post.authors.all())
            or None
        )

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]


class AtomPostsFeed(PostsFeed):
    feed_type = Atom1Feed
    subtitle = PostsFeed.description
