"""The client's address, from the peer address and only as many proxies as we trust.

Behind N reverse proxies that each append to X-Forwarded-For, the client's address
is the N-th entry from the right: everything left of it was written by the client
and can be anything. With TRUSTED_PROXY_COUNT = 0 (the default) proxy headers are
ignored and the peer address is the client. Every rate limit and log line uses this
one function: allauth's login limits (accounts.adapter), chat, uploads, comments.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def resolve_client_ip(
    peer: str | None, forwarded_for: str | None, trusted_proxies: int
) -> str:
    """The client address from the peer (REMOTE_ADDR) and X-Forwarded-For."""
    if trusted_proxies > 0 and forwarded_for:
        hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            # Fewer hops than proxies: the request skipped an outer proxy, so the
            # leftmost address is the furthest one a proxy of ours recorded.
            chosen = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
            address = _valid(chosen)
            if address:
                return address
    return _valid(peer or "") or "0.0.0.0"  # noqa: S104 - an unknown address, never bound


def client_ip(request) -> str:
    """The client address of a Django request."""
    return resolve_client_ip(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXY_COUNT,
    )


def scope_client_ip(scope: dict) -> str:
    """The client address of an ASGI (Channels) connection scope."""
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers") or []
    forwarded = b",".join(
        value for name, value in headers if name.lower() == b"x-forwarded-for"
    )
    peer = (scope.get("client") or [None])[0]
    return resolve_client_ip(
        peer, forwarded.decode("latin-1"), settings.TRUSTED_PROXY_COUNT
    )
