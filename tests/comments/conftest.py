import pytest

from tests.factories.blog import BlogPageFactory


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(
        parent=blog_index, title="Cats and boxes", slug="cats-and-boxes"
    )
