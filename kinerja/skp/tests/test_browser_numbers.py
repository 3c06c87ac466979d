"""In a real browser, on the realisation form of a plan with many indicators (the form sits
far below the table): the value typed is read live as Indonesians write numbers ("1.200" is
twelve hundred), an ambiguous one is explained before saving, a refused submit brings the error
summary into view with focus on it and links to the field, and "1.200" is stored as 1200."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.skp.models import IkiRealisation
from kinerja.testing.browser import sign_in

from .support import approved

pytestmark = pytest.mark.browser


IN_VIEW = (
    "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
)


def test_a_typed_number_is_read_live_and_a_refused_one_brings_the_errors_into_view(cast_live, page):
    skp = approved(cast_live, results=6)
    iki = skp.results.order_by("number").first().indicators.get(number=1)
    year = timezone.localdate().year
    sign_in(page, cast_live.employee)
    page.goto(f"/skp/{skp.pk}/realisasi/")

    value = page.locator("#id_r-value")
    reading = page.locator("#id_r-value_reading")
    value.fill("1.200")
    assert "1.200 (seribu dua ratus)" in reading.inner_text()
    value.fill("12,5")
    assert "12,5 (dua belas koma lima)" in reading.inner_text()
    value.fill("1.2")
    assert "1.200" in reading.inner_text() and "12,5" in reading.inner_text()  # the example
    assert "number-reading-error" in reading.get_attribute("class")

    # Saved as it is, the server refuses it with the same reason; the summary is in view.
    page.select_option("#id_r-iki", str(iki.pk))
    page.select_option("#id_r-period", f"{year}-Q1")
    page.locator("#realisation-save").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate(IN_VIEW)
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate("window.scrollY") > 0  # the form is below the table
    link = summary.locator('a[href="#id_r-value"]')
    assert "12,5" in link.inner_text()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_r-value"

    # Written the Indonesian way, it is stored as meant.
    value.fill("1.200")
    page.select_option("#id_r-period", f"{year}-Q1")
    page.locator("#realisation-save").click()
    page.wait_for_url(f"**#iki-{iki.pk}")
    assert IkiRealisation.objects.get(iki=iki).value == Decimal(1200)
    cell = page.locator(f'#iki-{iki.pk} td[data-period="{year}-Q1"] .period-value')
    assert cell.inner_text() == "1.200"
