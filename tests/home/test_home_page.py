import pytest

from tests.factories.blog import BlogPageFactory
from tests.factories.chat import RoomFactory
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "home/home_page.html"
    assert b"A friendly corner of the internet for cat people" in response.content


def test_home_page_shows_latest_posts_photos_and_rooms(client, blog_index, member):
    old = BlogPageFactory(parent=blog_index, title="An older post", date="2026-01-01")
    new = BlogPageFactory(parent=blog_index, title="The newest post", date="2026-11-01")
    draft = BlogPageFactory(parent=blog_index, title="A draft post", live=False)
    photo = GalleryImageFactory(uploaded_by_user=member, title="Tabby on a chair")
    room = RoomFactory(name="General")

    response = client.get("/")

    posts = list(response.context["latest_posts"])
    assert posts == [new, old]
    assert draft not in posts
    assert list(response.context["latest_photos"]) == [photo]
    assert room in response.context["rooms"]
    content = response.content.decode()
    assert "The newest post" in content
    assert "Tabby on a chair" in content
    assert "A draft post" not in content


def test_base_template_has_the_site_furniture(client):
    content = client.get("/").content.decode()
    assert (
        '<a class="skip-link visually-hidden-focusable" href="#main-content">'
        in content
    )
    assert '<main id="main-content"' in content
    assert "/static/bootstrap/css/bootstrap.min.css" in content
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in content
    for label, url in [
        ("Blog", "/blog/"),
        ("Gallery", "/gallery/"),
        ("Cat zone", "/gallery/cats/"),
        ("Chat", "/chat/"),
    ]:
        assert f'href="{url}"' in content and label in content
    assert 'role="search"' in content
    assert "/accounts/signup/" in content and "/accounts/login/" in content
    assert "cdn" not in content.lower()


def test_navbar_marks_the_current_section(client):
    content = client.get("/gallery/cats/").content.decode()
    assert 'href="/gallery/cats/" aria-current="page"' in content
    assert 'href="/gallery/" aria-current="page"' not in content


def test_sitemap_lists_published_pages_only(client, blog_index):
    post = BlogPageFactory(parent=blog_index, slug="in-the-sitemap")
    BlogPageFactory(parent=blog_index, slug="draft-not-listed", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    assert post.slug in content and "/blog/" in content
    assert "draft-not-listed" not in content


def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()
    assert 'id="main-content"' in response.content.decode()
