"""Playwright driving Debian's Chromium for user-journey tests.

Without Chromium the browser tests skip with a visible reason — unless ``REQUIRE_BROWSER=1``
(set by CI), in which case they fail: CI must run them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kinerja.testing.factories import PASSWORD

if TYPE_CHECKING:
    from kinerja.accounts.models import User

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


def sign_in(
    page,
    who: User | str,
    password: str = PASSWORD,
    *,
    then: str | None = "/",
    shows_name: bool = False,
) -> None:
    """Sign in through the sign-in page as ``who`` (a user, or a username or NIP as typed), then
    wait until the page shows ``then`` (the home page; ``None``: do not wait, e.g. for a refused
    password). ``shows_name``: also check that the menu bar names the person (``who`` a user
    with an employee record)."""
    page.goto("/masuk/")
    page.locator("#id_username").fill(who if isinstance(who, str) else who.username)
    page.locator("#id_password").fill(password)
    page.locator("#main form button[type=submit]").click()
    if then is not None:
        wait_for_path(page, then)
    if shows_name:
        if isinstance(who, str):
            raise TypeError("shows_name needs the user, not a username")
        shown = page.locator("#main-nav .account-name").inner_text()
        if who.employee.name not in shown:
            pytest.fail(f"the menu bar names {shown!r}, not {who.employee.name!r}")


def nav_link(page, name: str, *, exact: bool = False):
    """The link ``name`` of the main menu, made visible: the menu button on a phone, then the
    group (``<details>``) that holds it."""
    nav = page.locator("#main-nav")
    toggle = page.locator("[data-nav-toggle]")
    if toggle.is_visible() and not nav.is_visible():
        toggle.click()
    text = re.compile(f"^\\s*{re.escape(name)}\\s*$") if exact else name
    hidden = page.locator("#main-nav details[data-nav-group]:not([open])").filter(
        has=page.locator("ul a", has_text=text)
    )
    if hidden.count():
        hidden.first.locator("summary").click()
    return nav.get_by_role("link", name=name, exact=exact)


def nav_labels(page) -> list[str]:
    """Every label of the main menu (links, inside groups too), as written."""
    return [text.strip() for text in page.locator("#main-nav .nav-list a").all_text_contents()]
