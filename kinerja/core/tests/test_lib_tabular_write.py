"""The shared writers of data sheets, the help sheet and CSV: user text stays text (never a
formula), numbers stay numbers, Text columns keep their format (no database needed)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from kinerja.core.tabular import write
from kinerja.core.tabular.columns import HELP_SHEET_TITLE, Column, Sheet

SHEET = Sheet(
    "things",
    "Barang",
    "kode",
    (
        Column("kode", True, "Code", "=A1"),
        Column("nama", True, "Name", "Satu"),
        Column("nilai", False, "Value", "12,5"),
    ),
)
RECORDS = [
    {"kode": "0012", "nama": '=HYPERLINK("http://x.example/")', "nilai": 12.5},
    {"kode": "-7", "nama": "Biasa", "nilai": -3},
]


def workbook_of(**options) -> bytes:
    workbook = write.new_workbook()
    write.add_data_sheet(workbook, SHEET, RECORDS, width=lambda column: 20, **options)
    write.add_help_sheet(workbook, [SHEET], ["=one line"], widths=(1, 2, 3, 4, 5))
    return write.workbook_bytes(workbook, active=1)


def test_a_data_sheet_writes_user_text_as_text_and_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(workbook_of(text_columns={"kode"})))
    rows = list(workbook["Barang"].iter_rows())
    assert [(c.value, c.data_type) for c in rows[0]] == [
        ("kode", "s"),
        ("nama", "s"),
        ("nilai", "s"),
    ]
    assert [(c.value, c.data_type) for c in rows[1]] == [
        ("0012", "s"),
        ('=HYPERLINK("http://x.example/")', "s"),
        (12.5, "n"),
    ]
    assert [(c.value, c.data_type) for c in rows[2]] == [("-7", "s"), ("Biasa", "s"), (-3, "n")]
    assert rows[1][0].number_format == rows[2][0].number_format == "@"
    assert workbook.active.title == HELP_SHEET_TITLE


def test_the_help_sheet_explains_every_column_and_runs_nothing():
    help_sheet = load_workbook(io.BytesIO(workbook_of()))[HELP_SHEET_TITLE]
    cells = [c for row in help_sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells]
    assert "=one line" in texts and "=A1" in texts
    assert {"kode", "nama", "nilai"} <= set(texts)


def test_a_csv_prefixes_text_that_looks_like_a_formula_and_keeps_the_rest():
    data = write.csv_bytes(SHEET, RECORDS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["kode", "nama", "nilai"],
        ["0012", '\'=HYPERLINK("http://x.example/")', "12.5"],
        ["'-7", "Biasa", "-3"],
    ]
