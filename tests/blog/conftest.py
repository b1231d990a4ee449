import pytest

from blog import services
from blog.models import BlogPage
from tests.blog.posts import write


@pytest.fixture
def draft(member, blog_index):
    return write(member)


@pytest.fixture
def submitted(member, blog_index):
    post = write(member, title="Sent for review")
    services.submit_for_review(member, post)
    return BlogPage.objects.get(pk=post.pk)
