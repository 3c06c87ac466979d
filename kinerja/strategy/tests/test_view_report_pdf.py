"""The LKjIP chapter III table as PDF (``strategy:report_pdf``): for the agency's people and
the region's readers; 503 with what to install when WeasyPrint cannot load; and, for the PDF and
the XLSX, a person of another agency, an unknown agency or a year out of range gets 404, a
signed-out visitor signs in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.core import pdf as core_pdf

from .support import READERS, xlsx_url
from .workbook_support import YEAR

STRANGERS = ["outsider", "other_head"]


def pdf_url(agency="DINKES", year=YEAR):
    return reverse("strategy:report_pdf", kwargs={"agency": agency, "year": year})


# --- The pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_agencys_people_and_the_regions_readers_download_the_pdf(
    client_for, cast, table, persona
):
    response = client_for(getattr(cast, persona)).get(pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="lkjip-bab3-DINKES-{YEAR}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", STRANGERS)
@pytest.mark.parametrize("url", [pdf_url, xlsx_url])
def test_a_person_of_another_agency_gets_404_for_the_report(client_for, cast, table, persona, url):
    assert client_for(getattr(cast, persona)).get(url()).status_code == 404


@pytest.mark.parametrize("url", [pdf_url, xlsx_url])
def test_an_unknown_agency_or_a_year_out_of_range_is_404(client_for, cast, url):
    client = client_for(cast.admin)
    assert client.get(url(agency="NOPE")).status_code == 404
    assert client.get(url(year=1999)).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(pdf_url())
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_without_pango_the_pdf_page_answers_503_and_says_what_to_install(
    client_for, cast, table, monkeypatch
):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(core_pdf, "load_weasyprint", missing)
    response = client_for(cast.employee).get(pdf_url())
    assert response.status_code == 503
    body = response.content.decode()
    assert "libpango-1.0-0 libpangoft2-1.0-0" in body
    assert xlsx_url() in body
