"""The client address comes only from as many proxies as we trust."""

import pytest

from core.client_ip import client_ip, resolve_client_ip, scope_client_ip


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        # No trusted proxy: whatever the client writes in X-Forwarded-For is ignored.
        ("203.0.113.9", "1.2.3.4", 0, "203.0.113.9"),
        ("203.0.113.9", None, 0, "203.0.113.9"),
        # One proxy (it appended the client's address last).
        ("10.0.0.2", "1.2.3.4, 198.51.100.7", 1, "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7", 1, "198.51.100.7"),
        # Two proxies: the second from the right.
        ("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1", 2, "198.51.100.7"),
        # Fewer hops than proxies: the leftmost one a proxy recorded.
        ("10.0.0.2", "198.51.100.7", 2, "198.51.100.7"),
        # Garbage in the header falls back to the peer.
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        ("10.0.0.2", " , ", 1, "10.0.0.2"),
        ("2001:db8::1", None, 0, "2001:db8::1"),
        (None, None, 0, "0.0.0.0"),  # noqa: S104 - an unknown address
    ],
)
def test_resolve_client_ip(peer, forwarded, trusted, expected):
    assert resolve_client_ip(peer, forwarded, trusted) == expected


def test_request_and_scope_agree(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    scope = {
        "client": ("10.0.0.2", 5555),
        "headers": [(b"x-forwarded-for", b"6.6.6.6, 198.51.100.7")],
    }
    assert client_ip(request) == scope_client_ip(scope) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == scope_client_ip(scope) == "10.0.0.2"
