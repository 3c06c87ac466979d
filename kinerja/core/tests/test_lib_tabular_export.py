"""The safe writers: user text that starts like a formula stays text in XLSX and CSV, numbers
stay numbers, and a CSV export read back gives exactly what was typed."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kinerja.core.tabular.export import SafeCsvWriter, append_safe, csv_text, csv_unescape

TYPED = [
    ('=HYPERLINK("http://x.example/","klik")', True),
    ("+62 711 123", True),
    ("-5 pasien", True),
    ("@SUM(A1:A2)", True),
    ("\tTab", True),
    ("\rCR", True),
    ("'=already quoted", True),
    ("''+twice", True),
    ("Melayani pasien", False),
    ("'apostrophe only", False),
    ("", False),
    ("1.200", False),
]


@pytest.mark.parametrize(("text", "dangerous"), TYPED)
def test_csv_text_prefixes_exactly_the_text_that_starts_like_a_formula(text, dangerous):
    assert (csv_text(text) == "'" + text) is dangerous
    assert (csv_text(text) == text) is not dangerous


@pytest.mark.parametrize(("text", "dangerous"), TYPED)
def test_a_csv_export_read_back_gives_what_was_typed(text, dangerous):
    out = io.StringIO()
    SafeCsvWriter(out).writerow([text, 12.5, 3])
    [row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert csv_unescape(row[0]) == text
    assert row[1:] == ["12.5", "3"]


@pytest.mark.parametrize("write_only", [True, False])
@pytest.mark.parametrize(("text", "dangerous"), TYPED)
def test_an_xlsx_cell_of_user_text_is_a_string_and_numbers_stay_numbers(
    text, dangerous, write_only
):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Data") if write_only else workbook.active
    append_safe(sheet, [text, 12.5, -3])
    data = io.BytesIO()
    workbook.save(data)
    cells = next(load_workbook(io.BytesIO(data.getvalue())).worksheets[0].iter_rows())
    if text:
        # XML reads a carriage return back as a line feed; the cell is text either way.
        assert (cells[0].value, cells[0].data_type) == (text.replace("\r", "\n"), "s")
    assert [(c.value, c.data_type) for c in cells[1:]] == [(12.5, "n"), (-3, "n")]


def test_numbers_and_other_values_pass_csv_text_unchanged():
    for value in (-5, 0, 12.5, None, True):
        assert csv_text(value) is value
