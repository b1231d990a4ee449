from django.db import transaction

from wagtail.models import Collection

from gallery.models import MEMBER_UPLOADS_COLLECTION


def member_uploads_root() -> Collection:
    """The "Member uploads" collection (made by migration 0002)."""
    return Collection.objects.get(name=MEMBER_UPLOADS_COLLECTION, depth=2)


@transaction.atomic
def member_collection(user) -> Collection:
    """The member's own album under "Member uploads", created on first use."""
    root = member_uploads_root()
    existing = root.get_children().filter(name=user.username).first()
    if existing is not None:
        return existing
    return root.add_child(instance=Collection(name=user.username))
