"""The site-level composition above the features: what a member's page shows."""

from accounts.models import User
from blog.models import BlogPage
from gallery.models import GalleryImage
from gallery.services import liked_by


def member_activity(member: User, viewer=None, *, posts: int = 6) -> dict:
    """What a member's public page shows: their latest published posts, their
    photos (hidden ones too when the viewer is the member or a moderator) and,
    on their own page, the photos they liked. Photos are querysets for paging."""
    photos = (
        GalleryImage.objects.visible_to(viewer)
        .filter(uploaded_by_user=member)
        .for_listing(viewer)
    )
    activity = {
        "posts": BlogPage.objects.for_listing().filter(authors=member)[:posts],
        "photos": photos,
        "liked": None,
    }
    if viewer is not None and viewer.is_authenticated and viewer.pk == member.pk:
        activity["liked"] = liked_by(member, viewer)
    return activity
