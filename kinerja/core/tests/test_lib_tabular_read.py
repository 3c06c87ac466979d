"""The shared readers: sheets and columns, the header check, tables, CSV records and the
errors that name sheet, row and column (no database needed)."""

from __future__ import annotations

import pytest
from django.utils import translation

from kinerja.core.tabular.columns import (
    Column,
    Sheet,
    column_letter,
    normalize_header,
    sheet_for_title,
)
from kinerja.core.tabular.errors import RowError, TabularError
from kinerja.core.tabular.read import (
    check_header,
    csv_records,
    filled,
    find_sheets,
    sniff_delimiter,
    table_of,
)

COLUMNS = (
    Column("kode", True, "Code", "A-1"),
    Column("nama", True, "Name", "Satu"),
    Column("catatan", False, "Note", "x"),
)
BY_KEY = Sheet("things", "Barang", "kode", COLUMNS)
BY_TITLE = Sheet("things", "Barang", "kode", COLUMNS, errors_by_title=True)


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_a_column_is_named_by_its_letter(index, letter):
    assert column_letter(index) == letter


def test_header_cells_ignore_case_and_spaces():
    assert [normalize_header(c) for c in (" Kode Unit ", "NAMA", None)] == ["kode_unit", "nama", ""]


def test_a_sheet_is_found_by_its_title_or_its_key():
    assert sheet_for_title(" barang ", [BY_KEY]) is BY_KEY
    assert sheet_for_title("THINGS", [BY_KEY]) is BY_KEY
    assert sheet_for_title("Lain", [BY_KEY]) is None
    found, others = find_sheets(["Petunjuk", "Barang", "things", "Sheet1"], [BY_KEY])
    assert (found, others) == ({"things": "Barang"}, ["Sheet1"])


@pytest.mark.parametrize(("sheet", "named"), [(BY_KEY, "things"), (BY_TITLE, "Barang")])
def test_the_header_check_names_every_problem_with_its_sheet_and_row(sheet, named):
    with pytest.raises(TabularError) as caught:
        check_header(sheet, ["kode", "kode", "warna"], 3)
    errors = caught.value.errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [
        (named, 3, "kode"),
        (named, 3, ""),
        (named, 3, ""),
    ]
    assert "warna" in errors[1].message and "nama" in errors[2].message
    assert {e.as_dict()["sheet"] for e in errors} == {"Barang"}


def test_a_good_header_passes():
    check_header(BY_KEY, ["kode", "nama", ""], 1)


def test_a_row_error_names_sheet_row_and_column():
    with translation.override("en"):
        assert str(BY_KEY.error(5, "nama", "bad")) == "Barang, row 5, column nama: bad"
        assert str(RowError("", None, "", "The file is empty.")) == "The file is empty."


def test_a_table_starts_at_its_first_filled_row():
    table = table_of([["", None], [" Kode ", "Nama"], ["A", "x"], ["", ""], ["B", "y"]])
    assert (table.header_row, table.names) == (2, ["kode", "nama"])
    assert [(n, r) for n, r in table.rows if filled(r)] == [(3, ["A", "x"]), (5, ["B", "y"])]
    assert table_of([[None, " "]]) is None


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_records_use_the_delimiter_of_the_header(delimiter):
    data = ("\ufeff" + delimiter.join(["kode", "nama"]) + "\r\nA" + delimiter + "x\r\n").encode()
    assert sniff_delimiter(delimiter.join(["a", "b", "c"])) == delimiter
    assert csv_records(data) == [["kode", "nama"], ["A", "x"]]
