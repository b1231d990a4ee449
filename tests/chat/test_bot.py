"""scripts/chat_bot.py against a live server, and against a flaky one."""

import json
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.authtoken.models import Token

from chat.models import Message
from tests.factories.chat import RoomFactory
from tests.processes import ROOT

BOT = str(ROOT / "scripts" / "chat_bot.py")


def bot(*args: str, token: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, BOT, *args],
        env={"WHISKERS_TOKEN": token, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_bot_posts_every_n_seconds(live_server, member):
    RoomFactory(slug="general")
    token = Token.objects.create(user=member)
    started = time.monotonic()

    process = bot(
        "--url", live_server.url, "--room", "general", "--every", "0.5",
        "--count", "3", "--message", "Feeding time {n}", token=token.key,
    )  # fmt: skip
    output, _ = process.communicate(timeout=60)

    assert process.returncode == 0, output
    assert time.monotonic() - started >= 1.0  # two waits of 0.5 s
    assert list(Message.objects.order_by("seq").values_list("seq", "body")) == [
        (1, "Feeding time 1"),
        (2, "Feeding time 2"),
        (3, "Feeding time 3"),
    ]
    assert "posted #3 in general: Feeding time 3" in output


@pytest.mark.django_db(transaction=True)
def test_a_bad_token_stops_the_bot_with_the_reason(live_server):
    RoomFactory(slug="general")
    process = bot(
        "--url", live_server.url, "--room", "general", "--every", "1",
        "--message", "hi", token="not-a-token",
    )  # fmt: skip
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "Invalid token. (HTTP 401)" in output
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_stops_the_bot_cleanly(live_server, member):
    RoomFactory(slug="general")
    token = Token.objects.create(user=member)
    process = bot(
        "--url", live_server.url, "--room", "general", "--every", "60",
        "--message", "tick", token=token.key,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not Message.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Message.objects.count() == 1

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)

    assert process.returncode == 0
    assert output.rstrip().endswith("INFO stopped")
    assert "Traceback" not in output


class FlakyAPI(BaseHTTPRequestHandler):
    """503, then 429 with Retry-After, then 201: what a bot meets on a bad day."""

    answers = [
        (503, {"error": "Down for a moment", "code": "unavailable"}, {}),
        (429, {"error": "Slow down", "code": "rate_limited"}, {"Retry-After": "1"}),
        (201, {"seq": 7, "body": "Feeding time"}, {}),
    ]
    seen: list

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.seen.append(
            (
                self.path,
                self.headers["Idempotency-Key"],
                self.headers["Authorization"],
                json.loads(self.rfile.read(length)),
            )
        )
        status, data, headers = self.answers[len(self.seen) - 1]
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def test_retries_keep_the_idempotency_key_and_honour_retry_after():
    FlakyAPI.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        process = bot(
            "--url", url, "--room", "general", "--every", "1", "--count", "1",
            "--message", "Feeding time", token="abc123",
        )  # fmt: skip
        output, _ = process.communicate(timeout=60)
    finally:
        server.shutdown()

    assert process.returncode == 0, output
    assert len(FlakyAPI.seen) == 3
    paths, keys, auths, bodies = zip(*FlakyAPI.seen, strict=True)
    assert set(paths) == {"/api/chat/rooms/general/messages/"}
    assert len(set(keys)) == 1 and keys[0]  # one key for every try
    assert set(auths) == {"Token abc123"}
    assert {json.dumps(body) for body in bodies} == {'{"body": "Feeding time"}'}
    assert "Down for a moment; retrying" in output
    assert "rate limited: Slow down; waiting 1 s as the server asks" in output
    assert "posted #7 in general" in output
