"""Chat delivery benchmark on loopback: Daphne + Channels against a bare server.

    python benchmarks/chat.py [--clients 50] [--senders 5] [--rate 20] [--seconds 10] [--burst 200]

Starts what it measures, with production settings (DEBUG off; benchmarks/
chat_settings.py lifts only the per-member rate limits):

* bare: a plain `websockets` broadcast server (seq numbers, no database, no
  channel layer): the ceiling on this machine;
* memory: one Daphne process on the in-memory channel layer;
* redis: two Daphne processes on Redis (needs REDIS_URL), clients split between them.

For each, `clients` WebSocket clients join one room and `senders` of them post:
first paced (`rate` messages a second for `seconds`), then an unpaced burst of
`burst` messages. It prints p50/p99 delivery latency (send to receive, one clock),
deliveries per second (a delivery is one message reaching one client; Channels
sends the messages saved together in one frame, the bare server one frame each,
so it also prints messages a frame), live deliveries the channel layer dropped (which the
clients then fill from the API by seq, as the page does), and what is still lost
or duplicated after that (must be 0). Then the API: p50/p99 of POST, and of
?after= polling by 50 pollers while messages are posted.

Uses a throwaway database: SQLite, or PostgreSQL when DATABASE_URL is set
(test_<name>_chatbench, created and dropped). Exits 1 if anything is lost or
duplicated.
"""

import argparse
import asyncio
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.processes import free_port, wait_for_port  # noqa: E402

REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SECRET_KEY = secrets.token_urlsafe(64)
BENCH_ENV = {
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    # The in-memory phase is one process; the Redis phase sets REDIS_URL.
    "SINGLE_PROCESS": "true",
    "DATABASE_URL": DATABASE_URL or f"sqlite:///{ROOT / 'var' / 'chatbench.sqlite3'}",
    "CHAT_BENCH_TEST_DATABASE": (
        f"test_{DATABASE_URL.rsplit('/', 1)[-1]}_chatbench"
        if DATABASE_URL
        else str(ROOT / "var" / f"chatbench-{os.getpid()}.sqlite3")
    ),
}


# The bare server: run as `python benchmarks/chat.py --bare-server PORT`


async def bare_server(port: int) -> None:
    from websockets.asyncio.server import broadcast, serve

    rooms: dict[str, set] = {}
    seqs: dict[str, int] = {}

    async def handler(ws):
        path = ws.request.path  # one room per path, numbered from 1 like Room.last_seq
        clients = rooms.setdefault(path, set())
        clients.add(ws)
        hello = {"type": "hello", "last_seq": seqs.get(path, 0), "online": []}
        await ws.send(json.dumps(hello))
        try:
            async for raw in ws:
                frame = json.loads(raw)
                seqs[path] = seqs.get(path, 0) + 1
                message = {"seq": seqs[path], "body": frame["body"]}
                broadcast(clients, json.dumps({"type": "message", "message": message}))
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None):
        await asyncio.Future()


# Processes


@contextmanager
def servers(kind: str, count: int, redis_prefix: str = ""):
    env = {
        **os.environ,
        **BENCH_ENV,
        "DJANGO_SETTINGS_MODULE": "benchmarks.chat_settings",
        "DATABASE_URL": test_database_url(),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if kind == "redis":
        env.update(REDIS_URL=REDIS_URL, REDIS_PREFIX=redis_prefix)
    ports = [free_port() for _ in range(count)]
    if kind == "bare":
        commands = [[sys.executable, __file__, "--bare-server", str(p)] for p in ports]
    else:
        commands = [
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(p),
                "config.asgi:application",
            ]
            for p in ports
        ]
    # Server output goes to files, not pipes: a pipe nobody reads until the end
    # fills up (64 KB) and blocks the server mid-request.
    logs = [ROOT / "var" / f"chatbench-{kind}-{port}.log" for port in ports]
    processes = []
    for command, log in zip(commands, logs, strict=True):
        with log.open("w") as output:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and project
                    command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
                )
            )
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            lines = log.read_text(errors="replace").splitlines()
            dropped = [
                line for line in lines if "Dropped" in line or "over capacity" in line
            ]
            for line in dropped[:3]:
                print(f"    server log: {line.strip()}")
            print(f"    server log: {log.relative_to(ROOT)} ({len(lines)} lines)")


