"""The evaluation document as PDF (``evaluations:pdf``): realisation, achievement,
ratings and predicate of a period; for the year the credit points and the objection with its
decision; read by whoever may see the plan (404 for anyone else)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.evaluations import documents
from kinerja.evaluations import services as evaluation_services
from kinerja.skp.documents import render_pdf
from kinerja.skp.tests.factories import verified_realisation
from kinerja.skp.tests.support import (
    MAIN_TEXT,
    YEAR_2026_OPEN,
    DocumentDownloadRights,
    document_plan,
    label,
    needs_pdftotext,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    return document_plan(cast)


@pytest.fixture
def quarter(cast, plan):
    count, quality = plan.results.get(kind="utama").indicators.order_by("number")
    verified_realisation(iki=count, period="2026-Q1", value="330", by=cast.employee)
    verified_realisation(iki=quality, period="2026-Q1", value="85", by=cast.employee)
    return evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026-Q1", results_rating="above",
        behaviour_rating="above", note="Pertahankan keramahan kepada lansia",
    )  # fmt: skip


@pytest.fixture
def annual_objected(cast, plan):
    """The annual rating (Butuh Perbaikan), objected to and changed to Baik."""
    evaluation = evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026", results_rating="below", behaviour_rating="meets",
        now=YEAR_2026_OPEN,
    )  # fmt: skip
    objection = evaluation_services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Realisasi Desember belum dihitung"
    )
    evaluation_services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="changed",
        reason="Data Desember lengkap", results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip
    evaluation.refresh_from_db()
    return evaluation


def evaluation_url(evaluation) -> str:
    return reverse("evaluations:pdf", kwargs={"evaluation_id": evaluation.pk})


# --- The evaluation document -----------------------------------------------------------------


@needs_pdftotext
def test_the_evaluation_pdf_shows_realisation_achievement_ratings_and_predicate(
    client_for, cast, quarter, tmp_path
):
    response = client_for(cast.rater).get(evaluation_url(quarter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for fragment in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "Triwulan I 2026",
        "1 Januari 2026 s.d. 31 Maret 2026",
        "Siti Aminah, A.Md.Kep",
        cast.employees["employee"].nip_display,
        "dr. Ahmad Fauzi",
        "Rina Marlina, S.KM",  # the rater's superior
        MAIN_TEXT,
        "Jumlah lansia yang dilayani",
        "1.200 orang",
        "330",
        "110,00",
        "100,00",
        "Di Atas Ekspektasi",
        "Sangat Baik",
        "Pertahankan keramahan kepada lansia",
        "Palembang, ",
    ):
        assert fragment in text, fragment
    # a periodic rating of a functional employee gives credit points (PerBKN 3/2023): its entry
    # is on the document — Terampil, Sangat Baik, 3 months: 3/12 × 150 % × 5 = 1,88
    assert label("Credit points").lower() in text.lower()
    assert "1,88" in text


def test_the_annual_document_shows_credit_points_and_the_objection_decided(cast, annual_objected):
    from kinerja.evaluations.models import Evaluation

    evaluation = documents.document_evaluations(Evaluation.objects).get(pk=annual_objected.pk)
    doc = documents.evaluation_document(evaluation, viewer=cast.employee)
    assert doc.period_label == "Tahunan 2026"
    assert doc.predicate == "Baik"
    assert (doc.results_rating, doc.behaviour_rating) == ("Sesuai Ekspektasi", "Sesuai Ekspektasi")
    # Perawat Terampil: 12 months × 100 % × 5
    credit = doc.credit
    assert (credit.level, credit.months, credit.percent, credit.coefficient) == (
        "Terampil", 12, Decimal(100), Decimal(5),
    )  # fmt: skip
    assert (credit.percent_text, credit.result_text) == ("100 %", "5,00")
    objection = doc.objection
    assert objection.reason == "Realisasi Desember belum dihitung"
    assert objection.decided and objection.outcome == "Diterima (predikat diubah)"
    assert objection.before_predicate == "Butuh Perbaikan"
    assert objection.decider.name == "Rina Marlina, S.KM"
    html = documents.evaluation_html(doc)
    for fragment in ("5,00", "Data Desember lengkap", "Butuh Perbaikan", "Di Bawah Ekspektasi"):
        assert fragment in html
    assert render_pdf(html).startswith(b"%PDF")


@needs_pdftotext
def test_the_annual_pdf_text_holds_the_credit_points_and_the_objection(
    client_for, cast, annual_objected, tmp_path
):
    response = client_for(cast.rater_superior).get(evaluation_url(annual_objected))
    text = pdf_text(response.content, tmp_path)
    for fragment in ("Tahunan 2026", "Baik", "5,00", "Realisasi Desember belum dihitung",
                     "Data Desember lengkap", "Diterima (predikat diubah)"):  # fmt: skip
        assert fragment in text, fragment


def test_a_pending_objection_says_it_is_not_decided_yet(cast, plan):
    from kinerja.evaluations.models import Evaluation

    evaluation = evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026", results_rating="meets", behaviour_rating="below",
        now=YEAR_2026_OPEN,
    )  # fmt: skip
    evaluation_services.objection_file(evaluation=evaluation, by=cast.employee, reason="Keberatan")
    loaded = documents.document_evaluations(Evaluation.objects).get(pk=evaluation.pk)
    doc = documents.evaluation_document(loaded, viewer=cast.employee)
    assert doc.predicate == "Kurang/Misconduct"
    assert doc.objection.outcome == "Diajukan, belum diputuskan"
    assert not doc.objection.decided


def test_the_document_takes_as_many_queries_for_many_results_as_for_few(cast, quarter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.evaluations.models import Evaluation
    from kinerja.skp.models import Iki, Rhk

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            loaded = documents.document_evaluations(Evaluation.objects).get(pk=quarter.pk)
            documents.evaluation_html(documents.evaluation_document(loaded, viewer=cast.rater))
        return len(captured)

    before = queries()
    for number in range(2, 6):  # straight into the tables: the plan is no longer editable
        rhk = Rhk.objects.create(skp=quarter.skp, kind="tambahan", number=number, text=f"H{number}")
        for n in (1, 2):
            Iki.objects.create(rhk=rhk, number=n, aspect="waktu", text=f"I{n}", target=n)
    assert queries() == before


# --- Who may read it -------------------------------------------------------------------------


class TestEvaluationDocumentRights(DocumentDownloadRights):
    unknown_url = reverse("evaluations:pdf", kwargs={"evaluation_id": 999999})

    @pytest.fixture
    def document_url(self, quarter):
        return evaluation_url(quarter)
