from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from gallery.models import GalleryImage

PHOTOS_PER_PAGE = 24


def _photo_page(request, photos):
    return Paginator(photos.for_listing(), PHOTOS_PER_PAGE).get_page(
        request.GET.get("page")
    )


def feed(request):
    """Everyone's photos, newest first."""
    return render(
        request,
        "gallery/feed.html",
        {"photos": _photo_page(request, GalleryImage.objects.photos())},
    )


def cat_zone(request):
    """The photos labelled as cats."""
    return render(
        request,
        "gallery/cat_zone.html",
        {"photos": _photo_page(request, GalleryImage.objects.photos().cats())},
    )


def photo_detail(request, pk):
    photo = get_object_or_404(
        GalleryImage.objects.photos().select_related("uploaded_by_user"), pk=pk
    )
    return render(request, "gallery/photo_detail.html", {"photo": photo})
