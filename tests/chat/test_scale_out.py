"""Two Daphne processes on the real Redis, as production runs several: a message
posted through one reaches a WebSocket client on the other, and both see the
same members online (presence lives in the Redis cache, not in a process).

Runs in the PostgreSQL + Redis pass of .ci/run, which sets REDIS_URL.
"""

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.test import Client

import pytest
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect

from tests.factories.chat import RoomFactory
from tests.processes import ROOT, free_port, shared_database_url, wait_for_port

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL,
        reason="needs REDIS_URL (the PostgreSQL + Redis pass of .ci/run sets it)",
    ),
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def daphne_servers(count: int):
    """``count`` Daphne processes on one database and one Redis (a fresh prefix,
    so the cache and channel layer are this test's own)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        # The test's key, so the servers read the sessions the test signed.
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": f"test-scale-{uuid.uuid4().hex[:8]}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and project
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def post_json(url: str, data: dict, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        data=json.dumps(data).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.load(response)


async def next_frame(ws, kind: str, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == kind:
                return frame


def test_two_processes_share_messages_and_presence(member, other_member):
    RoomFactory(name="General", slug="general")
    token = Token.objects.create(user=member)
    cookies = {}
    for user in (member, other_member):
        client = Client()
        client.force_login(user)
        cookies[user.username] = f"sessionid={client.cookies['sessionid'].value}"

    async def scenario(port_a: int, port_b: int) -> None:
        def socket_to(port, username=None):
            headers = [("Cookie", cookies[username])] if username else []
            return connect(
                f"ws://127.0.0.1:{port}/ws/chat/general/",
                origin=f"http://127.0.0.1:{port}",
                additional_headers=headers,
            )

        async with (
            socket_to(port_b) as visitor_b,
            socket_to(port_a, "wendy") as wendy_a,
            socket_to(port_b, "percy") as percy_b,
        ):
            for ws in (visitor_b, wendy_a, percy_b):
                assert (await next_frame(ws, "hello"))["last_seq"] == 0

            # Presence: the visitor on B hears of Wendy (on A) and Percy (on B).
            names = set()
            while names != {"Wendy Whiskerfan", "Percy Purrfect"}:
                frame = await next_frame(visitor_b, "presence")
                names = {member["name"] for member in frame["online"]}
            urls = [
                f"http://127.0.0.1:{port}/api/chat/rooms/general/presence/"
                for port in (port_a, port_b)
            ]
            on_a, on_b = await asyncio.gather(
                *(asyncio.to_thread(get_json, url) for url in urls)
            )
            assert on_a == on_b
            assert {m["name"] for m in on_a["online"]} == names

            # Posted through the API on A: live on B.
            status, posted = await asyncio.to_thread(
                post_json,
                f"http://127.0.0.1:{port_a}/api/chat/rooms/general/messages/",
                {"body": "Hello from process A"},
                token.key,
            )
            assert status == 201
            for ws in (visitor_b, percy_b, wendy_a):
                message = (await next_frame(ws, "message"))["message"]
                assert (message["seq"], message["body"]) == (1, "Hello from process A")
                assert message == posted

            # Posted over the socket on B: live on A.
            await percy_b.send(json.dumps({"body": "And back from B"}))
            message = (await next_frame(wendy_a, "message"))["message"]
            assert (message["seq"], message["author"]) == (2, "Percy Purrfect")

            # Percy leaves B: A's presence says so.
            await percy_b.close()
            while names != {"Wendy Whiskerfan"}:
                frame = await next_frame(wendy_a, "presence")
                names = {member["name"] for member in frame["online"]}
            on_a = await asyncio.to_thread(get_json, urls[0])
            assert [m["name"] for m in on_a["online"]] == ["Wendy Whiskerfan"]

    with daphne_servers(2) as (port_a, port_b):
        asyncio.run(scenario(port_a, port_b))
