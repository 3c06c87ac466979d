"""In a real browser: the employee drafts her plan with one result and one indicator and
submits it; the rater returns it with a reason; the employee fixes the target and submits
again; the rater approves; the employee enters a realisation for the first quarter."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from kinerja.skp.models import IkiRealisation, Skp
from kinerja.testing.browser import sign_in

pytestmark = pytest.mark.browser


def sign_out(page):
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def on_path(page, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def test_draft_submit_return_fix_approve_and_enter_a_realisation(cast_live, page):
    cast = cast_live
    year = timezone.localdate().year

    # The employee starts her plan from "Kinerja saya" and adds a result with an indicator.
    sign_in(page, cast.employee)
    page.goto("/kinerja-saya/")
    assert f"31 Januari {year}" in page.locator("#my-plan").inner_text()  # a sentence: written out
    page.locator("#start-plan").click()
    skp = Skp.objects.get(employee=cast.employees["employee"], year=year)
    detail = f"/skp/{skp.pk}/"
    on_path(page, detail)
    assert "Siti Aminah" in page.locator("#identity-employee").inner_text()
    assert "dr. Ahmad Fauzi" in page.locator("#identity-rater").inner_text()
    page.locator("#rhk-add").click()
    on_path(page, f"/skp/{skp.pk}/rhk/baru/")
    # Only the first empty indicator row shows; the others wait behind a button.
    assert page.locator("#iki-1").is_hidden()
    page.locator("#id_text").fill("Terlaksananya imunisasi dasar lengkap")
    page.select_option("#id_iki-0-aspect", "kuantitas")
    page.locator("#id_iki-0-text").fill("Jumlah anak diimunisasi")
    page.locator("#id_iki-0-target").fill("300")
    page.locator("#id_iki-0-unit").fill("anak")
    page.locator("#rhk-save").click()
    on_path(page, detail)
    results = page.locator("#results").inner_text()
    assert "Terlaksananya imunisasi dasar lengkap" in results
    assert "300 anak" in page.locator(".iki-target").inner_text()
    page.locator("#skp-submit").click()
    on_path(page, detail)
    assert page.locator("#skp-state .skp-state").get_attribute("data-state") == "submitted"
    assert page.locator("#skp-submit").count() == 0
    sign_out(page)

    # The rater finds it on top of the team list and returns it with a reason.
    sign_in(page, cast.rater)
    page.goto("/skp/tim/")
    pending = page.locator("#team-pending")
    assert "Siti Aminah" in pending.inner_text()
    pending.locator("a.team-plan-link").click()
    on_path(page, detail)
    page.locator("#skp-return").click()  # without a reason: refused, nothing changes
    assert page.locator("#return-form .errorlist").count() == 1
    assert Skp.objects.get(pk=skp.pk).state == "submitted"
    page.locator("#id_reason").fill("Target terlalu rendah, naikkan menjadi 450 anak")
    page.locator("#skp-return").click()
    on_path(page, detail)
    assert page.locator("#skp-state .skp-state").get_attribute("data-state") == "returned"
    sign_out(page)

    # The employee reads the reason, raises the target and submits again.
    sign_in(page, cast.employee)
    page.goto(detail)
    assert "naikkan menjadi 450 anak" in page.locator("#skp-return-reason").inner_text()
    page.locator(".rhk-edit").first.click()
    page.locator("#id_iki-0-target").fill("450")
    page.locator("#rhk-save").click()
    on_path(page, detail)
    assert "450 anak" in page.locator(".iki-target").inner_text()
    page.locator("#skp-submit").click()
    on_path(page, detail)
    sign_out(page)

    # The rater approves.
    sign_in(page, cast.rater)
    page.goto(detail)
    page.locator("#skp-approve").click()
    on_path(page, detail)
    assert page.locator("#skp-state .skp-state").get_attribute("data-state") == "approved"
    history = page.locator("#history").inner_text()
    assert "naikkan menjadi 450 anak" in history
    sign_out(page)

    # The employee enters what the indicator reached in the first quarter.
    sign_in(page, cast.employee)
    page.goto(detail)
    page.locator("#skp-realisation-link").click()
    on_path(page, f"/skp/{skp.pk}/realisasi/")
    iki = skp.results.get().indicators.get()
    page.select_option("#id_r-iki", str(iki.pk))
    page.select_option("#id_r-period", f"{year}-Q1")
    page.locator("#id_r-value").fill("112")
    page.locator("#id_r-note").fill("Posyandu Maret")
    page.locator("#realisation-save").click()
    page.wait_for_url(f"**#iki-{iki.pk}")
    cell = page.locator(f'#iki-{iki.pk} td[data-period="{year}-Q1"]')
    assert "112" in cell.locator(".period-value").inner_text()
    assert "Posyandu Maret" in cell.inner_text()
    assert IkiRealisation.objects.get(iki=iki).value == 112
    # It awaits the rater's verification; the rater verifies it on the same page.
    assert cell.locator(".realisation-state").get_attribute("data-state") == "submitted"
    sign_out(page)
    sign_in(page, cast.rater)
    page.goto(f"/skp/{skp.pk}/realisasi/")
    with page.expect_navigation():
        cell.locator(".verify-form button[value=verify]").click()
    assert cell.locator(".realisation-state").count() == 0
    sign_out(page)
    sign_in(page, cast.employee)
    # "Kinerja saya" shows the same figure with its achievement.
    page.goto("/kinerja-saya/")
    mine = page.locator(f'#my-plan #iki-{iki.pk} td[data-period="{year}-Q1"]').inner_text()
    assert "112" in mine and "%" in mine
