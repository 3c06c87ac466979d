"""The SKP document and the evaluation document (PDF): what they print and who may read them."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kinerja.core.actors import SYSTEM
from kinerja.evaluations import services as evaluation_services
from kinerja.skp import documents, services
from kinerja.skp.rules import behaviour_values
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db

MAIN_TEXT = "Terlaksananya asuhan keperawatan lansia"
EXTRA_TEXT = "Tersusunnya laporan posyandu lansia"
LEADER_TEXT = "Terlaksananya asuhan keperawatan pasien rawat jalan"
READERS = ["employee", "rater", "rater_superior", "pengelola", "head", "admin", "auditor"]
STRANGERS = ["colleague", "outsider", "other_head"]
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text with whitespace made single (cells wrap over lines)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def label(msgid: str) -> str:
    """A label as the (Indonesian) document prints it, with or without the catalogue."""
    with translation.override(documents.DOCUMENT_LANGUAGE):
        return gettext(msgid)


@pytest.fixture
def plan(cast):
    """The employee's plan: a main result supporting the rater's, an additional one, the
    attachment and one leader's expectation; approved."""
    leader = approved_plan(cast, "rater")
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, approach="kuantitatif", by=cast.employee
    )
    services.rhk_add(
        skp=skp, by=cast.employee, kind="utama", text=MAIN_TEXT, supports=leader.results.get(),
        indicators=[
            {"aspect": "kuantitas", "text": "Jumlah lansia yang dilayani", "target": "1200",
             "unit": "orang"},
            {"aspect": "kualitas", "text": "Kepuasan lansia", "target": "80-90", "unit": "%"},
        ],
    )  # fmt: skip
    services.rhk_add(
        skp=skp, by=cast.employee, kind="tambahan", text=EXTRA_TEXT,
        indicators=[
            {"aspect": "waktu", "text": "Laporan tepat waktu", "target": "5", "unit": "hari"}
        ],
    )  # fmt: skip
    services.skp_update(
        skp=skp, by=cast.employee, resources="Aplikasi SIMPUS dan satu tensimeter digital",
        accountability="Laporan bulanan kepada Kepala Puskesmas", consequences="Teguran tertulis",
    )  # fmt: skip
    services.skp_submit(skp=skp, by=cast.employee)
    value = behaviour_values(2026)[0]
    services.expectation_set(skp=skp, value=value, text="Ramah kepada pasien lansia", by=cast.rater)
    services.skp_approve(skp=skp, by=cast.rater)
    skp.refresh_from_db()
    return skp


@pytest.fixture
def quarter(cast, plan):
    count, quality = plan.results.get(kind="utama").indicators.order_by("number")
    services.realisation_record(iki=count, period="2026-Q1", value="330", by=cast.employee)
    services.realisation_record(iki=quality, period="2026-Q1", value="85", by=cast.employee)
    return evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026-Q1", results_rating="above",
        behaviour_rating="above", note="Pertahankan keramahan kepada lansia",
    )  # fmt: skip


@pytest.fixture
def annual_objected(cast, plan):
    """The annual rating (Butuh Perbaikan), objected to and changed to Baik."""
    evaluation = evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026", results_rating="below", behaviour_rating="meets"
    )
    objection = evaluation_services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Realisasi Desember belum dihitung"
    )
    evaluation_services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="changed",
        reason="Data Desember lengkap", results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip
    evaluation.refresh_from_db()
    return evaluation


def skp_url(skp) -> str:
    return reverse("documents:skp_pdf", kwargs={"skp_id": skp.pk})


def evaluation_url(evaluation) -> str:
    return reverse("documents:evaluation_pdf", kwargs={"evaluation_id": evaluation.pk})


# --- The SKP document ------------------------------------------------------------------------


