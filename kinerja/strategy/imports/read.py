"""Step 1 of an indicator import: reading the workbook's sheets into rows of raw cell values,
and turning single cells into numbers, months and years. A problem with the file as a whole
raises :class:`~kinerja.core.tabular.errors.TabularError`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.numbers import DECIMAL_PLACES, NumberError, to_decimal
from kinerja.core.periods import PeriodError, parse_period
from kinerja.core.tabular.columns import Sheet, column_letter
from kinerja.core.tabular.errors import RowError, TabularError, file_error
from kinerja.core.tabular.read import (
    cell_text,
    check_file,
    check_header,
    filled,
    find_sheets,
    no_sheet_error,
    open_workbook,
    sheet_records,
    table_of,
)

from .columns import ORDER, SHEETS

#: An import runs inside the request (indicator workbooks are small: a region's indicators,
#: targets and a year of values are a few thousand rows); more rows are refused.
MAX_ROWS = 10_000


@dataclass
class SheetRow:
    """One data row; ``values`` holds the raw cell values of the columns the sheet has."""

    sheet: str
    number: int  # as Excel numbers it: the header is row 1
    values: dict[str, object]

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass
class WorkbookRows:
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def read_workbook(name: str, data: bytes, *, max_bytes: int | None = None) -> WorkbookRows:
    """Read an uploaded or given workbook; a problem with the file as a whole raises
    :class:`TabularError`. Only .xlsx: three sheets do not fit in one CSV."""
    if PurePath(name or "").suffix.lower() != ".xlsx":
        raise file_error(
            _("Upload an Excel workbook (.xlsx); %(name)s is not one.")
            % {"name": PurePath(name or "").name[:80] or "?"}
        )
    check_file(name, data, max_bytes=max_bytes)
    workbook = open_workbook(data)
    titles = list(workbook.sheet_names)
    found, _others = find_sheets(titles, SHEETS.values())
    if not found:
        raise no_sheet_error([SHEETS[k].title for k in ORDER], titles)
    result = WorkbookRows()
    errors: list[RowError] = []
    for key in ORDER:
        if key not in found:
            continue
        records = sheet_records(workbook, found[key])
        try:
            rows, columns = _read_sheet(SHEETS[key], records)
        except TabularError as exc:
            errors.extend(exc.errors)
            continue
        result.rows[key], result.columns[key] = rows, columns
    if errors:
        raise TabularError(errors)
    if result.row_count > MAX_ROWS:
        raise file_error(
            _("The workbook has %(count)d rows; at most %(max)d are imported at once. Split it.")
            % {"count": result.row_count, "max": MAX_ROWS}
        )
    return result


def _read_sheet(sheet: Sheet, records: list[list[Any]]) -> tuple[list[SheetRow], list[str]]:
    table = table_of(records)
    if table is None:
        return [], []
    names = table.names
    check_header(sheet, names, table.header_row)
    columns = [(i, n) for i, n in enumerate(names) if n]
    rows = []
    errors = []
    for number, record in table.rows:
        if not filled(record):
            continue
        stray = [
            i for i, v in enumerate(record) if (i >= len(names) or not names[i]) and filled([v])
        ]
        if stray:
            message = _("Column %(letter)s has a value but no column name in the header row.") % {
                "letter": column_letter(stray[0])
            }
            errors.append(sheet.error(number, "", message))
            continue
        values = {n: (record[i] if i < len(record) else None) for i, n in columns}
        rows.append(SheetRow(sheet.key, number, values))
    if errors:
        raise TabularError(errors)
    return rows, [n for _i, n in columns]


# --- Cells ----------------------------------------------------------------------------------

_PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)


def cell_decimal(value: object) -> Decimal | None:
    """A number cell: ``None`` when empty. Excel's numbers arrive as binary floats; they are
    read through their shortest text form and rounded to the stored four decimals, so that
    0.1 stays 0.1 and a value computed in Excel (0.30000000000000004) becomes 0.3. Text
    takes a decimal comma or point (``"12,5"``, ``"12.5"``). Raises :class:`NumberError`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite():
            raise NumberError(_("Give a finite number, e.g. 12.5."))
        return to_decimal(exact.quantize(_PLACES, rounding=ROUND_HALF_UP).normalize())
    if isinstance(value, (datetime, date)):
        raise NumberError(
            _("Excel shows a date here; format the cell as a number and type it again.")
        )
    return to_decimal(value)


def cell_period(value: object) -> tuple[int, int]:
    """``YYYY-MM`` (or a date cell, which Excel makes of it) → ``(year, month)``."""
    if isinstance(value, (datetime, date)):
        return value.year, value.month
    period = parse_period(cell_text(value))
    if period.kind != "month":
        raise PeriodError(_("Give a month as YYYY-MM, e.g. 2026-03."))
    return period.year, period.index  # a month's index is its number


def cell_year(value: object) -> int:
    text = cell_text(value)
    if not (len(text) == 4 and text.isdigit()):
        raise PeriodError(_("Give the year as four digits, e.g. 2026."))
    return parse_period(text).year
