"""Running the project's own Python in a fresh interpreter, as a deploy would."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def run_python(
    *args: str, scrub: set[str] = frozenset(), **env: str
) -> subprocess.CompletedProcess:
    """`python <args>` in the project folder, with this environment minus `scrub`,
    plus `env`; output captured as text."""
    environ = {name: value for name, value in os.environ.items() if name not in scrub}
    environ.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (as of now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``process`` listens on ``port``; RuntimeError with its output if it
    exits first or takes longer than ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout or process.stderr
            raise RuntimeError(
                f"the server on {port} exited: {output and output.read()}"
            )
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


@contextmanager
def live_daphne(tmp_path: Path, **env: str):
    """A Daphne serving config.asgi on a free loopback port, with its own SQLite
    file; yields the port."""
    port = free_port()
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        **env,
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "daphne", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, server, timeout=30)
        yield port
    finally:
        server.terminate()
        server.wait(10)


def shared_database_url() -> str:
    """A DATABASE_URL for the test database, so another process can share it."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
