"""The safe writers every XLSX and CSV export goes through.

Text a person typed is written as text, never as something a spreadsheet runs: a value that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return ("CSV injection", OWASP)
is an XLSX string cell (``t="inlineStr"``, shown as typed, never evaluated) and, in CSV,
is prefixed with an apostrophe, which every spreadsheet reads as "this is text". A value that
already begins with apostrophes before such a character gets one more, so that
:func:`csv_unescape` gives back exactly what was typed: re-importing an export changes nothing.
Numbers, dates and booleans stay what they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - openpyxl is loaded when a workbook is written
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

#: What a spreadsheet reads as the start of a formula (or of a cell it may re-parse).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def looks_like_formula(text: str) -> bool:
    """Whether ``text`` (apostrophes before it set aside) starts like a formula."""
    return text.lstrip("'")[:1] in FORMULA_TRIGGERS


def csv_text(value: Any) -> Any:
    """``value`` as a CSV writer should receive it: text that starts like a formula gets a
    leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and value and looks_like_formula(value):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_text` on a cell read back from a CSV export."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """``csv.writer`` whose rows go through :func:`csv_text`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_value(sheet: Worksheet | WriteOnlyWorksheet, value: Any) -> Any:
    """``value`` as a row of ``sheet`` should receive it: text that starts like a formula
    becomes a string cell (openpyxl would otherwise store it as a formula); a cell or anything
    else unchanged."""
    if isinstance(value, str) and value and looks_like_formula(value):
        # openpyxl (~8 MB) only in processes that write a workbook: not in every web worker
        # or console command that merely reads a CSV (csv_unescape) at start.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_row(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` with every value through :func:`xlsx_value`."""
    return [xlsx_value(sheet, value) for value in values]


def append_safe(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with user text kept as text."""
    sheet.append(xlsx_row(sheet, values))
