from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Collection

import pytest

from gallery.models import CatLabel, GalleryImage
from gallery.services import member_collection, member_uploads_root
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


def test_the_image_model_is_ours():
    from wagtail.images import get_image_model

    assert get_image_model() is GalleryImage
    assert GalleryImage.get_rendition_model().__name__ == "GalleryRendition"


def test_member_collection_is_made_once_under_member_uploads(member):
    album = member_collection(member)
    assert album.get_parent() == member_uploads_root()
    assert album.name == member.username
    assert member_collection(member) == album
    assert Collection.objects.filter(name=member.username).count() == 1


def test_photos_are_member_uploads_only(member):
    photo = GalleryImageFactory(uploaded_by_user=member)
    editorial = GalleryImageFactory(
        uploaded_by_user=member, collection=Collection.get_first_root_node()
    )
    photos = GalleryImage.objects.photos()
    assert photo in photos
    assert editorial not in photos


def test_feed_shows_newest_photos_first(client, member, other_member):
    first = GalleryImageFactory(uploaded_by_user=member, title="First photo")
    second = GalleryImageFactory(uploaded_by_user=other_member, title="Second photo")

    response = client.get("/gallery/")

    assert response.status_code == 200
    assert list(response.context["photos"]) == [second, first]
    content = response.content.decode()
    assert "Percy Purrfect" in content and "First photo" in content


def test_cat_zone_shows_only_cats(client, member):
    cat = GalleryImageFactory(uploaded_by_user=member, cat_label=CatLabel.CAT)
    dog = GalleryImageFactory(uploaded_by_user=member, cat_label=CatLabel.NOT_CAT)
    unlabelled = GalleryImageFactory(uploaded_by_user=member)

    photos = list(client.get("/gallery/cats/").context["photos"])

    assert photos == [cat]
    assert dog not in photos and unlabelled not in photos


def test_photo_page_shows_caption_escaped_and_owner(client, member):
    photo = GalleryImageFactory(
        uploaded_by_user=member,
        title="<b>Bold title</b>",
        caption="Look <script>alert(1)</script> https://example.com/cats",
    )
    response = client.get(f"/gallery/photos/{photo.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;b&gt;Bold title&lt;/b&gt;" in content
    assert '<a href="https://example.com/cats" rel="nofollow">' in content
    assert member.get_absolute_url() in content


def test_photo_page_404s_for_images_that_are_not_photos(client, member):
    editorial = GalleryImageFactory(
        uploaded_by_user=member, collection=Collection.get_first_root_node()
    )
    assert client.get(f"/gallery/photos/{editorial.pk}/").status_code == 404
    assert client.get("/gallery/photos/999999/").status_code == 404


def count_queries(client, url):
    client.get(url)  # the first view makes the renditions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/gallery/", "/gallery/cats/", "/"])
def test_listing_query_count_does_not_grow_with_photos(client, member, url):
    GalleryImageFactory.create_batch(2, uploaded_by_user=member, cat_label="cat")
    few = count_queries(client, url)
    GalleryImageFactory.create_batch(12, uploaded_by_user=member, cat_label="cat")
    many = count_queries(client, url)
    assert many == few
    assert few <= 15
