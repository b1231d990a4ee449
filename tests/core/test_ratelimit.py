"""The sliding-window rate limit: never twice the limit across a window boundary."""

import pytest

from core.ratelimit import Rate, RateLimited, hit

RATE = Rate(10, 10)


def allowed(times, rate=RATE, key="member") -> int:
    count = 0
    for moment in times:
        try:
            hit("test", key, rate, now=moment)
            count += 1
        except RateLimited:
            pass
    return count


def test_the_limit_holds_inside_a_window():
    assert allowed([1000 + i * 0.1 for i in range(15)]) == 10


def test_the_limit_holds_across_a_window_boundary():
    """A fixed window let 20 through in 1.3 s here (10 at the end of one window,
    10 at the start of the next)."""
    burst = [1009.0 + i * 0.01 for i in range(10)] + [
        1010.0 + i * 0.03 for i in range(10)
    ]
    assert allowed(burst) <= 11


def test_capacity_comes_back_as_the_window_slides():
    assert allowed([1000 + i * 0.1 for i in range(10)]) == 10
    assert allowed([1005.0]) == 0
    assert allowed([1019.5]) >= 1


def test_keys_and_scopes_are_separate():
    assert allowed([1000.0] * 10, key="a") == 10
    assert allowed([1000.0] * 10, key="b") == 10


def test_refusal_says_how_long_to_wait():
    for _ in range(10):
        hit("test", "x", RATE, now=2000.0)
    with pytest.raises(RateLimited) as refused:
        hit("test", "x", RATE, now=2001.0)
    assert 1 <= refused.value.retry_after <= 10
    assert refused.value.rate.describe() == "10 every 10 seconds"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ((5, 60), "5 a minute"),
        ("20/3600", "20 an hour"),
        ((3, 7200), "3 every 2 hours"),
    ],
)
def test_rates_parse_and_describe(value, words):
    assert Rate.parse(value).describe() == words
