"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright for Python.

`playwright install` would download a browser of its own, which this project does not rely on
(scripts/setup installs Debian's as root); without it the browser tests skip.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # root has no sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # no calls home: this network refuses them
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    f"Debian's Chromium is not installed ({CHROMIUM} is missing): run scripts/setup as root, "
    "or apt-get install --no-install-recommends chromium"
)
