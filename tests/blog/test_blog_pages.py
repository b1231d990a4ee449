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
