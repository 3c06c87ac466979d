"""Writing the files an import reads back: a sheet per dataset (header row, column widths,
text formats), the help sheet "Petunjuk", and CSV. Every value goes through
:mod:`.export`, so that text a person typed is written as text, never as a formula.

openpyxl (~8 MB) is loaded when the first workbook is written, not when this module is
imported: every web worker and console command imports the pages and commands that write
workbooks, few of them ever write one.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .columns import HELP_SHEET_TITLE, Sheet, column_letter
from .export import SafeCsvWriter, append_safe, xlsx_value

if TYPE_CHECKING:  # pragma: no cover - for the type hints only
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TEXT_FORMAT = "@"


def new_workbook() -> Workbook:
    """A workbook written row by row (flat memory whatever the size)."""
    from openpyxl import Workbook  # see the module's docstring

    return Workbook(write_only=True)


def _cell(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> Cell:
    """A cell of ``sheet`` with a style (``font``, ``number_format``)."""
    from openpyxl.cell import WriteOnlyCell  # see the module's docstring

    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def strong(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    """A bold cell of fixed text (a header, a title)."""
    from openpyxl.styles import Font  # see the module's docstring

    return _cell(sheet, text, font=Font(bold=True))


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell:
    """A cell formatted as Text (Excel then keeps leading zeros and long digits); user text
    that starts like a formula stays a string cell."""
    cell = xlsx_value(sheet, value)
    if cell is value:  # not made a string cell
        return _cell(sheet, value, number_format=TEXT_FORMAT)
    string_cell: Cell = cell
    string_cell.number_format = TEXT_FORMAT
    return string_cell


def add_data_sheet(
    workbook: Workbook,
    sheet: Sheet,
    records: Iterable[Mapping[str, Any]],
    *,
    width: Callable[[str], float],
    text_columns: Iterable[str] = (),
    text_cells: Iterable[str] | None = None,
    value: Callable[[str, Any], Any] | None = None,
) -> None:
    """One sheet: the column names in bold in row 1 (frozen), then a row per record.

    ``text_columns`` are formatted as Text for what someone types later; ``text_cells`` (by
    default the same) are written as Text cells. ``value(column, value)`` turns a record's
    value into the cell's (by default: as it is)."""
    ws = workbook.create_sheet(sheet.title)
    text_columns = set(text_columns)
    text_cells = text_columns if text_cells is None else set(text_cells)
    for index, column in enumerate(sheet.column_names):
        dimension = ws.column_dimensions[column_letter(index)]
        dimension.width = width(column)
        if column in text_columns:
            dimension.number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"
    ws.append([strong(ws, column) for column in sheet.column_names])
    for record in records:
        row = []
        for column in sheet.column_names:
            cell = value(column, record.get(column)) if value else record.get(column)
            row.append(text_cell(ws, cell) if column in text_cells else xlsx_value(ws, cell))
        ws.append(row)


def add_help_sheet(
    workbook: Workbook,
    sheets: Iterable[Sheet],
    lines: Iterable[str],
    *,
    widths: tuple[float, float, float, float, float],
) -> None:
    """The sheet "Petunjuk": how to fill the workbook in (``lines``), then every column of
    ``sheets`` with whether it is required, its meaning and an example. Never imported."""
    ws = workbook.create_sheet(HELP_SHEET_TITLE)
    for letter, width in zip("ABCDE", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([strong(ws, _("How to fill in this workbook"))])
    for line in lines:
        append_safe(ws, [line])
    ws.append([])
    titles = (_("Sheet"), _("Column"), _("Required"), _("Meaning"), _("Example"))
    ws.append([strong(ws, title) for title in titles])
    for sheet in sheets:
        for column in sheet.columns:
            required = _("yes") if column.required else _("no")
            append_safe(ws, [sheet.title, column.name, required, str(column.help), column.example])


def workbook_bytes(workbook: Workbook, *, active: int | None = None) -> bytes:
    """The workbook as the bytes of an .xlsx file, opening at sheet ``active``."""
    if active is not None:
        workbook.active = active
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet, records: Iterable[Mapping[str, Any]]) -> bytes:
    """One dataset as CSV: UTF-8 with a byte-order mark (so that Excel reads it as UTF-8),
    comma-separated, a header row of column names, then a row per record."""
    out = io.StringIO(newline="")
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(sheet.column_names)
    for record in records:
        writer.writerow([record.get(c, "") for c in sheet.column_names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
