"""Database queries and render time of the main pages, with a little and a lot of content.

    python benchmarks/pages.py [--small 10] [--large 1000] [--repeat 25]

Builds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set),
fills it with `small` posts, photos and chat messages, measures every page, grows the
content to `large` and measures again. The query count of a page must not grow with
the content; the times are the median (p50) and p95 of `repeat` renders through
Django's test client (no network), after one warm-up render that makes renditions.
A stock Wagtail page (a plain wagtailcore Page with Wagtail's own template, served
through the same middleware) is measured in the same run as the reference; the
member pages (/blog/my-posts/) are rendered for a signed-in member. Last, the time
one member's "Send for review" takes, from the request to the post being in review.
"""

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import (
    measure,
    percentile,
    setup_django,
    stock_wagtail_page,
    throwaway_database,
)

setup_django()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from tests.factories.accounts import UserFactory  # noqa: E402
from tests.factories.blog import BlogIndexPageFactory, BlogPageFactory  # noqa: E402
from tests.factories.chat import MessageFactory, RoomFactory  # noqa: E402
from tests.factories.gallery import GalleryImageFactory  # noqa: E402


def grow(blog, room, members, target: int, have: int) -> None:
    for number in range(have, target):
        author = members[number % len(members)]
        post = BlogPageFactory(
            parent=blog,
            title=f"Cat post {number}",
            slug=f"cat-post-{number}",
            owner=author,
        )
        post.authors.add(author)
        post.tags.add(f"tag{number % 7}", "cats")
        GalleryImageFactory(
            uploaded_by_user=author,
            title=f"Cat photo {number}",
            cat_label="cat" if number % 2 else "not_cat",
        )
        MessageFactory(room=room, author=author, body=f"Message {number}")


def submit_timings(client: Client, count: int) -> list[float]:
    """Milliseconds for "Send for review" on a new post, request to response."""
    times = []
    for number in range(count):
        data = {
            "title": f"Benchmark submission {number}",
            "intro": "Timed.",
            "tags": "benchmark",
            "body": "A paragraph.\n\n## A heading\n\nAnother **paragraph**.\n",
            "token": str(uuid.uuid4()),
            "action": "submit",
        }
        start = time.perf_counter()
        response = client.post("/blog/write/", data)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 302 or response["Location"] != "/blog/my-posts/":
            raise SystemExit(f"submission answered {response.status_code}")
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=25)
    options = parser.parse_args()

    with throwaway_database() as engine:
        settings.BLOG_WRITE_RATE_LIMIT = "100000/60"
        members = UserFactory.create_batch(3)
        blog = BlogIndexPageFactory()
        room = RoomFactory(slug="general")
        stock = stock_wagtail_page()
        client = Client()
        member_client = Client()
        member_client.force_login(members[0])
        pages = {
            "stock Wagtail": stock,
            "home": "/",
            "blog index": "/blog/",
            "blog tag page": "/blog/?tag=tag3",
            "blog post": "/blog/cat-post-1/",
            "blog feed": "/blog/feed/",
            "blog tag feed": "/blog/tags/tag3/feed/",
            "my posts": "/blog/my-posts/",
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
                name: measure(
                    member_client if url.startswith("/blog/my-posts/") else client,
                    url,
                    options.repeat,
                )
                for name, url in pages.items()
            }

        print(f"Whiskers page benchmark on {engine}, {options.repeat} renders per page")
        print(
            f"{'page':<16}{'queries @' + str(options.small):>13}{'queries @' + str(options.large):>14}"
            f"{'p50 ms @' + str(options.small):>13}{'p50 ms @' + str(options.large):>14}{'p95 ms @' + str(options.large):>14}"
        )
        grew = []
        for name in pages:
            small_q, small_p50, _ = results[options.small][name]
            large_q, large_p50, large_p95 = results[options.large][name]
            if large_q != small_q:
                grew.append(name)
            print(
                f"{name:<16}{small_q:>13}{large_q:>14}{small_p50:>13.1f}{large_p50:>14.1f}{large_p95:>14.1f}"
            )
        print(
            "query counts constant as content grows"
            if not grew
            else f"QUERY COUNT GREW: {', '.join(grew)}"
        )
        submissions = submit_timings(member_client, options.repeat)
        print(
            f"send for review (new post, one request): p50 {statistics.median(submissions):.1f} ms, "
            f"p95 {percentile(submissions, 95):.1f} ms"
        )
    sys.exit(1 if grew else 0)


if __name__ == "__main__":
    main()
