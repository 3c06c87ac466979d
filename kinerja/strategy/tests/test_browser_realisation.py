"""In a real browser: the Pengelola Kinerja of DINKES enters a month's value with a note and
a PDF as evidence; the head of the agency then verifies it."""

import pytest
from django.utils import timezone

from kinerja.strategy.models import Evidence, Realisation
from kinerja.testing.browser import sign_in

from .support import PDF, build_sample

pytestmark = pytest.mark.browser


def sign_out(page):
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def test_a_value_with_evidence_is_entered_and_then_verified_by_the_head(cast_live, page, tmp_path):
    sample = build_sample(cast_live)
    indicator = sample.response
    today = timezone.localdate()
    period = f"{today.year}-{today.month:02d}"
    row = f"#month-{today.month}"

    sign_in(page, cast_live.pengelola)
    page.goto(f"/kinerja-organisasi/indikator/{indicator.pk}/")
    page.select_option("#id_r-period", period)
    page.locator("#id_r-value").fill("8,5")
    page.locator("#id_r-note").fill("Rekap laporan IGD")
    page.locator("#id_r-supporting").fill("Ambulans kedua")
    page.locator("#realisation-save").click()
    page.wait_for_url(f"**#month-{today.month}")
    assert page.locator(f"{row} .month-value").inner_text() == "8,5"
    assert page.locator(row).get_attribute("data-state") == "submitted"
    assert "Rekap laporan IGD" in page.locator(f"{row} .realisation-note").inner_text()

    pdf = tmp_path / "rekap-igd.pdf"
    pdf.write_bytes(PDF)
    page.select_option("#id_e-period", period)
    page.locator("#id_e-file").set_input_files(str(pdf))
    page.locator("#id_e-description").fill("Rekap IGD")
    page.locator("#evidence-save").click()
    page.wait_for_url(f"**#month-{today.month}")
    link = page.locator(f"{row} a.evidence-link")
    assert link.inner_text() == "rekap-igd.pdf"
    assert page.locator(f"{row} .month-value").inner_text() == "8,5"
    evidence = Evidence.objects.get(indicator=indicator, year=today.year, month=today.month)
    assert link.get_attribute("href") == f"/kinerja-organisasi/bukti/{evidence.pk}/"
    # The link downloads the file; it is never shown inline.
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "rekap-igd.pdf"

    sign_out(page)
    sign_in(page, cast_live.head)
    page.goto(f"/kinerja-organisasi/indikator/{indicator.pk}/")
    value = Realisation.objects.current().get(
        indicator=indicator, year=today.year, month=today.month
    )
    page.locator(f"#verify-accept-{value.pk}").click()
    page.wait_for_url(f"**#month-{today.month}")
    assert page.locator(row).get_attribute("data-state") == "verified"
    assert page.locator(f"#verify-{value.pk}").count() == 0
    value.refresh_from_db()
    assert (value.state, value.verified_by_id) == ("verified", cast_live.head.pk)
