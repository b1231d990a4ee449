from django.shortcuts import get_object_or_404, render

from accounts.models import User
from home.demo import content
from home.services import member_activity


def member_detail(request, username):
    """A member's public page: profile, latest posts and photos."""
    member = get_object_or_404(User, username=username, is_active=True)
    return render(
        request,
        "home/member_detail.html",
        {"member": member, **member_activity(member)},
    )


def credits(request):
    """Credit lines for the demo photos, as their licences ask."""
    return render(
        request,
        "home/credits.html",
        {"photos": [*content.PHOTOS, *content.BLOG_IMAGES]},
    )
