"""Playwright driving Debian's Chromium for user-journey tests.

Without Chromium the browser tests skip with a visible reason — unless ``REQUIRE_BROWSER=1``
(set by CI), in which case they fail: CI must run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
# Flags for a sandboxed, offline machine: no first-run, no background traffic to Google.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


def wait_for_path(page, path: str) -> None:
    """Wait until the page shows exactly ``path`` (a glob like "**/" also matches "/masuk/")."""
    from urllib.parse import urlparse

    page.wait_for_url(lambda url: urlparse(url).path == path)
