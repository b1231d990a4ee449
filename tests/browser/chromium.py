"""Debian's Chromium, launched the one way this project launches it (never a
downloaded browser). Shared by the browser tests and scripts/screenshots.py."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
