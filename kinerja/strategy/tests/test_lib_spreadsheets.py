"""Writing the indicator workbook (``kinerja.strategy.spreadsheets``): each kind of row in the
file's words, numbers kept as numbers and periods as text; an export imported again, or the
template imported unchanged, changes nothing; the template explains every column."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from kinerja.core.models import AuditRecord
from kinerja.strategy import imports, spreadsheets
from kinerja.strategy.imports import cell_decimal
from kinerja.strategy.models import Indicator, Realisation

from .workbook_support import YEAR, run_import

# --- Round trip ------------------------------------------------------------------------------


def test_an_export_imported_again_changes_nothing(performance, cast):
    tables = spreadsheets.export_tables([cast.dinkes, cast.dukcapil], YEAR)
    data = spreadsheets.write_workbook(tables)
    records = AuditRecord.objects.count()
    stamps = dict(Indicator.objects.values_list("code", "updated_at"))
    realisations = Realisation.objects.count()
    outcome = run_import(data, user=cast.admin)
    assert outcome.ok, outcome.errors
    assert outcome.applied
    assert [(c["key"], c["created"], c["updated"], c["unchanged"]) for c in outcome.summary()] == [
        ("indicators", 0, 0, 5),
        ("targets", 0, 0, 5),
        ("realisations", 0, 0, 8),
    ]
    assert AuditRecord.objects.count() == records
    assert dict(Indicator.objects.values_list("code", "updated_at")) == stamps
    assert Realisation.objects.count() == realisations


def test_the_export_holds_each_kind_of_row_in_the_files_words(performance, cast):
    tables = spreadsheets.export_tables([cast.dinkes], YEAR)
    indicators = {row["kode"]: row for row in tables["indicators"]}
    assert set(indicators) == {"IKU-01", "IKU-02", "IKU-03", "IKU-04"}
    assert indicators["IKU-01"]["polaritas"] == "lower_is_better"
    assert indicators["IKU-01"]["kode_sasaran"] == "S1.1"
    assert indicators["IKU-01"]["kode_jabatan_pemilik"] == "DINKES-PKM-PLAJU-KEPALA"
    assert indicators["IKU-04"]["rumus"] == "{IKU-02} / 2"
    targets = {row["kode_indikator"]: row for row in tables["targets"]}
    assert targets["IKU-03"]["target_bawah"] == D(60)
    assert targets["IKU-03"]["tw3_atas"] == D(85)
    assert targets["IKU-02"].get("tw1") is None
    assert targets["IKU-02"]["tw2"] == D(50)
    periods = [(r["kode_indikator"], r["periode"]) for r in tables["realisations"]]
    assert ("IKU-01", f"{YEAR}-04") in periods
    assert not any(code == "IKU-04" for code, _period in periods)  # formula: computed


def test_the_written_workbook_keeps_numbers_as_numbers_and_periods_as_text(performance, cast):
    data = spreadsheets.write_workbook(spreadsheets.export_tables([cast.dinkes], YEAR))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Indikator", "Target", "Realisasi", "Petunjuk"]
    ws = workbook["Realisasi"]
    header = [c.value for c in ws[1]]
    assert header == imports.REALISATIONS.column_names
    first = {header[i]: c for i, c in enumerate(ws[2])}
    assert first["periode"].value == f"{YEAR}-01"
    assert first["periode"].number_format == "@"
    assert first["nilai"].value == 14.5
    occupancy = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "IKU-03")
    assert occupancy[3].value == 0.1


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (D("15.0000"), 15),
        (D("14.5000"), 14.5),
        (D("0.1000"), 0.1),
        (D("123456789012.3456"), "123456789012.3456"),  # past a float's digits: text
        (None, None),
    ],
)
def test_a_stored_number_is_written_as_a_number_when_a_float_holds_it(value, cell):
    assert spreadsheets.number_cell(value) == cell
    if cell is not None:
        assert cell_decimal(cell) == value


def test_the_template_has_no_data_rows_and_explains_every_column():
    workbook = load_workbook(io.BytesIO(spreadsheets.template_workbook()))
    assert workbook.sheetnames == ["Indikator", "Target", "Realisasi", "Petunjuk"]
    for key in imports.ORDER:
        sheet = imports.SHEETS[key]
        ws = workbook[sheet.title]
        assert ws.max_row == 1
        assert [c.value for c in ws[1]] == sheet.column_names
    explained = {
        (row[0], row[1]) for row in workbook["Petunjuk"].iter_rows(values_only=True) if row[1]
    }
    for sheet in imports.SHEETS.values():
        for column in sheet.columns:
            assert (sheet.title, column.name) in explained
    examples = {
        row[1]: row[4] for row in workbook["Petunjuk"].iter_rows(values_only=True) if row[0]
    }
    assert examples["polaritas"] == "lower_is_better"


def test_the_template_imported_unchanged_changes_nothing(cast):
    records = AuditRecord.objects.count()
    outcome = run_import(spreadsheets.template_workbook(), user=cast.admin)
    assert outcome.ok
    assert all(c["created"] + c["updated"] + c["unchanged"] == 0 for c in outcome.summary())
    assert AuditRecord.objects.count() == records
