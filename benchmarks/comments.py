"""Queries and render time of a post with a few and with many threaded comments.

    python benchmarks/comments.py [--small 10] [--large 500] [--repeat 25]

A post's page, for a reader and for a signed-in member (who sees their likes and
flags), with `small` then `large` comments in threads three levels deep, some
liked and flagged. The query count must not grow with the comments; the p50 is
printed beside a stock Wagtail page measured in the same run.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import (
    measure,
    setup_django,
    stock_wagtail_page,
    throwaway_database,
)

setup_django()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from comments import services  # noqa: E402
from tests.factories.accounts import UserFactory  # noqa: E402
from tests.factories.blog import BlogIndexPageFactory, BlogPageFactory  # noqa: E402


def grow(post, members, target: int, have: int) -> None:
    """Threads of up to three levels: a comment, a reply, a reply to that."""
    parents = []
    for number in range(have, target):
        author = members[number % len(members)]
        parent = parents[-1] if parents and number % 3 else None
        comment = services.post_comment(
            author,
            post,
            f"Comment number {number} about cats",
            parent_id=parent.pk if parent else None,
        )
        parents = [*parents, comment] if comment.level < 2 else []
        if number % 4 == 0:
            services.toggle_like(members[(number + 1) % len(members)], comment.pk)
        if number % 25 == 0:
            services.flag(members[(number + 2) % len(members)], comment.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=25)
    options = parser.parse_args()

    with throwaway_database() as engine:
        settings.COMMENTS_RATE_LIMIT = "1000000/60"
        settings.COMMENTS_DUPLICATE_SECONDS = 0
        members = UserFactory.create_batch(4)
        post = BlogPageFactory(
            parent=BlogIndexPageFactory(), title="Much discussed", slug="much-discussed"
        )
        stock = stock_wagtail_page()
        reader, member = Client(), Client()
        member.force_login(members[0])
        results, have = {}, 0
        for size in (options.small, options.large):
            grow(post, members, size, have)
            have = size
            results[size] = {
                "stock Wagtail page": measure(reader, stock, options.repeat),
                "post, reader": measure(reader, post.url, options.repeat),
                "post, member": measure(member, post.url, options.repeat),
            }
        print(f"Comments benchmark on {engine}, {options.repeat} renders per page")
        print(f"{'page':<20}{'comments':>9}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}")
        grew = False
        for size in (options.small, options.large):
            for name, (queries, p50, p95) in results[size].items():
                print(f"{name:<20}{size:>9}{queries:>9}{p50:>9.1f}{p95:>9.1f}")
        for name in results[options.small]:
            grew = (
                grew
                or results[options.small][name][0] != results[options.large][name][0]
            )
        print(
            "query counts constant as comments grow" if not grew else "QUERY COUNT GREW"
        )
    sys.exit(1 if grew else 0)


if __name__ == "__main__":
    main()
