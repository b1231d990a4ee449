"""A cap on the size of request bodies, applied before Django reads them.

Django's ASGI handler reads a whole request body (into memory or a temporary
file) before any view or middleware can look at it, so an upload limit checked
in a form comes after the work. This ASGI middleware sits in front: a
Content-Length over the limit for the path is answered 413 at once, and a body
sent without one (chunked) is counted as it arrives and refused as soon as it
passes the limit. Limits are per path prefix (REQUEST_BODY_LIMITS, the longest
prefix wins) with REQUEST_MAX_BODY_BYTES for everything else.

The reverse proxy should refuse the same sizes before the body crosses the
network (nginx: client_max_body_size), as the README's production section shows.
"""

import io
import json
from urllib.parse import unquote

from django.conf import settings
from django.template.defaultfilters import filesizeformat


class BodyTooLarge(Exception):
    pass


def body_limit_for(path: str) -> int:
    limits = settings.REQUEST_BODY_LIMITS
    matches = [prefix for prefix in limits if path.startswith(prefix)]
    return limits[max(matches, key=len)] if matches else settings.REQUEST_MAX_BODY_BYTES


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value
    return None


async def _refuse(scope, send, status: int, message: str) -> None:
    accept = (_header(scope, b"accept") or b"").decode("latin-1")
    if "json" in accept or _header(scope, b"hx-request"):
        body, content_type = (
            json.dumps({"error": message}).encode(),
            b"application/json",
        )
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return (
        f"That request is too large: at most {filesizeformat(limit)} can be sent here."
    )


class RequestBodyLimitMiddleware:
    """ASGI middleware: 413 for request bodies over the limit of their path."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = body_limit_for(scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                return await _refuse(
                    scope, send, 400, "Content-Length is not a number."
                )
            if length > limit:
                return await _refuse(scope, send, 413, _too_large(limit))
            return await self.app(scope, receive, send)

        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, send, 413, _too_large(limit))


def install_daphne_early_refusal() -> None:
    """Refuse an over-long Content-Length in Daphne before the body is received.

    Daphne (Twisted) receives a whole request body before it hands the request
    to the ASGI application, so the middleware above saves Django the work but
    not the network read. Twisted tells the request its declared length as soon
    as the headers are in (Request.gotLength): there, a length over the path's
    limit is answered 413 and the connection closed, unread. Idempotent; a no-op
    where Daphne is not installed. tests/config/test_limits.py holds a live
    Daphne to it, so a Daphne upgrade that changes this hook fails the tests.
    """
    try:
        from daphne.http_protocol import WebRequest
    except ImportError:  # pragma: no cover - another ASGI server
        return
    if getattr(WebRequest, "whiskers_early_refusal", False):
        return
    original = WebRequest.gotLength

    def gotLength(self, length):
        raw_path = getattr(self.channel, "_path", b"") or b""
        path = unquote(raw_path.split(b"?", 1)[0].decode("latin-1"))
        limit = body_limit_for(path)
        if length is not None and length > limit:
            self.content = io.BytesIO()
            body = _too_large(limit).encode()
            self.channel.transport.write(
                b"HTTP/1.1 413 Content Too Large\r\n"
                b"Content-Type: text/plain; charset=utf-8\r\n"
                + f"Content-Length: {len(body)}\r\n".encode()
                + b"Connection: close\r\n\r\n"
                + body
            )
            self.channel.transport.loseConnection()
            return
        original(self, length)

    WebRequest.gotLength = gotLength
    WebRequest.whiskers_early_refusal = True
