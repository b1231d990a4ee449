"""Running the project's own Python in a fresh interpreter, as a deploy would."""

import os
import subprocess
import sys
from pathlib import Path

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
