"""Pages of photos for "load more": a page number plus the moment the first page
was shown (``upto``), so photos uploaded meanwhile don't push the next page's
photos back into it. No COUNT query: one row more than a page says whether there
is a next one."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.http import QueryDict
from django.utils import timezone

MAX_PAGE = 1000


@dataclass
class PhotoPage:
    photos: list
    number: int
    has_next: bool
    next_query: str = ""
    upto: int = 0
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.photos)

    def __len__(self) -> int:
        return len(self.photos)

    def __bool__(self) -> bool:
        return bool(self.photos)


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value)[:20])
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def page_of(request, photos, per_page: int, *, prefix: str = "") -> PhotoPage:
    """The page of ``photos`` the request asks for (``?page=`` and ``?upto=``,
    or ``?<prefix>page=`` for a second listing on the same page)."""
    now = int(timezone.now().timestamp() * 1_000_000)
    number = _int(request.GET.get(f"{prefix}page"), 1, 1, MAX_PAGE)
    upto = _int(request.GET.get(f"{prefix}upto"), now, 0, now)
    moment = datetime.fromtimestamp(upto / 1_000_000, tz=UTC)
    start = (number - 1) * per_page
    rows = list(photos.filter(created_at__lte=moment)[start : start + per_page + 1])
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in (f"{prefix}page", f"{prefix}upto", "list"):
            query.setlist(key, values)
    if prefix:  # which listing "load more" asks for, on a page with two
        query["list"] = prefix.rstrip("_")
    query[f"{prefix}page"] = str(number + 1)
    query[f"{prefix}upto"] = str(upto)
    return PhotoPage(
        photos=rows[:per_page],
        number=number,
        has_next=len(rows) > per_page,
        next_query=query.urlencode(),
        upto=upto,
    )