def test_the_skp_document_holds_identities_results_grouped_a_and_b_and_the_targets(cast, plan):
    doc = documents.skp_document(documents.document_plans(type(plan).objects).get(pk=plan.pk))
    assert doc.employee.name == "Siti Aminah, A.Md.Kep"
    assert doc.employee.position == "Perawat Terampil"
    assert doc.employee.unit == "UPTD Puskesmas Plaju"
    assert doc.rater.name == "dr. Ahmad Fauzi"
    assert doc.period_text == "1 Januari 2026 s.d. 31 Desember 2026"
    assert doc.place == "Palembang"
    assert doc.signed_text.startswith("Palembang, ")
    assert [(g.letter, g.name, [r.text for r in g.rows]) for g in doc.groups] == [
        ("A", "Utama", [MAIN_TEXT]),
        ("B", "Tambahan", [EXTRA_TEXT]),
    ]
    main = doc.groups[0].rows[0]
    assert main.supports == LEADER_TEXT
    assert [(i.aspect, i.target) for i in main.indicators] == [
        ("Kuantitas", "1.200 orang"),
        ("Kualitas", "80–90 %"),
    ]
    assert [b.name for b in doc.behaviour][:2] == ["Berorientasi Pelayanan", "Akuntabel"]
    assert len(doc.behaviour) == 7
    assert all(len(b.guides) == 3 for b in doc.behaviour)
    assert doc.behaviour[0].expectation == "Ramah kepada pasien lansia"
    assert doc.filename == f"skp-2026-{cast.employees['employee'].nip}-{plan.pk}.pdf"


