"""The site-level composition above the features: what a member's page shows."""

from accounts.models import User
from blog.models import BlogPage
from gallery.models import GalleryImage


def member_activity(member: User, *, posts: int = 6, photos: int = 12) -> dict:
    """What a member's public page shows: their latest published posts and photos."""
    return {
        "posts": BlogPage.objects.for_listing().filter(authors=member)[:posts],
        "photos": GalleryImage.objects.photos()
        .filter(uploaded_by_user=member)
        .for_listing()[:photos],
    }
