"""The SKP document (``skp:pdf``), "Penugasan dari": the first column of the results table
names who assigned each result — for a result supporting a superior's result, that superior's
name and position; otherwise the rater's position and unit; for a JPT the head of region."""

import pytest
from django.urls import reverse

from kinerja.skp import documents, services
from kinerja.skp.models import Skp

from .support import document_plan, needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


def rows(skp):
    doc = documents.skp_document(documents.document_plans(Skp.objects).get(pk=skp.pk))
    return doc, [row for group in doc.groups for row in group.rows]


def test_each_result_names_who_assigned_it(cast):
    doc, (main, extra) = rows(document_plan(cast))
    # (result, Penugasan dari): the main result supports the rater's own result
    table = [
        (main, "dr. Ahmad Fauzi\nKepala Puskesmas Plaju"),
        (extra, "Kepala Puskesmas Plaju\nUPTD Puskesmas Plaju"),
    ]
    for row, assigned in table:
        assert row.assigned_by == assigned
    html = documents.skp_html(doc)
    assert html.index("Penugasan dari") < html.index(doc.supports_heading)
    assert 'class="pre assigned-by"' in html and "UPTD Puskesmas Plaju" in html


def test_a_jpts_results_are_assigned_by_the_head_of_region(cast):
    skp = services.skp_create(
        employee=cast.employees["head"], year=2026, approach="kualitatif", by=cast.head
    )
    services.rhk_add(
        skp=skp, by=cast.head, kind="utama", text="Meningkatnya derajat kesehatan",
        indicators=[{"aspect": "kuantitas", "text": "Puskesmas terakreditasi", "target": "5"}],
    )  # fmt: skip
    _doc, (row,) = rows(skp)
    assert row.assigned_by == "Wali Kota Palembang"


@needs_pdftotext
def test_the_pdf_reads_penugasan_dari(client_for, cast, tmp_path):
    skp = document_plan(cast)
    response = client_for(cast.rater).get(reverse("skp:pdf", kwargs={"skp_id": skp.pk}))
    text = pdf_text(response.content, tmp_path)
    assert "Penugasan dari" in text and "UPTD Puskesmas Plaju" in text
