"""In a real browser: the live dashboard of a stream moves, without a reload, while the
simulator sends events through the HTTP API of the same (live) server."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.streams.ingest import catch_up
from kinerja.streams.simulator import simulate
from kinerja.testing.browser import sign_in

from .support import case, dashboard_stream, send

pytestmark = pytest.mark.browser


def number(page, selector) -> int:
    return int(re.sub(r"\D", "", page.locator(selector).inner_text()) or 0)


def test_the_dashboard_moves_while_the_simulator_sends_events(cast_live, page, live_server):
    stream = dashboard_stream(cast_live.dinkes)
    # A few cases already there, started in the last minutes (today, whatever the hour).
    local = timezone.localtime()
    since_midnight = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
    ago = min(timedelta(minutes=3), since_midnight / 2)
    send(stream, *[case(f"old-{i}", local - ago * (i + 1) / 3) for i in range(3)])
    catch_up(stream)
    secret = token_create(name="simulator", user=None, streams=[stream], by=SYSTEM)[1]

    sign_in(page, cast_live.employee)
    page.goto(f"/layanan/aliran/{stream.code}/dasbor/")
    page.wait_for_selector("#chart-per-day svg")  # the script has drawn the charts
    before = number(page, "#headline-cases-today")
    assert before == 3
    updated_before = page.locator("#updated-at").inner_text()
    page.evaluate("window.__notReloaded = true")

    lines: list[str] = []
    stop = threading.Event()
    sender = threading.Thread(
        target=simulate,
        kwargs={
            "url": live_server.url,
            "token": secret,
            "stream_code": stream.code,
            "rate": 10,
            "duration": 8,
            "seed": 4,
            "units": [cast_live.units["pkm"].code],
            "zone": ZoneInfo("Asia/Jakarta"),
            "out": lines.append,
            "should_stop": stop.is_set,
        },
        daemon=True,
    )
    sender.start()
    try:
        page.wait_for_function(
            "before => Number(document.getElementById('headline-cases-today')"
            ".textContent.replace(/\\D/g, '')) > before",
            arg=before,
            timeout=10_000,
        )
        page.wait_for_function(
            "before => document.getElementById('updated-at').textContent !== before",
            arg=updated_before,
            timeout=10_000,
        )
    finally:
        stop.set()
        sender.join(timeout=20)
    assert page.evaluate("window.__notReloaded") is True  # the same document all along
    assert number(page, "#headline-cases-today") > before
    assert page.locator("#refresh-status").is_hidden()
    assert page.locator("#chart-open-age rect").count() == 5
    assert any(line.startswith("Done in") for line in lines), lines


def test_a_failed_refresh_is_shown_and_the_next_success_clears_it(cast_live, page):
    stream = dashboard_stream(cast_live.dinkes)
    sign_in(page, cast_live.employee)
    page.goto(f"/layanan/aliran/{stream.code}/dasbor/")
    page.wait_for_selector("#chart-per-day svg")
    failing = True

    def answer(route):
        if failing:
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route("**/dasbor/data/**", answer)
    status = page.locator("#refresh-status")
    status.wait_for(state="visible", timeout=10_000)
    assert page.locator("#stream-dashboard.is-stale").count() == 1
    failing = False
    status.wait_for(state="hidden", timeout=10_000)
    assert page.locator("#stream-dashboard.is-stale").count() == 0


def test_polling_stops_while_the_tab_is_hidden_and_resumes_when_shown(cast_live, page):
    stream = dashboard_stream(cast_live.dinkes)
    sign_in(page, cast_live.employee)
    page.goto(f"/layanan/aliran/{stream.code}/dasbor/")
    page.wait_for_selector("#chart-per-day svg")
    polls: list[str] = []
    page.on("request", lambda request: "/dasbor/data/" in request.url and polls.append(request.url))

    def set_hidden(hidden: bool) -> None:
        page.evaluate(
            """hidden => {
                Object.defineProperty(document, "hidden", {value: hidden, configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }""",
            hidden,
        )

    page.wait_for_timeout(3500)
    assert polls  # it polls while visible
    set_hidden(True)
    page.wait_for_timeout(500)  # a request already under way may still finish
    seen = len(polls)
    page.wait_for_timeout(6000)
    assert len(polls) == seen
    set_hidden(False)
    page.wait_for_timeout(1000)
    assert len(polls) > seen  # at once, not after the next interval
