"""The PAK document (konversi predikat kinerja ke angka kredit) as PDF
(``evaluations:credit_pdf``): read back from the PDF when pdftotext is installed, from its
HTML otherwise; 404 for those who may not see the employee."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kinerja.evaluations.ledger import credit_ledger
from kinerja.evaluations.services import credit_base_set
from kinerja.evaluations.views.credit import credit_html
from kinerja.skp.documents import render_pdf
from kinerja.skp.tests.support import needs_pdftotext, pdf_text

from .ledger_support import plan_from, rate
from .support import ANNUAL, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_year(cast):
    skp = plan_from(cast)
    rate(cast, skp, f"{YEAR}-Q1", "Sangat Baik")
    rate(cast, skp, ANNUAL)
    credit_base_set(
        employee=skp.employee, by=cast.pengelola, amount="40,5", pak_number="PAK/3/2025",
        pak_date=date(YEAR, 3, 31),
    )  # fmt: skip
    return skp


def url(cast) -> str:
    return (
        reverse("evaluations:credit_pdf", args=[cast.employees["employee"].nip]) + f"?year={YEAR}"
    )


FRAGMENTS = [
    "KONVERSI PREDIKAT KINERJA KE ANGKA KREDIT",
    "Siti Aminah, A.Md.Kep",
    "Sangat Baik",
    "1,88",  # Q1: 3 × 150 % × 5 ÷ 12, Indonesian decimals
    "3,75",  # the other nine months, Baik
    "5,63",  # the year
    "PAK/3/2025",
    "44,25",  # the running total: 40,5 + 3,75
]


def test_the_document_holds_the_entries_the_base_and_the_running_total(cast, rated_year):
    html = credit_html(credit_ledger(rated_year.employee, YEAR))
    for fragment in FRAGMENTS:
        assert fragment in html, fragment
    assert render_pdf(html).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["employee", "rater", "pengelola"])
def test_those_who_see_the_employee_download_it(cast, client_for, rated_year, who):
    response = client_for(cast.users[who]).get(url(cast))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@needs_pdftotext
def test_the_pdf_text_holds_the_ledger(cast, client_for, rated_year, tmp_path):
    text = pdf_text(client_for(cast.employee).get(url(cast)).content, tmp_path)
    for fragment in FRAGMENTS:
        assert fragment in text, fragment


def test_an_outsider_does_not_find_it(cast, client_for, rated_year):
    assert client_for(cast.outsider).get(url(cast)).status_code == 404
