from django.urls import reverse

# (label, url, Font Awesome icon); the active one is found by path prefix.
NAVIGATION = [
    ("Blog", "/blog/", "fa-pen-nib"),
    ("Gallery", "/gallery/", "fa-images"),
    ("Cat zone", "/gallery/cats/", "fa-cat"),
    ("Chat", "/chat/", "fa-comments"),
]


def navigation(request):
    path = request.path
    # The longest matching prefix wins, so /gallery/cats/ lights "Cat zone", not "Gallery".
    matches = [url for _, url, _ in NAVIGATION if path.startswith(url)]
    active = max(matches, key=len) if matches else ("/" if path == "/" else None)
    items = [
        {"label": label, "url": url, "icon": icon, "active": url == active}
        for label, url, icon in NAVIGATION
    ]
    return {
        "nav_items": items,
        "nav_home_active": active == "/",
        "site_search_url": reverse("search"),
    }
