"""No dead end: every link a persona of the Plaju demo meets on their pages, followed from
their home page, opens — none leads to a 403 or a 404. The demo is loaded once for the module;
the pages are read through the test client, breadth first, up to a bound per persona."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
from kinerja.testing.database import kept_for_module

pytestmark = pytest.mark.django_db

#: employee, rater, rater's superior, agency head, performance administrator, region admin
PERSONAS = [
    "199506092019032005",
    "198305232010042002",
    "198009052008061001",
    "197010151998022005",
    "199107302015032007",
    "admin",
]
PAGES_PER_PERSONA = 120
#: Links that are files or machine doors, not pages (they have their own tests).
NOT_PAGES = ("/static/", "/api/", ".pdf", ".xlsx", ".csv", ".css", "/bukti/", "/unduh/")
HREF = re.compile(r'href="(/[^"#]*)"')


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    with kept_for_module(
        django_db_blocker, lambda: call_command("demo", "load", stdout=StringIO())
    ):
        yield


def dead_links(client) -> tuple[list[str], int]:
    """(the links that answered 403/404 with the page they were on, the pages read)."""
    seen: set[str] = set()
    queue: list[tuple[str, str]] = [("/", "(start)")]
    dead = []
    while queue and len(seen) < PAGES_PER_PERSONA:
        path, source = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (403, 404):
            dead.append(f"{path} → {response.status_code} (linked from {source})")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            link = href.replace("&amp;", "&")
            if link not in seen and not any(part in link for part in NOT_PAGES):
                queue.append((link, path))
    return dead, len(seen)


@pytest.mark.parametrize("username", PERSONAS)
def test_no_link_of_a_personas_pages_leads_to_a_403_or_404(_demo, client, username):
    user = User.objects.get(username=username)
    client.force_login(user, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    dead, read = dead_links(client)
    assert read > 20  # the crawl went beyond the home page
    assert dead == [], "\n".join(dead)
