"""The worklist in a real browser, on the Plaju demo (loaded once for the module): each persona's
home page starts with their own pending work — the SD head the plan to approve, dr. Nyimas the
values to verify, dr. Rizky the objection, Wulandari her returned plan — the API answers the
same, the menu counts it, and clicking a task opens the exact place.

The demo is loaded as of 28 November 2026 (``common.REFERENCE_DAY``, as the demo's own tests
do). Its objection comes only with a load from 1 January (the year's annual rating opens
then), so the test files it as the demo would on 7 January 2027, through the same operations."""

from __future__ import annotations

import os
import re
from datetime import date
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
from kinerja.demo.loader import common
from kinerja.demo.loader.year import OBJECTION
from kinerja.evaluations import services
from kinerja.skp.models import Skp
from kinerja.testing.browser import sign_in
from kinerja.testing.database import restore_rule_tables

pytestmark = pytest.mark.browser

DEMO_DAY = date(2026, 11, 28)
PASSWORD = "kinerja-demo"
SD_HEAD, NYIMAS, RIZKY, WULANDARI = (
    "197107251996032006", "198305232010042002", "198009052008061001", "198912242012012002",
)  # fmt: skip
#: Where the screenshots go when asked for (to look at the pages), else the test's own folder.
SHOTS_ENV = "KINERJA_SCREENSHOTS"


def _objection_as_in_january() -> None:
    """Yeni Marlina's annual rating and her objection, as the demo records them from January."""
    skp = Skp.objects.select_related("rater").get(employee__name=OBJECTION["person"], year=2026)
    evaluation = services.evaluation_rate(
        skp=skp,
        by=User.objects.get(employee=skp.rater),
        period="2026",
        results_rating=OBJECTION["results"],
        behaviour_rating=OBJECTION["behaviour"],
        note=OBJECTION["note"],
        now=common.at(date(2027, 1, 6)),
    )
    services.objection_file(
        evaluation=evaluation,
        by=User.objects.get(employee=skp.employee),
        reason=OBJECTION["reason"],
        evidence=OBJECTION["evidence"],
        now=common.at(date(2027, 1, 7)),
    )


@pytest.fixture
def demo(transactional_db):
    """The demo, loaded once for the module's one journey (the live server needs it committed,
    so the module is one test: a transactional database is emptied after each)."""
    restore_rule_tables()
    common.REFERENCE_DAY = DEMO_DAY
    try:
        call_command("demo", "load", stdout=StringIO())
        _objection_as_in_january()
    finally:
        common.REFERENCE_DAY = None


def sign_out(page) -> None:
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def api_items(page) -> list[dict]:
    body = page.request.get("/api/v1/me/tasks").json()
    assert body["count"] == len(body["items"])
    return body["items"]


def first_of(page, kind: str):
    """The first task of ``kind`` on the home page's worklist."""
    return page.locator(f"#home-tasks li.task[data-kind={kind}]").first


JOURNEYS = [
    # persona, kind, words of the task's title, where it leads
    (SD_HEAD, "plan_approve", "Abdul Halim", r"/skp/\d+/"),
    (NYIMAS, "realisation_verify", "IKU-02", r"/kinerja-organisasi/indikator/\d+/"),
    (RIZKY, "objection_decide", "Yeni Marlina", r"/penilaian/keberatan/\d+/"),
    (WULANDARI, "plan_submit", "2026", r"/skp/\d+/"),
]


@pytest.fixture
def shots(tmp_path) -> str:
    return os.environ.get(SHOTS_ENV) or str(tmp_path)


def test_each_persona_starts_the_day_with_their_own_tasks(demo, page, phone_page, shots):
    for username, kind, words, path in JOURNEYS:
        sign_in(page, username, PASSWORD)
        task = first_of(page, kind)
        assert words in task.inner_text()
        # the API answers the same
        items = [i for i in api_items(page) if i["kind"] == kind]
        assert items and any(words in i["title"] for i in items)
        # the menu counts them once the page has loaded
        count = page.locator("#nav-tasks-count")
        count.wait_for(state="visible")
        assert int(count.inner_text()) == len(api_items(page))
        page.screenshot(path=f"{shots}/browser-home-{username}.png")
        # the task opens the exact place
        href = task.locator("a.task-link").get_attribute("href")
        assert re.fullmatch(path, urlsplit(href).path), href
        assert href in {i["url"] for i in items}
        task.locator("a.task-link").click()
        page.wait_for_url(lambda url, href=href: urlsplit(url).path == urlsplit(href).path)
        assert page.locator("h1").count() == 1  # a page of its own, not an error
        sign_out(page)

    # Wulandari's list: her returned plan, overdue since the plan deadline, with its badge
    sign_in(page, WULANDARI, PASSWORD)
    page.goto("/tugas/")
    item = page.locator("#tasks li.task[data-kind=plan_submit]")
    assert "task-overdue" in item.get_attribute("class")
    assert item.locator(".task-badge").is_visible()
    page.screenshot(path=f"{shots}/browser-tasks-wulandari.png", full_page=True)

    # on a phone the list reads without scrolling sideways
    sign_in(phone_page, NYIMAS, PASSWORD)
    phone_page.goto("/tugas/")
    assert phone_page.locator("#tasks li.task").count() >= 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=f"{shots}/browser-tasks-phone.png", full_page=True)
