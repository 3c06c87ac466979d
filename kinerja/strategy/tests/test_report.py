"""The LKjIP chapter III table: its data, the XLSX sheet, the PDF and who may read them."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import ActingOfficial, Employee
from kinerja.strategy import report
from kinerja.strategy.tests.test_spreadsheets import YEAR, build_performance

READERS = ["employee", "head", "pengelola", "rater", "admin", "auditor"]
STRANGERS = ["outsider", "other_head"]


@pytest.fixture
def table(cast):
    build_performance(cast)
    return report.chapter_three(
        agency=cast.dinkes, year=YEAR, now=datetime(YEAR + 1, 1, 15, 2, 30, tzinfo=UTC)
    )


def pdf_url(agency="DINKES", year=YEAR):
    return reverse("strategy:report_pdf", kwargs={"agency": agency, "year": year})


def xlsx_url(agency="DINKES", year=YEAR):
    return reverse("strategy:report_xlsx", kwargs={"agency": agency, "year": year})


# --- The data --------------------------------------------------------------------------------


def test_rows_are_grouped_by_strategic_target_and_the_ungrouped_come_last(table):
    groups = [
        (
            g.strategic_target.code if g.strategic_target else None,
            [r.indicator.code for r in g.rows],
        )
        for g in table.groups
    ]
    assert groups == [("S1.1", ["IKU-01"]), ("S1.2", ["IKU-02", "IKU-04"]), (None, ["IKU-03"])]
    assert [r.number for r in table.rows] == [1, 2, 3, 4]


def test_each_row_has_the_year_value_by_its_aggregation_and_its_achievement(table):
    rows = {r.indicator.code: r for r in table.rows}
    # IKU-01: average of 14.5, 16, 15, 13.25 = 14.6875; lower is better against 15
    assert rows["IKU-01"].realisation == D("14.69")
    assert rows["IKU-01"].achievement_pct == D("102.08")
    assert rows["IKU-01"].band.label == "Sangat Baik"
    # IKU-02: the last value (December) against 95.5
    assert rows["IKU-02"].realisation == D(93)
    assert rows["IKU-02"].achievement_pct == D("97.38")
    # IKU-04 = IKU-02 / 2, computed at the year level
    assert rows["IKU-04"].realisation == D("46.5")
    # IKU-03: a range 60–80; 0.1 lies below it
    assert rows["IKU-03"].target_text == "60–80"
    assert rows["IKU-03"].band.label == "Sangat Kurang"
    assert table.measured == 4
    expected = (D("102.08") + D("97.38") + D("103.33") + D("0.17")) / 4
    assert table.average_pct == expected.quantize(D("0.01"))
    assert table.average_band.label == "Cukup"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (D("87.5"), 2, "87,50"),
        (D("102.0833"), 2, "102,08"),
        (D("14.5000"), None, "14,5"),
        (D("15.0000"), None, "15"),
        (D("1234567.25"), None, "1.234.567,25"),
        (D("-12.5"), 2, "-12,50"),
        (None, 2, "–"),
    ],
)
def test_numbers_are_written_the_indonesian_way(value, places, text):
    assert report.decimal_text(value, places=places) == text


def test_an_indicator_without_target_or_value_is_not_measurable(cast, table):
    from kinerja.strategy.services import indicator_save

    indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-09",
            "name": "Baru",
            "unit_of_measure": "%",
            "polarity": "higher_is_better",
            "aggregation": "last",
        },
    )
    again = report.chapter_three(agency=cast.dinkes, year=YEAR)
    row = next(r for r in again.rows if r.indicator.code == "IKU-09")
    assert (row.target_text, row.realisation_text, row.achievement_text) == ("–", "–", "–")
    assert row.band_class == "band-none"
    assert again.measured == 4


def test_the_header_says_when_it_was_printed_in_wib_and_who_signs(cast, table):
    assert table.printed_text == f"15 Januari {YEAR + 1} 09.30 WIB"
    assert table.signatory.name == "dr. Hendra Wijaya, M.Kes"
    nip = cast.employees["head"].nip
    assert table.signatory.nip == f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert table.filename_stem == f"lkjip-bab3-DINKES-{YEAR}"


def test_an_acting_head_signs_as_plt_when_the_post_is_vacant(cast, table):
    head = cast.employees["head"]
    head.position = None
    head.save()
    ActingOfficial.objects.create(
        position=cast.positions["kadis"],
        employee=cast.employees["rater_superior"],
        kind="plt",
        reason="SK Wali Kota",
        starts_on=date(YEAR, 1, 1),
    )
    again = report.chapter_three(agency=cast.dinkes, year=YEAR)
    assert again.signatory.acting == "Plt."
    assert again.signatory.name == Employee.objects.get(pk=cast.employees["rater_superior"].pk).name


def test_the_table_takes_the_same_number_of_queries_whatever_the_number_of_indicators(cast):
    from kinerja.strategy.services import indicator_save, realisation_record, target_set

    build_performance(cast, agree=False)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report.chapter_three(agency=cast.dinkes, year=YEAR)
        return len(captured)

    before = queries()
    for n in range(5):
        ind = indicator_save(
            by=SYSTEM,
            agency=cast.dinkes,
            values={
                "code": f"IKU-5{n}",
                "name": f"Tambahan {n}",
                "unit_of_measure": "%",
                "polarity": "higher_is_better",
                "aggregation": "sum",
            },
        )
        target_set(by=SYSTEM, indicator=ind, year=YEAR, value=D(10))
        realisation_record(by=SYSTEM, indicator=ind, year=YEAR, month=1, value=D(n))
    assert queries() == before


# --- The XLSX ---------------------------------------------------------------------------------


def test_the_xlsx_holds_the_rows_with_band_colours_as_fills(table):
    workbook = load_workbook(io.BytesIO(report.write_xlsx(table)))
    ws = workbook["Bab III"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][0] == "Dinas Kesehatan"
    header = next(i for i, row in enumerate(values) if row[3] and row[0] and row[0] != 1 and i > 4)
    assert "S1.1" in values[header + 1][0]  # the table starts right under its header
    rows = {
        str(row[1]).split()[0]: (row, index + 1)
        for index, row in enumerate(values)
        if row[1] and str(row[1]).startswith("IKU-")
    }
    first, at = rows["IKU-01"]
    assert first[0] == 1
    assert first[2:6] == ["menit", 15, 14.69, 102.08]
    assert first[6] == "Sangat Baik"
    assert ws.cell(at, 6).fill.fgColor.rgb.endswith("1E7B34")
    assert ws.cell(at, 7).fill.fgColor.rgb.endswith("1E7B34")
    assert ws.cell(at, 6).number_format == "0.00"
    occupancy, at = rows["IKU-03"]
    assert occupancy[3] == "60–80"
    assert ws.cell(at, 7).fill.fgColor.rgb.endswith("B3261E")
    average = next(row for row in values if row[5] == 75.74)
    assert average[6] == "Cukup"
    texts = [str(v) for row in values for v in row if v]
    assert any(t.startswith("NIP. ") for t in texts)
    assert any("S1.1" in t for t in texts)


# --- The PDF ----------------------------------------------------------------------------------


def test_the_pdf_is_a_real_document_made_from_html_holding_every_row(table):
    html = report.report_html(table)
    for code in ("IKU-01", "IKU-02", "IKU-03", "IKU-04", "S1.1", "S1.2"):
        assert code in html
    assert "102,08" in html
    assert "75,74" in html
    assert 'class="num band-sangat-baik"' in html
    assert ".band-sangat-baik { background-color: #1e7b34" in html
    data = report.render_pdf(table)
    assert data.startswith(b"%PDF-")
    assert len(data) > 5000
    assert data.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_text_holds_the_rows_and_numbers(table, tmp_path):
    path = tmp_path / "bab3.pdf"
    path.write_bytes(report.render_pdf(table))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for fragment in ("IKU-01", "IKU-04", "102,08", "60–80", "75,74", "Dinas Kesehatan"):
        assert fragment in text


def test_the_pdf_refuses_to_fetch_anything_outside(table):
    with pytest.raises(ValueError, match="refused"):
        report._fetch_nothing("file:///etc/passwd")


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


@pytest.mark.parametrize("persona", READERS)
def test_the_agencys_people_download_the_xlsx(client_for, cast, table, persona):
    response = client_for(getattr(cast, persona)).get(xlsx_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"lkjip-bab3-DINKES-{YEAR}.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Bab III"]


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

    monkeypatch.setattr(report, "load_weasyprint", missing)
    response = client_for(cast.employee).get(pdf_url())
    assert response.status_code == 503
    body = response.content.decode()
    assert "libpango-1.0-0 libpangoft2-1.0-0" in body
    assert xlsx_url() in body
