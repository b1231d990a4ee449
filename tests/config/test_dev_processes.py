"""`make run` keeps the site up when a process dies (config/supervisord.dev.conf).

Regression for the hardening issue: under honcho, `kill -9` of the task worker
stopped the web server too, and the site was down until restarted by hand.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import ROOT, shared_database_url

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> dict[str, int]:
    """{"web": pid, "worker": pid} among supervisord's child processes."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent != pid:
            continue
        if "runserver" in command:
            found["web"] = int(entry.name)
        elif "task_worker" in command:
            found["worker"] = int(entry.name)
    return found


def wait_for(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz/", timeout=2
        ) as response:
            return response.status == 200
    except OSError:
        return False


def test_a_killed_worker_or_web_server_is_restarted_and_the_site_stays_up(tmp_path):
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOST": "127.0.0.1",
        "WEB_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": shared_database_url(),
        "MEDIA_ROOT": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    supervisor = subprocess.Popen(  # noqa: S603 - our own tools
        [f"{bin_dir}/supervisord", "--configuration", "config/supervisord.dev.conf"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: serving(port), what="the web server")
        first = wait_for(
            lambda: children(supervisor.pid).get("worker"), what="the worker"
        )

        os.kill(first, signal.SIGKILL)

        assert serving(port)
        second = wait_for(
            lambda: (
                (pid := children(supervisor.pid).get("worker")) not in (None, first)
                and pid
            ),
            what="a new worker",
        )
        assert second != first
        assert serving(port)

        web = children(supervisor.pid)["web"]
        os.kill(web, signal.SIGKILL)
        wait_for(
            lambda: children(supervisor.pid).get("web") not in (None, web),
            what="a new web server",
        )
        wait_for(lambda: serving(port), what="the site back")
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(30)
    assert children(supervisor.pid) == {}
