"""The SKP as PDF (``skp:pdf``): the form of PermenPANRB 6/2022 with identities,
results grouped A/B with their targets, behaviour and attachment; read by whoever may see the
plan (404 for anyone else); 503 with what to install when WeasyPrint cannot load; nothing
fetched from outside, typed text escaped. The evaluation document:
``kinerja/evaluations/tests/test_view_pdf.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kinerja.core import pdf as core_pdf
from kinerja.core.actors import SYSTEM
from kinerja.skp import documents, services

from .support import (
    EXTRA_TEXT,
    MAIN_TEXT,
    DocumentDownloadRights,
    document_plan,
    label,
    needs_pdftotext,
    pdf_text,
)

pytestmark = pytest.mark.django_db


LEADER_TEXT = "Terlaksananya asuhan keperawatan pasien rawat jalan"


@pytest.fixture
def plan(cast):
    return document_plan(cast)


def skp_url(skp) -> str:
    return reverse("skp:pdf", kwargs={"skp_id": skp.pk})


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


def test_the_document_takes_as_many_queries_for_many_results_as_for_few(cast, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.skp.models import Iki, Rhk

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            skp = documents.document_plans(type(plan).objects).get(pk=plan.pk)
            documents.skp_html(documents.skp_document(skp))
        return len(captured)

    before = queries()
    for number in range(2, 6):  # straight into the tables: the plan is no longer editable
        rhk = Rhk.objects.create(skp=plan, kind="tambahan", number=number, text=f"H{number}")
        for n in (1, 2):
            Iki.objects.create(rhk=rhk, number=n, aspect="waktu", text=f"I{n}", target=n)
    assert queries() == before


# --- Who may read it -------------------------------------------------------------------------


def test_only_get_is_allowed(client_for, cast, plan):
    assert client_for(cast.employee).post(skp_url(plan)).status_code == 405


def test_without_pango_the_page_answers_503_and_says_what_to_install(
    client_for, cast, plan, monkeypatch
):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(core_pdf, "load_weasyprint", missing)
    response = client_for(cast.employee).get(skp_url(plan))
    assert response.status_code == 503
    assert "libpango-1.0-0 libpangoft2-1.0-0" in response.content.decode()


def test_the_pdf_refuses_to_fetch_anything_outside():
    with pytest.raises(ValueError, match="refused"):
        core_pdf.data_only_fetcher().fetch("file:///etc/passwd")


def test_text_typed_into_the_plan_is_escaped_in_the_document(cast, plan):
    services_plan = type(plan).objects.get(pk=plan.pk)
    services_plan.resources = '<img src="file:///etc/passwd">'
    services_plan.save()
    doc = documents.skp_document(documents.document_plans(type(plan).objects).get(pk=plan.pk))
    html = documents.skp_html(doc)
    assert "<img" not in html
    assert "&lt;img" in html


class TestSkpDocumentRights(DocumentDownloadRights):
    unknown_url = reverse("skp:pdf", kwargs={"skp_id": 999999})

    @pytest.fixture
    def document_url(self, plan):
        return skp_url(plan)
