"""Per-member (or per-address) rate limits in the cache, as a sliding window.

A fixed window lets twice the limit through across its boundary; this keeps a
counter for the current and the previous window and weighs the previous one by
how much of it still overlaps the last `seconds`, the "sliding window counter"
that Cloudflare and nginx describe. The cache is Redis in production, so the
limit holds across processes; increments are atomic there.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, value) -> "Rate":
        """A Rate from (count, seconds) or "count/seconds"."""
        if isinstance(value, str):
            count, _, seconds = value.partition("/")
            return cls(int(count), int(seconds))
        count, seconds = value
        return cls(int(count), int(seconds))

    def describe(self) -> str:
        if self.seconds % 3600 == 0:
            span = (
                "an hour" if self.seconds == 3600 else f"{self.seconds // 3600} hours"
            )
        elif self.seconds % 60 == 0:
            span = "a minute" if self.seconds == 60 else f"{self.seconds // 60} minutes"
        else:
            span = f"{self.seconds} seconds"
        joiner = " " if span.startswith("a") else " every "
        return f"{self.count}{joiner}{span}"


class RateLimited(Exception):
    """Over the limit; retry_after is how many seconds to wait."""

    def __init__(self, rate: Rate, retry_after: int):
        self.rate = rate
        self.retry_after = max(1, retry_after)
        super().__init__(
            f"More than {rate.describe()}; try again in {self.retry_after} s."
        )

    @property
    def wait_in_words(self) -> str:
        if self.retry_after < 90:
            return f"{self.retry_after} seconds"
        return f"{math.ceil(self.retry_after / 60)} minutes"


def hit(scope: str, key, rate: Rate, *, now: float | None = None) -> None:
    """Count one action for ``key`` in ``scope``; raise RateLimited if it is one
    too many (and then it does not count)."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    elapsed = (now % rate.seconds) / rate.seconds
    current_key = f"ratelimit:{scope}:{key}:{window}"
    previous = cache.get(f"ratelimit:{scope}:{key}:{window - 1}", 0)
    cache.add(current_key, 0, timeout=rate.seconds * 2 + 1)
    try:
        current = cache.incr(current_key)
    except ValueError:  # expired between add and incr
        cache.set(current_key, 1, timeout=rate.seconds * 2 + 1)
        current = 1
    weighted = previous * (1 - elapsed) + current
    if weighted > rate.count:
        cache.decr(current_key)
        # When will the weighted count drop below the limit, as the previous
        # window slides out (or, failing that, at the end of this one)?
        room = rate.count - current  # left once the previous window has slid out
        if previous and room >= 0:
            wait = (1 - elapsed - room / previous) * rate.seconds
        else:
            wait = (1 - elapsed) * rate.seconds
        raise RateLimited(rate, math.ceil(max(wait, 1)))
