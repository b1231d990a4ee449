"""Database queries and render time of the main pages, with a little and a lot of content.

    python benchmarks/pages.py [--small 10] [--large 300] [--repeat 25]

Builds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set),
fills it with `small` posts, photos and chat messages, measures every page, grows the
content to `large` and measures again. The query count of a page must not grow with
the content; the times are the median (p50) and p95 of `repeat` renders through
Django's test client (no network), after one warm-up render that makes renditions.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from tests.factories.accounts import UserFactory  # noqa: E402
from tests.factories.blog import BlogIndexPageFactory, BlogPageFactory  # noqa: E402
from tests.factories.chat import MessageFactory, RoomFactory  # noqa: E402
from tests.factories.gallery import GalleryImageFactory  # noqa: E402


def grow(blog, room, members, target: int, have: int) -> None:
    for number in range(have, target):
        author = members[number % len(members)]
        post = BlogPageFactory(
            parent=blog, title=f"Cat post {number}", slug=f"cat-post-{number}"
        )
        post.authors.add(author)
        post.tags.add(f"tag{number % 7}", "cats")
        GalleryImageFactory(
            uploaded_by_user=author,
            title=f"Cat photo {number}",
            cat_label="cat" if number % 2 else "not_cat",
        )
        MessageFactory(room=room, author=author, body=f"Message {number}")


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, float]:
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
    return query_count, statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=25)
    options = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        members = UserFactory.create_batch(3)
        blog = BlogIndexPageFactory()
        room = RoomFactory(slug="general")
        client = Client()
        pages = {
            "home": "/",
            "blog index": "/blog/",
            "blog post": "/blog/cat-post-1/",
            "gallery feed": "/gallery/",
            "cat zone": "/gallery/cats/",
            "chat room": "/chat/general/",
            "search": "/search/?q=cat",
            "member page": f"/members/{members[0].username}/",
        }
        results = {}
        have = 0
        for size in (options.small, options.large):
            grow(blog, room, members, size, have)
            have = size
            results[size] = {
                name: measure(client, url, options.repeat)
                for name, url in pages.items()
            }

        engine = connection.vendor
        print(f"Whiskers page benchmark on {engine}, {options.repeat} renders per page")
        print(
            f"{'page':<14}{'queries @' + str(options.small):>12}{'queries @' + str(options.large):>13}"
            f"{'p50 ms @' + str(options.small):>13}{'p50 ms @' + str(options.large):>14}{'p95 ms @' + str(options.large):>14}"
        )
        grew = []
        for name in pages:
            small_q, small_p50, _ = results[options.small][name]
            large_q, large_p50, large_p95 = results[options.large][name]
            if large_q != small_q:
                grew.append(name)
            print(
                f"{name:<14}{small_q:>12}{large_q:>13}{small_p50:>13.1f}{large_p50:>14.1f}{large_p95:>14.1f}"
            )
        print(
            "query counts constant as content grows"
            if not grew
            else f"QUERY COUNT GREW: {', '.join(grew)}"
        )
        sys.exit(1 if grew else 0)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
