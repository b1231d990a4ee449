from wagtail.rich_text import RichText

import factory
import wagtail_factories

from blog.models import BlogIndexPage, BlogPage
from home.models import HomePage


def home_page() -> HomePage:
    """The home page made by migration home/0002."""
    return HomePage.objects.get()


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Blog"
    slug = "blog"
    parent = factory.LazyFunction(home_page)


class BlogPageFactory(wagtail_factories.PageFactory):
    """A published post with one paragraph."""

    class Meta:
        model = BlogPage

    title = factory.Sequence(lambda n: f"Post number {n}")
    intro = "A short introduction."
    body = factory.LazyFunction(
        lambda: [("paragraph", RichText("<p>Hello, cats.</p>"))]
    )
