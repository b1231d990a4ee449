"""Request bodies over the limit of their path are refused before Django reads them.

Regression for the hardening issue: a 100 MB multipart POST to /accounts/profile/
was read in full before the 5 MB avatar check answered.
"""

import json
import socket

import pytest

from config.limits import RequestBodyLimitMiddleware, body_limit_for
from tests.processes import live_daphne

MB = 1024 * 1024


class App:
    """A stand-in for Django's ASGI handler: reads the whole body, then answers."""

    def __init__(self):
        self.called = False
        self.body = b""

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def call(path, chunks, headers=(), app=None):
    app = app or App()
    sent, queue = [], list(chunks)

    async def receive():
        body = queue.pop(0) if queue else b""
        return {"type": "http.request", "body": body, "more_body": bool(queue)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "POST", "headers": list(headers)}
    await RequestBodyLimitMiddleware(app)(scope, receive, send)
    status = sent[0]["status"]
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return status, body, app


def test_limits_by_path(settings):
    settings.REQUEST_MAX_BODY_BYTES = 3 * MB
    settings.REQUEST_BODY_LIMITS = {"/admin/": 16 * MB, "/admin/small/": 1 * MB}
    assert body_limit_for("/blog/") == 3 * MB
    assert body_limit_for("/admin/images/") == 16 * MB
    assert body_limit_for("/admin/small/x/") == 1 * MB


async def test_a_declared_length_over_the_limit_is_refused_unread(settings):
    settings.REQUEST_BODY_LIMITS = {"/accounts/profile/": 6 * MB}
    status, body, app = await call(
        "/accounts/profile/", [b"x" * 10], [(b"content-length", str(100 * MB).encode())]
    )
    assert status == 413
    assert "at most 6.0\xa0MB" in body.decode()
    assert not app.called


async def test_a_json_client_gets_a_json_error(settings):
    settings.REQUEST_MAX_BODY_BYTES = 10
    status, body, _ = await call(
        "/api/x/",
        [b"{}"],
        [(b"content-length", b"11"), (b"accept", b"application/json")],
    )
    assert status == 413
    assert "too large" in json.loads(body)["error"]


async def test_a_body_within_the_limit_reaches_the_app(settings):
    settings.REQUEST_MAX_BODY_BYTES = 100
    status, body, app = await call(
        "/x/", [b"a" * 60, b"b" * 40], [(b"content-length", b"100")]
    )
    assert (status, body) == (200, b"ok")
    assert app.body == b"a" * 60 + b"b" * 40


async def test_a_chunked_body_is_cut_off_as_soon_as_it_passes_the_limit(settings):
    settings.REQUEST_MAX_BODY_BYTES = 100
    chunks = [b"x" * 60, b"x" * 60, b"x" * 60]
    status, _, app = await call("/x/", chunks)
    assert status == 413
    assert app.called and len(app.body) == 60  # the second chunk never got in


@pytest.mark.parametrize("value", [b"lots", b"-1x", b""])
async def test_a_malformed_content_length_is_a_400(settings, value):
    status, _, app = await call("/x/", [b""], [(b"content-length", value)])
    assert status == 400
    assert not app.called


@pytest.mark.django_db
def test_the_asgi_application_applies_the_limit():
    from config import asgi

    router = asgi.application.application_mapping["http"]
    assert isinstance(router, RequestBodyLimitMiddleware)


def test_daphne_refuses_a_long_body_from_its_headers_alone(tmp_path):
    """Only the headers and 1 MB of a declared 100 MB body are sent: the answer
    must come without waiting for the rest."""
    with (
        live_daphne(tmp_path) as port,
        socket.create_connection(("127.0.0.1", port)) as sock,
    ):
        sock.settimeout(20)
        sock.sendall(
            b"POST /accounts/profile/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {100 * MB}\r\n\r\n".encode()
            + b"x" * MB
        )
        response = sock.recv(4096).decode()
    assert response.startswith("HTTP/1.1 413")
    assert "at most 6.0\xa0MB can be sent here" in response


def test_daphne_still_serves_bodies_within_the_limit(tmp_path):
    with (
        live_daphne(tmp_path) as port,
        socket.create_connection(("127.0.0.1", port)) as sock,
    ):
        sock.settimeout(20)
        body = b"csp-report=x"
        sock.sendall(
            b"POST /csp-report/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        response = sock.recv(4096).decode()
    assert response.startswith("HTTP/1.1 415")
