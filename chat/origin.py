"""Which pages may open the site's WebSockets: the site's own origins only.

A browser sends every WebSocket handshake with the page's Origin and with the
site's cookies, whichever page opened it, so the Origin is what stops another
site (or another app on the same host, on another port) from chatting as the
signed-in member. Channels' AllowedHostsOriginValidator compares only the host
name, so http://127.0.0.1:9999 passed for a site on https://127.0.0.1:8000.

An Origin is allowed when it is, exactly (scheme, host and port):

* the origin the handshake was made to: scheme http for ws:// and https for
  wss:// (behind TRUSTED_PROXY_COUNT proxies of ours, the scheme their
  X-Forwarded-Proto gives, as SECURE_PROXY_SSL_HEADER does for HTTP; daphne runs
  without --proxy-headers, see core/client_ip.py), the host and port of the
  request's Host header, and that host is in ALLOWED_HOSTS (Django's own
  matching: ".example.com", "*");
* or listed in CSRF_TRUSTED_ORIGINS (exact entries, e.g. a site reached through
  another origin, or a proxy that can't pass the scheme).

No Origin, several, "null", or anything else is refused with HTTP 403 at the
handshake (only a page of another origin or a non-browser client gets there).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from channels.security.websocket import WebsocketDenier

DEFAULT_PORTS = {"http": 80, "https": 443}
PAGE_SCHEMES = {"ws": "http", "wss": "https"}


def _origin_tuple(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin like https://example.com:8443."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path
        or parts.query
        or parts.fragment
    ):
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key.lower() == name]
    if len(values) != 1:
        return None
    return values[0].decode("latin-1")


def _page_scheme(scope) -> str | None:
    """http or https: the scheme of the page that may open this socket."""
    if settings.TRUSTED_PROXY_COUNT > 0:
        forwarded = (
            (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip().lower()
        )
        if forwarded in DEFAULT_PORTS:
            return forwarded
    return PAGE_SCHEMES.get(scope.get("scheme", "ws"))


def origin_allowed(scope) -> bool:
    origin = _header(scope, b"origin")
    if not origin:
        return False
    trusted = {entry.rstrip("/").lower() for entry in settings.CSRF_TRUSTED_ORIGINS}
    if origin.lower() in trusted:
        return True
    parsed = _origin_tuple(origin.lower())
    host = _header(scope, b"host")
    scheme = _page_scheme(scope)
    if parsed is None or not host or scheme is None:
        return False
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    return parsed == _origin_tuple(f"{scheme}://{host.lower()}")


class SiteOriginValidator:
    """ASGI middleware: WebSocket handshakes from other origins get HTTP 403."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
