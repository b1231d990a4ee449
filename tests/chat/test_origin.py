"""chat.origin: WebSockets only from the site's own origins (scheme, host, port)."""

import pytest
from channels.testing import WebsocketCommunicator

from chat.origin import SiteOriginValidator, origin_allowed


def scope(origin=None, host="127.0.0.1:8000", scheme="ws", extra=()):
    headers = list(extra)
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if host is not None:
        headers.append((b"host", host.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.fixture(autouse=True)
def site(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", ".whiskers.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://chat.partner.example"]


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws"),
        ("http://localhost:8000", "localhost:8000", "ws"),
        ("http://[::1]:8000", "[::1]:8000", "ws"),
        ("https://whiskers.example", "whiskers.example", "wss"),
        ("https://whiskers.example:443", "whiskers.example", "wss"),
        ("https://www.whiskers.example", "www.whiskers.example", "wss"),
        ("HTTP://LOCALHOST:8000", "localhost:8000", "ws"),
        # CSRF_TRUSTED_ORIGINS, exactly: the escape hatch for other set-ups.
        ("https://chat.partner.example", "127.0.0.1:8000", "ws"),
    ],
)
def test_the_sites_own_origins_are_allowed(origin, host, scheme):
    assert origin_allowed(scope(origin, host, scheme))


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        # Found by trying: the host matched, so any port or scheme passed.
        ("http://127.0.0.1:9999", "127.0.0.1:8000", "ws"),
        ("https://127.0.0.1:8000", "127.0.0.1:8000", "ws"),
        ("http://whiskers.example", "whiskers.example", "wss"),
        ("http://localhost:8000", "127.0.0.1:8000", "ws"),
        ("https://evil.example", "evil.example", "wss"),  # not in ALLOWED_HOSTS
        ("https://evil.example", "whiskers.example", "wss"),
        ("null", "127.0.0.1:8000", "ws"),
        ("", "127.0.0.1:8000", "ws"),
        (None, "127.0.0.1:8000", "ws"),
        ("http://127.0.0.1:8000", None, "ws"),
        ("http://127.0.0.1:8000/path", "127.0.0.1:8000", "ws"),
        ("http://user@127.0.0.1:8000", "127.0.0.1:8000", "ws"),
        ("http://127.0.0.1:99999", "127.0.0.1:99999", "ws"),
        ("ftp://127.0.0.1:8000", "127.0.0.1:8000", "ws"),
        ("http://127.0.0.1:8000\x00", "127.0.0.1:8000", "ws"),
        ("https://chat.partner.example:8443", "127.0.0.1:8000", "ws"),
    ],
)
def test_other_origins_are_refused(origin, host, scheme):
    assert not origin_allowed(scope(origin, host, scheme))


def test_two_origin_headers_are_refused():
    assert not origin_allowed(
        scope(
            "http://127.0.0.1:8000",
            extra=[(b"origin", b"http://127.0.0.1:9999")],
        )
    )


async def test_a_refused_origin_is_closed_before_the_handshake_completes():
    async def app(scope, receive, send):
        raise AssertionError("the application must not be reached")

    communicator = WebsocketCommunicator(
        SiteOriginValidator(app),
        "/ws/chat/general/",
        headers=[(b"origin", b"http://127.0.0.1:9999"), (b"host", b"127.0.0.1:8000")],
    )
    connected, _ = await communicator.connect()
    assert connected is False  # closed before accept: Daphne answers HTTP 403


def test_behind_trusted_proxies_the_forwarded_scheme_counts(settings):
    """TLS ends at our proxy: daphne sees ws://, the page is https://."""
    proxied = scope(
        "https://whiskers.example",
        "whiskers.example",
        "ws",
        [(b"x-forwarded-proto", b"https")],
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert not origin_allowed(proxied)  # no proxy trusted: the header is the client's
    settings.TRUSTED_PROXY_COUNT = 1
    assert origin_allowed(proxied)
    spoofed = scope(
        "http://whiskers.example",
        "whiskers.example",
        "ws",
        [(b"x-forwarded-proto", b"https")],
    )
    assert not origin_allowed(spoofed)
