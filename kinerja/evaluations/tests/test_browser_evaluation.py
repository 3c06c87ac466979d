"""In a real browser, on an approved plan: a colleague gives feedback, the employee replies and
assesses herself, the rater opens the rating screen, sees the suggestion and rates below/meets
— "Butuh Perbaikan", with a development plan opened and agreed; then the annual rating, the
employee's objection and the rater's superior changing the predicate."""

import pytest

from kinerja.evaluations.models import DevelopmentPlan, Evaluation, Objection
from kinerja.skp.tests.factories import approved_plan, verified_realisation
from kinerja.skp.tests.support import label
from kinerja.testing.browser import sign_in

from .support import ANNUAL, Q1, YEAR

pytestmark = pytest.mark.browser


def sign_out(page):
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def test_feedback_rating_development_objection_and_decision(cast_live, page):
    cast = cast_live
    skp = approved_plan(cast, "employee", YEAR)
    rhk = skp.results.get()
    count, quality = rhk.indicators.order_by("number")
    verified_realisation(iki=count, period=Q1, value="330", by=cast.employee)
    verified_realisation(iki=quality, period=Q1, value="85", by=cast.employee)
    feedback_url = f"/penilaian/skp/{skp.pk}/umpan-balik/"

    # The colleague sees the results (not the targets) and gives feedback.
    sign_in(page, cast.colleague)
    page.goto(feedback_url)
    assert "Jumlah pasien yang dilayani" not in page.content()
    page.select_option("#id_fb-about", f"rhk-{rhk.pk}")
    page.check("input[name=fb-tag][value=improvement]")
    page.locator("#id_fb-text").fill("Catat kunjungan lebih rapi")
    page.locator("#feedback-send").click()
    page.wait_for_url("**#thread-*")
    assert "Catat kunjungan lebih rapi" in page.locator("#feedback-results").inner_text()
    sign_out(page)

    # The employee replies and writes her self-assessment.
    sign_in(page, cast.employee)
    page.goto(feedback_url)
    thread = page.locator("#feedback-results .thread").first
    thread.locator("summary").click()
    thread.locator("textarea").fill("Siap, mulai pekan ini")
    thread.locator("button[type=submit]").click()
    page.wait_for_url("**#thread-*")
    assert "Siap, mulai pekan ini" in page.locator("#feedback-results").inner_text()
    page.goto(f"/penilaian/skp/{skp.pk}/{Q1}/mandiri/")
    page.locator("#id_text").fill("Kunjungan melampaui target; pencatatan perlu rapi")
    page.locator("#self-save").click()
    page.wait_for_url(f"**/{Q1}/mandiri/")
    sign_out(page)

    # The rater opens the rating screen from his overview, sees the suggestion and rates.
    sign_in(page, cast.rater)
    page.goto(f"/penilaian/?year={YEAR}")
    page.locator(f"#cell-{skp.pk}-{Q1}").click()
    page.wait_for_url(f"**/penilaian/skp/{skp.pk}/{Q1}/")
    assert page.locator("#suggested-rating").get_attribute("data-rating") == "meets"
    assert "Sesuai Ekspektasi" in page.locator("#suggested-rating").inner_text()
    assert "105" in page.locator("#suggestion-results").inner_text()
    assert "pencatatan perlu rapi" in page.locator("#self-assessment").inner_text()
    page.check("input[name=results_rating][value=below]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#id_note").fill("Rapikan pencatatan kunjungan")
    page.locator("#rating-save").click()
    # the summary to confirm; nothing is recorded before "Record the rating"
    assert "Butuh Perbaikan" in page.locator("#confirm-summary").inner_text()
    warning = label("Once recorded, the rating can only be changed by a correction.")
    assert warning in page.locator("#confirm-warning").inner_text()
    page.locator("#confirm-save").click()
    page.wait_for_url(f"**/penilaian/skp/{skp.pk}/{Q1}/")
    assert "Butuh Perbaikan" in page.locator("#evaluation-predicate").inner_text()
    assert Evaluation.objects.get(skp=skp, period=Q1).suggested_results == "meets"

    # The development plan the weak predicate opened: an action, then both agree.
    page.locator("#development-link").click()
    page.wait_for_url("**/penilaian/pengembangan/*/")
    page.select_option("#id_act-kind", "mentoring")
    page.locator("#id_act-description").fill("Pendampingan pencatatan rekam medis")
    page.locator("#id_act-owner").fill("Kepala Puskesmas")
    page.locator("#id_act-due_on").fill(f"30/06/{YEAR + 1}")
    page.locator("#action-save").click()
    page.wait_for_url("**/penilaian/pengembangan/*/")
    assert f"30/06/{YEAR + 1}" in page.locator("#development-actions").inner_text()
    page.locator("#agree-button").click()
    page.wait_for_url("**/penilaian/pengembangan/*/")
    development = DevelopmentPlan.objects.get(skp=skp)
    assert development.rater_agreed_at is not None

    # The annual rating.
    page.goto(f"/penilaian/skp/{skp.pk}/{ANNUAL}/")
    page.check("input[name=results_rating][value=below]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#rating-save").click()
    page.locator("#confirm-save").click()
    page.wait_for_url(f"**/penilaian/skp/{skp.pk}/{ANNUAL}/")
    assert "Butuh Perbaikan" in page.locator("#evaluation-predicate").inner_text()
    sign_out(page)

    # The employee agrees to the development plan and objects to the annual predicate.
    sign_in(page, cast.employee)
    page.goto(f"/penilaian/pengembangan/{development.pk}/")
    page.locator("#agree-button").click()
    page.wait_for_url("**/penilaian/pengembangan/*/")
    assert page.locator("#development-state").get_attribute("data-state") == "agreed"
    page.goto(f"/penilaian/skp/{skp.pk}/{ANNUAL}/")
    page.locator("#object-button").click()
    page.wait_for_url("**/keberatan/")
    assert page.locator("#objection-deadline").inner_text().strip() != ""
    page.locator("#id_reason").fill("Kunjungan Desember belum dihitung")
    page.locator("#id_evidence").fill("Rekap kunjungan Desember")
    page.locator("#objection-send").click()
    page.wait_for_url("**/penilaian/keberatan/*/")
    assert "Kunjungan Desember belum dihitung" in page.locator("#objection-reason").inner_text()
    sign_out(page)

    # The rater's superior changes the predicate with reasons.
    objection = Objection.objects.get()
    sign_in(page, cast.rater_superior)
    page.goto(f"/penilaian/?year={YEAR}")
    page.locator(f"#pending-objection-{objection.pk}").click()
    page.wait_for_url(f"**/penilaian/keberatan/{objection.pk}/")
    page.check("input[name=outcome][value=changed]")
    page.locator("#id_reason").fill("Data Desember lengkap, target tercapai")
    page.check("input[name=results_rating][value=meets]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#decision-save").click()
    page.wait_for_url(f"**/penilaian/keberatan/{objection.pk}/")
    assert "Baik" in page.locator("#decision-predicate").inner_text()
    assert "Data Desember lengkap" in page.locator("#decision-reason").inner_text()
    assert Evaluation.objects.get(skp=skp, period=ANNUAL).predicate == "Baik"
