"""The layout in a real browser: the grouped menu stays on one line at 1366 px for every role,
opens and closes by keyboard and by touch on a phone; a wide period table keeps its first
column in view and opens scrolled to the current period."""

from __future__ import annotations

import pytest

from kinerja.skp.tests.support import approved, realisation_url
from kinerja.testing.browser import nav_link, sign_in

pytestmark = pytest.mark.browser

PERSONAS = ["employee", "rater", "head", "pengelola", "admin", "auditor"]


def test_the_menu_stays_on_one_line_at_1366_px_for_every_role(cast_live, _browser, live_server):
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 768}
    )
    for persona in PERSONAS:
        page = context.new_page()
        sign_in(page, cast_live.users[persona])
        tops = page.eval_on_selector_all(
            "#main-nav .nav-list > li, #main-nav .account > *",
            "els => els.map(e => Math.round(e.getBoundingClientRect().top + e.offsetHeight / 2))",
        )
        assert max(tops) - min(tops) <= 4, (persona, tops)  # one row: centred on one line
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, persona
        page.context.clear_cookies()
        page.close()
    context.close()


def test_a_menu_group_opens_and_closes_by_keyboard(cast_live, page):
    sign_in(page, cast_live.users["admin"])
    summary = page.locator("#main-nav details[data-nav-group] > summary").first
    link = page.locator("#main-nav details[data-nav-group]").first.locator("a").first
    assert not link.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    assert not link.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_opening_one_group_closes_the_other(cast_live, page):
    sign_in(page, cast_live.users["admin"])
    groups = page.locator("#main-nav details[data-nav-group]")
    assert groups.count() >= 2
    groups.nth(0).locator("summary").click()
    groups.nth(1).locator("summary").click()
    assert groups.nth(1).get_attribute("open") is not None
    assert groups.nth(0).get_attribute("open") is None
    page.locator("h1").click()  # a click elsewhere closes it
    assert groups.nth(1).get_attribute("open") is None


def test_on_a_phone_a_group_opens_by_touch_inside_the_folded_menu(cast_live, phone_page):
    sign_in(phone_page, cast_live.users["admin"])
    nav_link(phone_page, "Jejak audit").tap()
    phone_page.wait_for_url("**/audit/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wide_period_table_opens_on_the_current_period_with_its_first_column_in_view(
    cast_live, _browser, live_server
):
    skp = approved(cast_live)
    context = _browser.new_context(base_url=live_server.url, viewport={"width": 600, "height": 800})
    page = context.new_page()
    sign_in(page, cast_live.users["employee"])
    page.goto(realisation_url(skp))
    wrap = page.locator(".table-scroll").first
    box = wrap.bounding_box()
    assert page.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle())
    current = wrap.locator("th.is-current").bounding_box()
    assert (
        box["x"] <= current["x"] and current["x"] + current["width"] <= box["x"] + box["width"] + 1
    )
    first = wrap.locator("tbody td:first-child").first.bounding_box()
    assert abs(first["x"] - box["x"]) <= 2  # sticky: still at the left edge after scrolling
    wrap.focus()  # reachable by keyboard
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    context.close()
