import re

from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.models import Page

from gallery.models import GalleryImage

RESULTS_PER_PAGE = 10
PHOTO_RESULTS = 8
MAX_QUERY_LENGTH = 200
# Words only: quotes, brackets and operators mean something to SQLite's FTS5 and
# PostgreSQL's tsquery parsers (a lone " was a syntax error, a 500), and the
# database search backend treats every query as plain words anyway.
NOT_A_WORD = re.compile(r"[^\w\s'-]+")


def clean_query(raw: str) -> str:
    """The words of a query, as plain text any search backend accepts."""
    text = NOT_A_WORD.sub(" ", raw[: MAX_QUERY_LENGTH * 2])
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(request):
    """Search published pages and members' photos with Wagtail search."""
    query = clean_query(request.GET.get("q", ""))
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
