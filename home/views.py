from django.shortcuts import get_object_or_404, render

from accounts.models import User
from gallery.listing import page_of
from home.demo import content
from home.services import member_activity

PHOTOS_PER_PAGE = 12


def member_detail(request, username):
    """A member's public page: profile, latest posts, all their photos ("load
    more"), and on their own page the photos they liked."""
    member = get_object_or_404(User, username=username, is_active=True)
    activity = member_activity(member, request.user)
    photos = page_of(request, activity["photos"], PHOTOS_PER_PAGE)
    liked = None
    if activity["liked"] is not None:
        liked = page_of(request, activity["liked"], PHOTOS_PER_PAGE, prefix="liked_")
    if request.htmx:
        # "Load more" of one of the two listings: just its next tiles.
        listing = (
            liked
            if request.GET.get("list") == "liked" and liked is not None
            else photos
        )
        return render(request, "gallery/_photo_page.html", {"photos": listing})
    return render(
        request,
        "home/member_detail.html",
        {
            "member": member,
            "posts": activity["posts"],
            "photos": photos,
            "liked": liked,
        },
    )


def credits(request):
    """Credit lines for the demo photos, as their licences ask."""
    return render(
        request,
        "home/credits.html",
        {"photos": [*content.PHOTOS, *content.BLOG_IMAGES]},
    )
