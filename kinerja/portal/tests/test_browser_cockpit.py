"""In a real browser: the agency head opens the home page and finds the cockpit drawn — the
charts are Chart.js charts with data, served by Kinerja itself under the strict CSP — and a red
item (a slipping indicator) leads in one click to the page that answers it; on a phone the
cockpit fits the screen."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from kinerja.testing.browser import sign_in

from .support import slipping_indicator

pytestmark = pytest.mark.browser


def drawn(page, selector: str) -> dict:
    """The size of a canvas and what its Chart.js chart holds."""
    return page.locator(selector).first.evaluate(
        """canvas => {
            const chart = Chart.getChart(canvas);
            return {
                width: canvas.width, height: canvas.height,
                datasets: chart ? chart.data.datasets.length : 0,
                points: chart ? chart.data.datasets.reduce(
                    (n, d) => n + d.data.filter(v => v !== null).length, 0) : 0,
            };
        }"""
    )


def test_the_agency_head_sees_the_cockpit_drawn_and_a_red_item_leads_to_its_page(cast_live, page):
    indicator = slipping_indicator(cast_live)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, cast_live.head)
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-bands')")

    for selector in ("#chart-bands", "#chart-completion", "#chart-curve"):
        chart = drawn(page, selector)
        assert chart["width"] > 0 and chart["height"] > 0, selector
        assert chart["datasets"] >= 1, selector
    assert drawn(page, "#chart-bands")["points"] >= 1
    assert drawn(page, "#chart-completion")["points"] >= 1
    sparkline = drawn(page, f'canvas.sparkline[data-series="{indicator.pk}"]')
    assert sparkline["width"] > 0 and sparkline["points"] >= 1  # last month at least
    assert not errors, errors  # nothing refused by the CSP, no script error

    red = page.locator(f"#iku-{indicator.pk}.is-slipping a").first
    with page.expect_navigation() as navigation:
        red.click()
    assert navigation.value.status == 200
    assert urlsplit(page.url).path == reverse("strategy:indicator", args=[indicator.pk])


def test_the_cockpit_fits_a_phone(cast_live, phone_page):
    slipping_indicator(cast_live)
    sign_in(phone_page, cast_live.head)
    phone_page.wait_for_function("() => window.Chart && Chart.getChart('chart-bands')")
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert phone_page.locator("#cockpit-tiles").is_visible()
