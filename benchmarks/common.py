"""What the page benchmarks share: Django set up on a throwaway test database, a
stock Wagtail page as the reference, and one way to measure a page."""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


@contextmanager
def throwaway_database():
    """A fresh test database (SQLite, or PostgreSQL when DATABASE_URL is set)."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def stock_wagtail_page() -> str:
    """A plain wagtailcore Page under the home page, rendered by Wagtail's own
    template through the site's middleware: the reference to compare with."""
    from wagtail.models import Page

    from home.models import HomePage

    HomePage.objects.get().add_child(
        instance=Page(title="Stock Wagtail page", slug="stock")
    )
    return "/stock/"


def measure(client, url: str, repeat: int) -> tuple[int, float, float]:
    """(queries, p50 ms, p95 ms) of ``url`` after one warm-up render."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = client.get(url).status_code  # warm-up: renditions, caches
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # read now: the next request clears the query log
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return query_count, statistics.median(times), percentile(times, 95)


def percentile(sorted_times: list[float], share: int) -> float:
    return sorted_times[max(0, int(len(sorted_times) * share / 100) - 1)]
