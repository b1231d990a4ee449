"""`make run` keeps the site up when a process dies (config/supervisord.dev.conf).

Regression for the hardening issue: under honcho, `kill -9` of the task worker
stopped the web server too, and the site was down until restarted by hand.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, shared_database_url

pytestmark = pytest.mark.django_db


def process_table() -> dict[int, tuple[int, str]]:
    """{pid: (parent pid, command line)} of every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        table[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), command)
    return table


def descendants(pid: int) -> dict[int, str]:
    """{pid: command line} of every process below ``pid``."""
    table = process_table()
    found, parents = {}, {pid}
    while parents:
        below = {p: cmd for p, (ppid, cmd) in table.items() if ppid in parents}
        found.update(below)
        parents = set(below) - {pid}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def children(pid: int) -> dict[str, int]:
    """{"web": pid, "worker": pid} among supervisord's own child processes."""
    found = {}
    for child, (parent, command) in process_table().items():
        if parent != pid:
            continue
        if "runserver" in command:
            found["web"] = child
        elif "task_worker" in command:
            found["worker"] = child
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
    seen: dict[int, str] = {}
    try:
        wait_for(lambda: serving(port), what="the web server")
        seen.update(descendants(supervisor.pid))
        first = wait_for(
            lambda: children(supervisor.pid).get("worker"), what="the worker"
        )

        seen.update(descendants(supervisor.pid))
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

        seen.update(descendants(supervisor.pid))
        web = children(supervisor.pid)["web"]
        os.kill(web, signal.SIGKILL)
        wait_for(
            lambda: children(supervisor.pid).get("web") not in (None, web),
            what="a new web server",
        )
        wait_for(lambda: serving(port), what="the site back")
        seen.update(descendants(supervisor.pid))
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(30)
    # Nothing outlives a killed process or the stop: no orphan (an autoreloader's
    # child, say) keeps serving the port or taking jobs from the queue.
    survivors = {}
    for _ in range(50):
        survivors = {pid: cmd for pid, cmd in seen.items() if alive(pid)}
        if not survivors:
            break
        time.sleep(0.2)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == {}
    assert len(seen) >= 4  # two web servers and two workers at least


def test_make_run_on_another_port_points_links_there():
    """`PORT=9000 make run`: the demo data's printed bot command and the site's
    email links use that port, not 8000."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=9000"],  # noqa: S607 - make from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [
        line
        for line in result.stdout.splitlines()
        if "load_demo_data" in line or "supervisord --configuration" in line
    ]
    assert len(commands) == 2
    assert all("BASE_URL=http://127.0.0.1:9000 " in line for line in commands)
