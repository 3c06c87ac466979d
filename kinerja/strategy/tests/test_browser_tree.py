"""In a real browser: reading the performance tree — coloured nodes, collapsing and
expanding, and drilling down from an indicator to its realisations and evidence."""

from decimal import Decimal

import pytest

from kinerja.strategy import services
from kinerja.testing.browser import sign_in

from .support import build_sample, pdf_upload, verify_all

pytestmark = pytest.mark.browser


def test_the_tree_is_coloured_collapsible_and_drills_down_to_the_evidence(cast_live, page):
    sample = build_sample(cast_live)
    year = sample.year
    # IKU-01 slips badly in TW I: 30 minutes against a target of 10.
    services.realisation_record(
        indicator=sample.response, year=year, month=1, value=Decimal(30), by=cast_live.pengelola
    )
    verify_all([sample.response])  # only verified values count
    evidence = services.evidence_add(
        indicator=sample.response,
        year=year,
        month=1,
        upload=pdf_upload("laporan-januari.pdf"),
        by=cast_live.pengelola,
    )

    sign_in(page, cast_live.employee)
    page.goto("/kinerja-organisasi/pohon/")
    page.select_option("#tree-year", str(year))
    page.select_option("#tree-tw", "1")
    page.locator("#tree-submit").click()
    page.wait_for_url("**tw=1**")

    slipping = page.locator(f"#node-indicator-{sample.response.pk}")
    on_track = page.locator(f"#node-indicator-{sample.occupancy.pk}")
    assert "band-sangat-kurang" in slipping.get_attribute("class")
    assert "band-sangat-baik" in on_track.get_attribute("class")
    # The colour reaches the page through the band stylesheet (no inline style under the CSP).
    colours = [
        node.evaluate("e => getComputedStyle(e).getPropertyValue('--band-colour').trim()")
        for node in (slipping, on_track)
    ]
    assert colours[0] and colours[1] and colours[0] != colours[1]

    # Two levels are open: the goal is visible, its indicators are not until it is opened.
    goal = page.locator(f"#node-goal-{sample.goal.pk}")
    assert goal.is_visible()
    assert not slipping.is_visible()
    toggle = page.locator("#tree-toggle")
    toggle.click()
    assert slipping.is_visible()
    toggle.click()
    assert not slipping.is_visible()
    assert not goal.is_visible()  # closing all closes the vision too
    page.reload()
    assert goal.is_visible() and not slipping.is_visible()
    goal.locator("summary").first.click()
    page.locator(f"#node-target-{sample.target.pk} summary").first.click()
    assert slipping.is_visible()

    slipping.locator("a.pk-link").click()
    page.wait_for_url(f"**/indikator/{sample.response.pk}/?year={year}")
    assert page.locator("#indicator-title").get_attribute("data-code") == "IKU-01"
    assert page.locator("#month-1 .month-value").inner_text() == "30"
    assert page.locator("#month-1 del.superseded").inner_text() == "9"  # the value it replaced
    link = page.locator(f"#evidence-{evidence.pk}")
    assert link.inner_text() == "laporan-januari.pdf"
    assert page.locator("#month-12 .month-value").inner_text() == "9"


def test_the_vision_keeps_its_score_under_the_agency_filter_and_opens_by_keyboard(cast_live, page):
    sample = build_sample(cast_live)
    sign_in(page, cast_live.admin)

    def vision_score(agency: str) -> str:
        page.goto(f"/kinerja-organisasi/pohon/?year={sample.year}&agency={agency}")
        return page.locator("#node-vision > details > summary .band-chip").first.inner_text()

    whole = vision_score("")
    assert whole == vision_score("DINKES") == vision_score("DUKCAPIL")
    # Keyboard: a goal opens and closes from its summary with Enter.
    goal = page.locator(f"#node-goal-{sample.other_goal.pk} > details")
    summary = goal.locator("summary").first
    summary.focus()
    assert goal.get_attribute("open") is None
    page.keyboard.press("Enter")
    assert goal.get_attribute("open") is not None
    assert page.locator(f"#node-indicator-{sample.other.pk}").count() == 1
    page.keyboard.press("Enter")
    assert goal.get_attribute("open") is None
