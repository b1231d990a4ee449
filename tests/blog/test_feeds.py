"""RSS and Atom feeds of the blog and of each tag, advertised on the blog pages."""

from urllib.parse import quote

import pytest
from defusedxml import ElementTree as ET

from tests.factories.blog import BlogPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
AWKWARD_TAGS = ["sofa life", "cats & dogs", "кошки", "猫"]


@pytest.fixture
def posts(blog_index, member):
    made = []
    for number, tag in enumerate(AWKWARD_TAGS):
        post = BlogPageFactory(
            parent=blog_index, title=f"Post {number}", intro=f"About {tag}"
        )
        post.tags.add(tag, "cats")
        post.authors.add(member)
        post.save_revision().publish()
        made.append(post)
    BlogPageFactory(parent=blog_index, title="Not published", live=False).tags.add(
        "cats"
    )
    return made


def rss_items(response):
    root = ET.fromstring(response.content)
    return [
        (item.findtext("title"), item.findtext("link")) for item in root.iter("item")
    ]


def test_the_rss_feed_lists_published_posts(client, posts):
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.findtext("channel/title") == "Whiskers blog"
    items = rss_items(response)
    assert sorted(title for title, _ in items) == [f"Post {n}" for n in range(4)]
    assert all(link.startswith("http://testserver/blog/post-") for _, link in items)
    first = root.find("channel/item")
    assert first.findtext("description").startswith("About ")
    assert "cats" in [category.text for category in first.findall("category")]
    assert "Not published" not in response.content.decode()


def test_the_atom_feed(client, posts):
    response = client.get("/blog/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Wendy Whiskerfan"


@pytest.mark.parametrize("tag", AWKWARD_TAGS)
def test_a_feed_per_tag_even_with_spaces_ampersands_and_other_scripts(
    client, posts, tag
):
    response = client.get(f"/blog/tags/{quote(tag)}/feed/")
    assert response.status_code == 200
    titles = [title for title, _ in rss_items(response)]
    assert titles == [f"Post {AWKWARD_TAGS.index(tag)}"]
    assert (
        ET.fromstring(response.content).findtext("channel/title")
        == f"Whiskers blog: #{tag}"
    )
    atom = client.get(f"/blog/tags/{quote(tag)}/feed/atom/")
    assert len(ET.fromstring(atom.content).findall(f"{ATOM}entry")) == 1


def test_an_unknown_tag_has_no_feed(client, posts):
    assert client.get("/blog/tags/nothing-here/feed/").status_code == 404


def test_the_blog_pages_advertise_their_feeds(client, posts):
    index = client.get("/blog/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Whiskers blog (RSS)" href="/blog/feed/">'
        in index
    )
    assert 'type="application/atom+xml"' in index
    tagged = client.get("/blog/", {"tag": "cats & dogs"}).content.decode()
    assert 'href="/blog/tags/cats%20&amp;%20dogs/feed/"' in tagged
    post = client.get(posts[0].url).content.decode()
    assert 'href="/blog/feed/"' in post