# The database: a throwaway test database with a room per phase and the members


def test_database_url() -> str:
    name = BENCH_ENV["CHAT_BENCH_TEST_DATABASE"]
    if not DATABASE_URL:
        return f"sqlite:///{name}"
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + quote(name)


def setup_django():
    os.environ.update(BENCH_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.chat_settings"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


class Fixtures:
    """Members with sessions (WebSocket senders) and tokens (API), and rooms."""

    def __init__(self, senders: int):
        from django.test import Client

        from rest_framework.authtoken.models import Token

        from accounts.models import User

        self.cookies, self.tokens = [], []
        for number in range(max(senders, 1)):
            user = User.objects.create_user(
                f"bench{number}", display_name=f"Bench cat {number}"
            )
            client = Client()
            client.force_login(user)
            self.cookies.append(f"sessionid={client.cookies['sessionid'].value}")
            self.tokens.append(Token.objects.create(user=user).key)
        admin = User.objects.create_user("benchadmin", is_staff=True, is_superuser=True)
        self.admin_token = Token.objects.create(user=admin).key

    @staticmethod
    def room(slug: str) -> str:
        from chat.models import Room

        Room.objects.create(name=slug, slug=slug)
        return slug


# WebSocket clients


class Listener:
    """One client: records each seq's latency; counts repeats."""

    def __init__(self, sent: dict):
        self.sent = sent
        self.latency: dict[int, float] = {}
        self.duplicates = 0
        self.last_at = 0.0
        self.filled = 0
        self.frames = 0  # message frames received (one may carry several)

    def on_frame(self, raw, now: float) -> None:
        frame = json.loads(raw)
        if frame["type"] == "message":
            self.frames += 1
            self.on_message(frame["message"], now)
        elif frame["type"] == "messages":  # several saved together
            self.frames += 1
            for message in frame["messages"]:
                self.on_message(message, now)

    def on_message(self, message: dict, now: float) -> None:
        seq = message["seq"]
        if seq in self.latency:
            self.duplicates += 1
            return
        sent_at = self.sent.get(message.get("body"))
        self.latency[seq] = (now - sent_at) * 1000 if sent_at else float("nan")
        self.last_at = now


async def run_phase(kind, ports, room, fixtures, clients, senders, messages, rate):
    """Connect, send ``messages`` (paced at ``rate``/s, or unpaced if rate is 0),
    wait for delivery, fill gaps from the API. Returns the figures."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    sent: dict[str, float] = {}
    listeners = [Listener(sent) for _ in range(clients)]
    sockets = []
    path = f"/ws/chat/{room}/"
    for number in range(clients):
        port = ports[number % len(ports)]
        headers = (
            [("Cookie", fixtures.cookies[number])]
            if number < senders and kind != "bare"
            else []
        )
        ws = await connect(
            f"ws://127.0.0.1:{port}{path}",
            origin=f"http://127.0.0.1:{port}",
            additional_headers=headers,
            compression=None,
            max_queue=None,
        )
        json.loads(await ws.recv())  # hello
        sockets.append(ws)

    async def read(ws, listener):
        try:
            async for raw in ws:
                listener.on_frame(raw, time.perf_counter())
        except ConnectionClosed:  # the end of the phase, or a server that dropped us
            return

    readers = [
        asyncio.create_task(read(ws, listener))
        for ws, listener in zip(sockets, listeners, strict=True)
    ]
    await asyncio.sleep(0.5)  # presence notices settle

    per_sender = messages // senders

    async def send(number):
        ws = sockets[number]
        interval = senders / rate if rate else 0
        start = time.perf_counter() + (interval * number / senders)
        for index in range(per_sender):
            if interval:
                await asyncio.sleep(
                    max(0.0, start + index * interval - time.perf_counter())
                )
            body = f"{room} sender {number} message {index}"
            sent[body] = time.perf_counter()
            await ws.send(json.dumps({"body": body}))

    first_send = time.perf_counter()
    await asyncio.gather(*(send(number) for number in range(senders)))
    total = per_sender * senders
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        done = sum(len(listener.latency) >= total for listener in listeners)
        quiet = all(
            time.perf_counter() - listener.last_at > 3 for listener in listeners
        )
        if done == clients or (quiet and time.perf_counter() - first_send > 5):
            break
        await asyncio.sleep(0.05)
    last_delivery = max(listener.last_at for listener in listeners)
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*readers)

    live = sum(len(listener.latency) for listener in listeners)
    dropped = clients * total - live
    if kind != "bare" and dropped:
        await asyncio.to_thread(fill_gaps, ports[0], room, listeners, total)
    lost = sum(
        total - len(set(listener.latency) & set(range(1, total + 1)))
        for listener in listeners
    )
    latencies = sorted(
        value
        for listener in listeners
        for value in listener.latency.values()
        if value == value
    )
    return {
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "per_second": live / (last_delivery - first_send)
        if last_delivery > first_send
        else 0,
        "expected": clients * total,
        "live": live,
        "dropped": dropped,
        "lost": lost,
        "duplicated": sum(listener.duplicates for listener in listeners),
        "per_frame": live / max(1, sum(listener.frames for listener in listeners)),
    }


def fill_gaps(port, room, listeners, total):
    """What the page does on a gap: GET ?after=<last seq before it> until filled."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for listener in listeners:
        missing = sorted(set(range(1, total + 1)) - set(listener.latency))
        while missing:
            connection.request(
                "GET",
                f"/api/chat/rooms/{room}/messages/?after={missing[0] - 1}&limit=100",
            )
            page = json.loads(connection.getresponse().read())
            for message in page["messages"]:
                if message["seq"] not in listener.latency:
                    listener.latency[message["seq"]] = float(
                        "nan"
                    )  # not live: no latency
                    listener.filled += 1
            missing = sorted(set(range(1, total + 1)) - set(listener.latency))
            if not page["messages"]:
                break
    connection.close()


# The API


def api_benchmark(port, fixtures, pollers=50, seconds=10.0, post_rate=5):
    room = Fixtures.room("bench-api")
    stop = time.perf_counter() + seconds
    post_times, poll_times, errors = [], [], []

    def poster():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Authorization": f"Token {fixtures.tokens[0]}",
            "Content-Type": "application/json",
        }
        number = 0
        while time.perf_counter() < stop:
            number += 1
            body = json.dumps({"body": f"api message {number}"})
            start = time.perf_counter()
            connection.request(
                "POST",
                f"/api/chat/rooms/{room}/messages/",
                body,
                {**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
            response = connection.getresponse()
            response.read()
            post_times.append((time.perf_counter() - start) * 1000)
            if response.status != 201:
                errors.append(response.status)
            time.sleep(max(0.0, 1 / post_rate - (time.perf_counter() - start)))

    def poller(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        after = 0
        time.sleep(number / pollers)  # spread over the second
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                connection.request(
                    "GET", f"/api/chat/rooms/{room}/messages/?after={after}"
                )
                response = connection.getresponse()
                page = json.loads(response.read())
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            poll_times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
            elif page["messages"]:
                after = page["messages"][-1]["seq"]
            time.sleep(max(0.0, 1.0 - (time.perf_counter() - start)))

    threads = [threading.Thread(target=poster)] + [
        threading.Thread(target=poller, args=(n,)) for n in range(pollers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    post_times.sort()
    poll_times.sort()
    return {
        "post_p50": statistics.median(post_times),
        "post_p99": post_times[int(len(post_times) * 0.99) - 1],
        "posts": len(post_times),
        "poll_p50": statistics.median(poll_times),
        "poll_p99": poll_times[int(len(poll_times) * 0.99) - 1],
        "polls": len(poll_times),
        "errors": errors,
    }


def server_metrics(port, token) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "GET", "/api/chat/metrics/", headers={"Authorization": f"Token {token}"}
    )
    return json.loads(connection.getresponse().read())


def clear_redis_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    for key in client.scan_iter(f":1:{prefix}*"):
        client.delete(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--only", choices=["bare", "memory", "redis"], action="append")
    parser.add_argument("--no-burst", action="store_true", help="paced phase only")
    parser.add_argument("--no-api", action="store_true", help="skip the API figures")
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.bare_server:
        asyncio.run(bare_server(options.bare_server))
        return 0

    setup_django()
    from django.db import connection

    kinds = options.only or ["bare", "memory", "redis"]
    if "redis" in kinds and not REDIS_URL:
        print("redis: skipped (set REDIS_URL to measure two Daphne processes on Redis)")
        kinds.remove("redis")
    (ROOT / "var").mkdir(exist_ok=True)
    print(f"Creating the throwaway database ({connection.vendor})…", flush=True)
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    connection.close()
    fixtures = Fixtures(options.senders)
    paced_messages = int(options.rate * options.seconds)
    rows, failed = [], False
    try:
        for kind in kinds:
            prefix = f"chatbench-{uuid.uuid4().hex[:8]}"
            count = 2 if kind == "redis" else 1
            with servers(kind, count, prefix) as ports:
                phases = [
                    ("paced", paced_messages, options.rate),
                    ("burst", options.burst, 0),
                ]
                for phase, messages, rate in phases[:1] if options.no_burst else phases:
                    room = f"bench-{kind}-{phase}"
                    if kind != "bare":
                        Fixtures.room(room)
                    result = asyncio.run(
                        run_phase(
                            kind,
                            ports,
                            room,
                            fixtures,
                            options.clients,
                            options.senders,
                            messages,
                            rate,
                        )
                    )
                    rows.append((kind, phase, result))
                    failed |= bool(result["lost"] or result["duplicated"])
                    print(
                        f"{kind:6} {phase:5} p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
                        f"{result['per_second']:7.0f} deliveries/s ({result['per_frame']:.1f} a frame)  live {result['live']}/{result['expected']}  "
                        f"dropped {result['dropped']}  lost {result['lost']}  duplicated {result['duplicated']}",
                        flush=True,
                    )
                if kind != "bare":
                    print(
                        f"       server counters: {server_metrics(ports[0], fixtures.admin_token)}"
                    )
                if kind == "memory" and not options.no_api:
                    api = api_benchmark(ports[0], fixtures, seconds=options.seconds)
                    print(
                        f"api    POST p50 {api['post_p50']:.1f} ms p99 {api['post_p99']:.1f} ms ({api['posts']} posts); "
                        f"?after= p50 {api['poll_p50']:.1f} ms p99 {api['poll_p99']:.1f} ms "
                        f"({api['polls']} polls by 50 pollers); errors {len(api['errors'])}",
                        flush=True,
                    )
                    failed |= bool(api["errors"])
            if kind == "redis":
                clear_redis_prefix(prefix)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)

    print()
    print(
        "| layer | phase | p50 ms | p99 ms | deliveries/s | messages a frame | dropped live (filled from API) | lost | duplicated |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, phase, r in rows:
        print(
            f"| {kind} | {phase} | {r['p50']:.1f} | {r['p99']:.1f} | {r['per_second']:.0f} | {r['per_frame']:.1f} | "
            f"{r['dropped']} | {r['lost']} | {r['duplicated']} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
