import factory
import wagtail_factories

from gallery.models import GalleryImage
from gallery.services import member_collection
from tests.factories.accounts import UserFactory


class GalleryImageFactory(wagtail_factories.ImageFactory):
    """A member's photo, in their album under "Member uploads"."""

    class Meta:
        model = GalleryImage

    title = factory.Sequence(lambda n: f"Photo {n}")
    uploaded_by_user = factory.SubFactory(UserFactory)
    collection = factory.LazyAttribute(
        lambda image: member_collection(image.uploaded_by_user)
    )
    file = factory.django.ImageField(width=64, height=48, color="orange")
