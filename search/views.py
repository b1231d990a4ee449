from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.models import Page

from gallery.models import GalleryImage

RESULTS_PER_PAGE = 10
PHOTO_RESULTS = 8


def search(request):
    """Search published pages and members' photos with Wagtail search."""
    query = request.GET.get("q", "").strip()[:200]
    page_results = photo_results = None
    if query:
        page_results = Paginator(
            Page.objects.live().public().specific().search(query), RESULTS_PER_PAGE
        ).get_page(request.GET.get("page"))
        photo_results = GalleryImage.objects.photos().search(query)[:PHOTO_RESULTS]
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_results": page_results,
            "photo_results": photo_results,
        },
    )
