"""The LKjIP chapter III table (``kinerja.strategy.report``): rows grouped by strategic target,
the year's value by its aggregation and its achievement, numbers written the Indonesian way,
the header with the time printed and who signs (an acting head as Plt); the same number of
queries whatever the number of indicators; the XLSX with band colours, the PDF from HTML holding
every row and fetching nothing outside."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kinerja.core import pdf as core_pdf
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import ActingOfficial, Employee
from kinerja.strategy import report

from .workbook_support import YEAR, build_performance

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
        core_pdf.data_only_fetcher().fetch("file:///etc/passwd")
