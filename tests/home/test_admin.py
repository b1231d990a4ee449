import pytest

from blog.models import BlogPage
from tests.factories.blog import BlogPageFactory
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editors_can_choose_images_in_the_admin(editor_client, member):
    photo = GalleryImageFactory(uploaded_by_user=member, title="Chooser cat")
    response = editor_client.get("/admin/images/chooser/")
    assert response.status_code == 200
    assert "Chooser cat" in response.content.decode()
    assert editor_client.get(f"/admin/images/{photo.pk}/").status_code == 200


def test_editors_can_write_blog_posts_in_the_admin(editor_client, blog_index):
    response = editor_client.get(f"/admin/pages/add/blog/blogpage/{blog_index.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Post details" in content  # our panels
    assert 'data-contentpath="body"' in content  # the StreamField


def test_editors_can_edit_an_existing_post(editor_client, blog_index):
    post = BlogPageFactory(parent=blog_index)
    response = editor_client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 200
    assert BlogPage.objects.get(pk=post.pk).live


def test_the_admin_makes_no_third_party_requests(editor_client):
    content = editor_client.get("/admin/").content.decode()
    assert "gravatar.com" not in content
