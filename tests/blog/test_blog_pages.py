import html
import re

from wagtail.models import Page

import pytest

from blog.models import BlogIndexPage, BlogPage
from home.models import HomePage
from tests.factories.blog import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_blog_index_lists_published_posts_newest_first(client, blog_index, member):
    old = BlogPageFactory(parent=blog_index, title="Old news", date="2026-01-02")
    new = BlogPageFactory(parent=blog_index, title="Fresh news", date="2026-06-01")
    BlogPageFactory(parent=blog_index, title="Unpublished", live=False)
    new.authors.add(member)
    new.save_revision().publish()

    response = client.get("/blog/")

    assert response.status_code == 200
    assert list(response.context["posts"]) == [new, old]
    content = response.content.decode()
    assert "Unpublished" not in content
    assert "Wendy Whiskerfan" in content


def test_blog_index_filters_by_tag(client, blog_index):
    tagged = BlogPageFactory(parent=blog_index, title="About naps")
    tagged.tags.add("naps")
    tagged.save_revision().publish()
    BlogPageFactory(parent=blog_index, title="About food")

    response = client.get("/blog/?tag=naps")

    assert list(response.context["posts"]) == [tagged]
    assert "#naps" in response.content.decode()


def test_blog_index_paginates(client, blog_index):
    for number in range(BlogIndexPage.posts_per_page + 2):
        BlogPageFactory(parent=blog_index, title=f"Post {number}")
    first = client.get("/blog/")
    second = client.get("/blog/?page=2")
    assert len(first.context["posts"]) == BlogIndexPage.posts_per_page
    assert len(second.context["posts"]) == 2
    assert client.get("/blog/?page=999").status_code == 200  # last page, not an error


def test_post_page_renders_its_blocks_and_tags(client, blog_index, member):
    post = BlogPageFactory(
        parent=blog_index,
        title="Cats and boxes",
        body=[
            ("heading", {"text": "Why boxes", "size": "h2"}),
            ("paragraph", "<p>Because they <b>fit</b>.</p>"),
            ("quote", {"text": "If I fits, I sits.", "attribution": "Every cat"}),
        ],
    )
    post.tags.add("boxes")
    post.authors.add(member)
    post.save_revision().publish()

    response = client.get(post.url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h2" in content and "Why boxes" in content
    assert "Because they <b>fit</b>." in content
    assert "If I fits, I sits." in content and "Every cat" in content
    assert '/blog/?tag=boxes"' in content
    assert member.get_absolute_url() in content


def test_hostile_text_in_a_post_is_escaped(client, blog_index):
    post = BlogPageFactory(
        parent=blog_index,
        title="<script>alert('title')</script>",
        intro="<img src=x onerror=alert(1)>",
    )
    content = client.get(post.url).content.decode()
    assert "<script>alert('title')</script>" not in content
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in content
    assert "<img src=x onerror" not in content


def test_draft_posts_are_not_served(client, blog_index):
    draft = BlogPageFactory(parent=blog_index, slug="secret-draft", live=False)
    assert client.get("/blog/secret-draft/").status_code == 404
    assert not draft.live


def test_page_tree_rules_keep_the_tree_tidy(blog_index):
    assert (
        BlogIndexPage.can_create_at(HomePage.objects.get()) is False
    )  # max one, exists
    assert BlogPage.can_create_at(blog_index)
    assert not BlogPage.can_create_at(HomePage.objects.get())
    assert not HomePage.can_create_at(blog_index)
    assert BlogPage.subpage_types == []
    assert Page.objects.type(HomePage).count() == 1


def test_reading_time_related_posts_and_author_links(client, blog_index, member):
    words = " ".join(["purr"] * 450)
    post = BlogPageFactory(
        parent=blog_index, title="Long read", body=[("paragraph", f"<p>{words}</p>")]
    )
    post.tags.add("naps", "boxes")
    post.authors.add(member)
    post.save_revision().publish()
    best = BlogPageFactory(parent=blog_index, title="Two tags in common")
    best.tags.add("naps", "boxes")
    best.save_revision().publish()
    good = BlogPageFactory(parent=blog_index, title="One tag in common")
    good.tags.add("naps")
    good.save_revision().publish()
    BlogPageFactory(parent=blog_index, title="Nothing in common").tags.add("food")
    draft = BlogPageFactory(parent=blog_index, title="Unpublished twin", live=False)
    draft.tags.add("naps", "boxes")

    response = client.get(post.url)
    content = response.content.decode()
    assert post.reading_minutes == 3
    assert "3 min read" in content
    assert list(response.context["related_posts"]) == [best, good]
    assert f'href="{member.get_absolute_url()}" rel="author"' in content


def test_posts_carry_opengraph_and_twitter_cards(client, blog_index):
    from tests.factories.gallery import GalleryImageFactory

    image = GalleryImageFactory(title="Tabby", description="A tabby on a chair")
    post = BlogPageFactory(
        parent=blog_index,
        title="Shared post",
        intro="Worth sharing.",
        listing_image=image,
    )
    content = client.get(post.url).content.decode()
    assert '<meta property="og:title" content="Shared post">' in content
    assert '<meta property="og:description" content="Worth sharing.">' in content
    assert (
        '<meta property="og:image" content="http://testserver/media/images/' in content
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert '<meta property="og:image:alt" content="A tabby on a chair">' in content
    assert f'<link rel="canonical" href="{post.full_url}">' in content


@pytest.mark.parametrize("tag", ["sofa life", "cats & dogs", "кошки", "a/b"])
def test_tag_filters_survive_pagination(client, blog_index, tag):
    for number in range(BlogIndexPage.posts_per_page + 1):
        post = BlogPageFactory(parent=blog_index, title=f"Tagged {number}")
        post.tags.add(tag)
        post.save()
    first = client.get("/blog/", {"tag": tag})
    assert len(first.context["posts"]) == BlogIndexPage.posts_per_page
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first.content.decode()).group(1)
    second = client.get("/blog/" + html.unescape(link))
    assert second.context["tag"] == tag
    assert len(second.context["posts"]) == 1
    assert f"#{html.escape(tag, quote=False)}" in second.content.decode()


def test_post_tag_links_are_encoded(client, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Odd tags")
    post.tags.add("cats & dogs")
    post.save_revision().publish()
    assert (
        'href="/blog/?tag=cats%20%26%20dogs"' in client.get(post.url).content.decode()
    )


def test_the_sitemap_lists_live_posts_only(client, member, blog_index):
    from tests.blog.posts import write

    live = BlogPageFactory(parent=blog_index, title="Live one", slug="live-one")
    write(member, title="Draft one")
    BlogPageFactory(parent=blog_index, title="Old draft", slug="old-draft", live=False)
    content = client.get("/sitemap.xml").content.decode()
    assert live.full_url in content
    assert "draft-one" not in content and "old-draft" not in content


def test_readers_pages_set_no_csrf_cookie(client, blog_index, member):
    """A reader's page carries no CSRF token (so shared caches may keep it): the
    forms members post, htmx ones included, carry their own."""
    post = BlogPageFactory(parent=blog_index, title="Cacheable")
    for path in ["/", "/blog/", post.url, "/gallery/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "csrftoken" not in response.cookies, path
        assert "csrfmiddlewaretoken" not in response.content.decode(), path

    client.force_login(member)
    content = client.get(post.url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in content  # the comment form