@needs_pdftotext
def test_the_skp_pdf_opens_and_reads_as_the_form(client_for, cast, plan, tmp_path):
    response = client_for(cast.employee).get(skp_url(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    nip = cast.employees["employee"].nip_display
    for fragment in (
        "SASARAN KINERJA PEGAWAI",
        "Siti Aminah, A.Md.Kep",
        nip,
        "Penata Muda (III/a)",
        "dr. Ahmad Fauzi",
        cast.employees["rater"].nip_display,
        MAIN_TEXT,
        EXTRA_TEXT,
        LEADER_TEXT,
        "A. Utama",
        "B. Tambahan",
        "1.200 orang",
        "80–90 %",
        "Berorientasi Pelayanan",
        "Ramah kepada pasien lansia",
        "Aplikasi SIMPUS",
        "Laporan bulanan kepada Kepala Puskesmas",
        "Teguran tertulis",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "Palembang, ",
    ):
        assert fragment in text, fragment
    lowered = text.lower()
    assert "1 Januari 2026 s.d. 31 Desember 2026" in text
    for msgid in ("Employee being rated", "Performance rater", "Work results", "Work behaviour"):
        assert label(msgid).lower() in lowered, msgid


def test_a_jpt_plan_names_the_agency_indicator_and_perspective_and_the_region_head_rates(cast):
    from kinerja.strategy.services import indicator_save

    indicator = indicator_save(by=SYSTEM,
        agency=cast.dinkes,
        values={"code": "IKU-01", "name": "Angka kematian ibu", "unit_of_measure": "per 100.000",
                "polarity": "lower_is_better", "aggregation": "last"},
    )  # fmt: skip
    skp = services.skp_create(
        employee=cast.employees["head"], year=2026, approach="kualitatif", by=cast.head
    )
    services.rhk_add(
        skp=skp, by=cast.head, kind="utama", text="Menurunnya kematian ibu", indicator=indicator,
        perspective="penerima_layanan",
        indicators=[{"aspect": "kualitas", "text": "AKI turun menjadi 80 per 100.000", "target": "",
                     "unit": ""}],
    )  # fmt: skip
    doc = documents.skp_document(documents.document_plans(type(skp).objects).get(pk=skp.pk))
    row = doc.groups[0].rows[0]
    assert row.supports.splitlines()[0] == "IKU-01 Angka kematian ibu"
    assert "Penerima Layanan" in row.supports
    assert row.indicators[0].target == "–"
    assert doc.approach == "Kualitatif"
    assert doc.rater.position == "Wali Kota Palembang"
    assert doc.supports_heading == gettext("Agency target or indicator and perspective")
    html = documents.skp_html(doc)
    assert "Penerima Layanan" in html and "Wali Kota Palembang" in html


def test_a_plan_not_yet_approved_is_marked_as_a_draft(cast, plan):
    def html(skp_id):
        doc = documents.skp_document(documents.document_plans(type(plan).objects).get(pk=skp_id))
        return doc.approved, documents.skp_html(doc)

    approved, text = html(plan.pk)
    assert approved and 'id="skp-draft"' not in text
    draft = services.skp_create(
        employee=cast.employees["colleague"], year=2026, approach="kuantitatif", by=cast.colleague
    )
    approved, text = html(draft.pk)
    assert not approved and 'id="skp-draft"' in text
    assert "A. Utama" in text and label("No work results in this group.") in text


def test_a_plan_without_a_rater_prints_empty_rater_fields(cast, plan):
    plan.rater = None
    plan.save()
    doc = documents.skp_document(documents.document_plans(type(plan).objects).get(pk=plan.pk))
    assert doc.rater is None
    assert documents.render_pdf(documents.skp_html(doc)).startswith(b"%PDF")


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
    assert label("Credit points").lower() not in text.lower()


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
    assert documents.render_pdf(html).startswith(b"%PDF")


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
        skp=plan, by=cast.rater, period="2026", results_rating="meets", behaviour_rating="below"
    )
    evaluation_services.objection_file(evaluation=evaluation, by=cast.employee, reason="Keberatan")
    loaded = documents.document_evaluations(Evaluation.objects).get(pk=evaluation.pk)
    doc = documents.evaluation_document(loaded, viewer=cast.employee)
    assert doc.predicate == "Kurang/Misconduct"
    assert doc.objection.outcome == "Diajukan, belum diputuskan"
    assert not doc.objection.decided


def test_the_documents_take_as_many_queries_for_many_results_as_for_few(cast, quarter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.evaluations.models import Evaluation
    from kinerja.skp.models import Iki, Rhk

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            skp = documents.document_plans(type(quarter.skp).objects).get(pk=quarter.skp_id)
            documents.skp_html(documents.skp_document(skp))
            loaded = documents.document_evaluations(Evaluation.objects).get(pk=quarter.pk)
            documents.evaluation_html(documents.evaluation_document(loaded, viewer=cast.rater))
        return len(captured)

    before = queries()
    for number in range(2, 6):  # straight into the tables: the plan is no longer editable
        rhk = Rhk.objects.create(skp=quarter.skp, kind="tambahan", number=number, text=f"H{number}")
        for n in (1, 2):
            Iki.objects.create(rhk=rhk, number=n, aspect="waktu", text=f"I{n}", target=n)
    assert queries() == before


# --- Who may read them -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_employee_the_rater_chain_and_the_agencys_readers_download_both(
    client_for, cast, quarter, persona
):
    client = client_for(cast.users[persona])
    for url in (skp_url(quarter.skp), evaluation_url(quarter)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        disposition = response["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.pdf"', disposition)


@pytest.mark.parametrize("persona", STRANGERS)
def test_a_colleague_and_people_of_other_agencies_get_404(client_for, cast, quarter, persona):
    client = client_for(cast.users[persona])
    assert client.get(skp_url(quarter.skp)).status_code == 404
    assert client.get(evaluation_url(quarter)).status_code == 404


def test_an_unknown_document_is_404(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(reverse("documents:skp_pdf", kwargs={"skp_id": 999999})).status_code == 404
    url = reverse("documents:evaluation_pdf", kwargs={"evaluation_id": 999999})
    assert client.get(url).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, cast, quarter):
    for url in (skp_url(quarter.skp), evaluation_url(quarter)):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_only_get_is_allowed(client_for, cast, plan):
    assert client_for(cast.employee).post(skp_url(plan)).status_code == 405


def test_without_pango_the_page_answers_503_and_says_what_to_install(
    client_for, cast, plan, monkeypatch
):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(documents, "load_weasyprint", missing)
    response = client_for(cast.employee).get(skp_url(plan))
    assert response.status_code == 503
    assert "libpango-1.0-0 libpangoft2-1.0-0" in response.content.decode()


def test_the_pdf_refuses_to_fetch_anything_outside():
    with pytest.raises(ValueError, match="refused"):
        documents._fetch_nothing("file:///etc/passwd")


def test_text_typed_into_the_plan_is_escaped_in_the_document(cast, plan):
    services_plan = type(plan).objects.get(pk=plan.pk)
    services_plan.resources = '<img src="file:///etc/passwd">'
    services_plan.save()
    doc = documents.skp_document(documents.document_plans(type(plan).objects).get(pk=plan.pk))
    html = documents.skp_html(doc)
    assert "<img" not in html
    assert "&lt;img" in html
