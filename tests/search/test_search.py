import pytest

from tests.factories.blog import BlogPageFactory
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_posts_and_photos(client, blog_index, member):
    post = BlogPageFactory(parent=blog_index, title="Marmalade the tabby")
    BlogPageFactory(parent=blog_index, title="Something unrelated")
    photo = GalleryImageFactory(uploaded_by_user=member, title="Marmalade asleep")

    response = client.get("/search/", {"q": "marmalade"})

    assert response.status_code == 200
    pages = [result.specific for result in response.context["search_results"]]
    assert pages == [post]
    assert list(response.context["photo_results"]) == [photo]


def test_search_leaves_out_drafts(client, blog_index):
    BlogPageFactory(parent=blog_index, title="Secret zucchini plan", live=False)
    response = client.get("/search/", {"q": "zucchini"})
    assert list(response.context["search_results"]) == []
    assert "No posts or pages match" in response.content.decode()


def test_empty_search_shows_a_prompt(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["search_results"] is None
    assert "Type a word or two" in response.content.decode()


def test_search_query_is_reduced_to_words_and_escaped(client):
    response = client.get("/search/", {"q": "<script>alert(1)</script> it's"})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "script alert 1 script it&#x27;s" in content
