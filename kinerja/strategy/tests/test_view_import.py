"""The import page (``strategy:import``): offered with the form, the template and the export
to those who manage an agency (403 for others, here and for the template); a Pengelola Kinerja
imports rows of their agency and sees the counts, not another agency's; the admin every
agency's; errors listed with sheet, row and column and nothing stored; a dry run; a file that is
no workbook, none or one over the size limit refused; an export uploaded again changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.core.models import AuditRecord, Channel
from kinerja.strategy import imports
from kinerja.strategy.models import Indicator, Realisation

from .workbook_support import (
    INDICATOR_HEADER,
    REALISATION_HEADER,
    TEMPLATE,
    YEAR,
    build_performance,
    export_url,
    workbook_bytes,
)

IMPORT = reverse("strategy:import")


REFUSED = ["employee", "colleague", "rater", "rater_superior", "head", "auditor", "outsider"]


def upload(data: bytes, name: str = "indikator.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def error_cells(html: str) -> set[tuple[str, str, str]]:
    """(sheet, row, column) of each row of the error table."""
    return set(
        re.findall(
            r'class="import-error" data-sheet="([^"]*)" data-row="([^"]*)" data-column="([^"]*)"',
            html,
        )
    )


def counts(html: str, key: str) -> list[int]:
    row = re.search(rf'data-sheet="{key}">(.*?)</tr>', html, re.S).group(1)
    return [int(n) for n in re.findall(r'class="num"[^>]*>(\d+)<', row)]


# --- Who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("url", [IMPORT, TEMPLATE])
def test_a_person_who_manages_no_agency_gets_403(client_for, cast, persona, url):
    assert client_for(getattr(cast, persona)).get(url).status_code == 403


@pytest.mark.parametrize("persona", REFUSED)
def test_a_person_who_manages_no_agency_cannot_post_a_file(client_for, cast, persona):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {"Realisasi": [REALISATION_HEADER, ["DINKES", "IKU-01", f"{YEAR}-05", 1, ""]]}
    )
    response = client_for(getattr(cast, persona)).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 403
    assert not Realisation.objects.filter(month=5).exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("persona", ["pengelola", "admin"])
def test_the_import_page_offers_the_form_the_template_and_the_export(client_for, cast, persona):
    response = client_for(getattr(cast, persona)).get(IMPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert TEMPLATE in html
    assert 'id="export-form"' in html
    for column in imports.TARGETS.column_names:
        assert f"<code>{column}</code>" in html


def test_the_export_form_sends_on_to_the_export_address(client_for, cast):
    response = client_for(cast.pengelola).get(
        IMPORT, {"export-agency": "DINKES", "export-year": YEAR}
    )
    assert response.status_code == 302
    assert response["Location"] == export_url()


def test_the_export_form_offers_only_visible_agencies(client_for, cast):
    response = client_for(cast.pengelola).get(
        IMPORT, {"export-agency": "DUKCAPIL", "export-year": YEAR}
    )
    assert response.status_code == 200  # the form again, with its error
    assert 'id="id_export-agency_error"' in response.content.decode()


# --- Importing --------------------------------------------------------------------------------


def test_a_pengelola_imports_rows_of_their_agency_and_sees_the_counts(client_for, cast):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {
            "Indikator": [
                INDICATOR_HEADER,
                ["DINKES", "IKU-10", "Persentase puskesmas terakreditasi", "%", "tinggi", "last"],
            ],
            "Realisasi": [
                REALISATION_HEADER,
                ["DINKES", "IKU-01", f"{YEAR}-05", "12,75", "Rekap Mei"],
                ["DINKES", "IKU-01", f"{YEAR}-01", 14.5, "Rekap register IGD bulan 1"],
            ],
        }
    )
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-ok="yes"' in html
    assert counts(html, "indicators") == [1, 0, 0]
    assert counts(html, "realisations") == [1, 0, 1]
    assert Indicator.objects.filter(agency=cast.dinkes, code="IKU-10").exists()
    value = Realisation.objects.current().get(month=5, indicator__code="IKU-01")
    assert value.entered_by == cast.pengelola
    assert str(value.value) == "12.7500"
    records = AuditRecord.objects.filter(channel=Channel.IMPORT)
    assert records.count() == 2
    assert set(records.values_list("actor_id", flat=True)) == {cast.pengelola.pk}


def test_a_pengelola_of_dinkes_cannot_import_dukcapil_rows(client_for, cast):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {
            "Realisasi": [
                REALISATION_HEADER,
                ["DINKES", "IKU-01", f"{YEAR}-05", 12, ""],
                ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 22, ""],
            ]
        }
    )
    records = AuditRecord.objects.count()
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-ok="no"' in html
    assert error_cells(html) == {("Realisasi", "3", "kode_instansi")}
    assert AuditRecord.objects.count() == records
    assert not Realisation.objects.filter(month=5).exists()
    assert not Realisation.objects.filter(indicator__agency=cast.dukcapil, month=2).exists()


def test_the_admin_may_import_rows_of_every_agency(client_for, cast):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {"Realisasi": [REALISATION_HEADER, ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 22, ""]]}
    )
    response = client_for(cast.admin).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    assert Realisation.objects.current().get(month=2, indicator__agency=cast.dukcapil).value == 22


def test_errors_are_listed_with_sheet_row_and_column_and_nothing_is_stored(client_for, cast):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {
            "Indikator": [INDICATOR_HEADER, ["DINKES", "IKU-10", "Baru", "%", "tinggi", "last"]],
            "Target": [
                ["kode_instansi", "kode_indikator", "tahun", "target"],
                ["DINKES", "IKU-10", YEAR, "delapan"],
            ],
        }
    )
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 400
    assert error_cells(response.content.decode()) == {("Target", "2", "target")}
    assert not Indicator.objects.filter(code="IKU-10").exists()


def test_a_dry_run_shows_what_would_change_and_stores_nothing(client_for, cast):
    build_performance(cast, agree=False)
    data = workbook_bytes(
        {"Realisasi": [REALISATION_HEADER, ["DINKES", "IKU-01", f"{YEAR}-05", 12, ""]]}
    )
    records = AuditRecord.objects.count()
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data), "dry_run": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-dry-run"' in html
    assert counts(html, "realisations") == [1, 0, 0]
    assert not Realisation.objects.filter(month=5).exists()
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize(
    ("name", "data"),
    [("indikator.csv", b"kode_instansi,kode\nDINKES,IKU-01\n"), ("indikator.xlsx", b"PK-not-zip")],
)
def test_a_file_that_is_no_workbook_gets_an_error_and_changes_nothing(client_for, cast, name, data):
    records = AuditRecord.objects.count()
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data, name)})
    assert response.status_code == 400
    assert 'id="import-errors"' in response.content.decode()
    assert AuditRecord.objects.count() == records


def test_a_post_without_a_file_shows_the_form_with_its_error(client_for, cast):
    response = client_for(cast.pengelola).post(IMPORT, {})
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client_for, cast, settings):
    settings.KINERJA_MAX_UPLOAD_MB = 1
    data = b"PK" + b"0" * (1024 * 1024 + 10)
    response = client_for(cast.pengelola).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()


def test_an_export_uploaded_again_changes_nothing(client_for, cast, performance):
    client = client_for(cast.pengelola)
    exported = client.get(export_url()).content
    records = AuditRecord.objects.count()
    response = client.post(IMPORT, {"file": upload(exported)})
    assert response.status_code == 200
    html = response.content.decode()
    assert counts(html, "indicators") == [0, 0, 4]
    assert counts(html, "targets") == [0, 0, 4]
    assert counts(html, "realisations") == [0, 0, 7]
    assert AuditRecord.objects.count() == records
