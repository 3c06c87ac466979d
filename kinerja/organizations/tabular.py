"""Reading and writing the organisation files: CSV and XLSX, on the shared stack
(:mod:`kinerja.core.tabular`).

Reading turns a file into :class:`~.changeset.Row` objects per sheet key, with the values as
strings exactly as the changeset expects them; it knows nothing of the database. Problems with
the file as a whole (wrong type, not UTF-8, unknown or missing columns) raise
:class:`TabularError`; problems with single cells (a NIP that Excel stored as a number) are
collected in :attr:`Dataset.errors` and the affected rows are left out, so that the caller can
still validate the rest and report everything at once.

Writing produces the same layout through the safe writers: an export re-imports unchanged,
also text that begins like a formula (a CSV cell of it is read back without its apostrophe).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from kinerja.core.tabular import read, write
from kinerja.core.tabular.columns import Sheet, column_letter
from kinerja.core.tabular.errors import RowError, TabularError
from kinerja.core.tabular.export import csv_unescape
from kinerja.core.tabular.read import check_file, file_kind, filled

from .changeset import Row, State, error_order
from .columns import ORDER, SHEETS

__all__ = [
    "Dataset",
    "TabularError",
    "check_file",
    "file_kind",
    "read_csv",
    "read_file",
    "read_xlsx",
    "state_tables",
    "template_xlsx",
    "write_csv",
    "write_xlsx",
]

Progress = Callable[[str, int, int], None]
Cells = Callable[[str, object], tuple[str, str | None]]

# What Excel makes of a long number when it saves a CSV: 1.98503E+17
SCIENTIFIC = re.compile(r"^\s*\d+([.,]\d+)?[eE][+]?\d+\s*$")


@dataclass
class Dataset:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


# --- Reading -----------------------------------------------------------------------------------


def read_file(
    name: str,
    data: bytes,
    *,
    expect: str | None = None,
    only: bool = False,
    progress: Progress | None = None,
) -> Dataset:
    """Read an uploaded or given file.

    ``expect`` is the dataset (sheet key) the caller expects: a CSV holds it, and so does a
    workbook whose only sheet has an unrecognised name. Without it, the columns of the header
    tell. A workbook's sheets are matched by name (Instansi/Unit/Jabatan/Pegawai or the
    English keys); other sheets, such as "Petunjuk", are ignored. With ``only``, just the
    sheet of ``expect`` is read.
    """
    if expect is not None and expect not in SHEETS:
        raise ValueError(expect)
    kind = check_file(name, data)
    if kind == "csv":
        return read_csv(data, expect=expect, progress=progress)
    return read_xlsx(data, expect=expect, only=only, progress=progress)


def read_csv(
    data: bytes, *, expect: str | None = None, progress: Progress | None = None
) -> Dataset:
    return _read_table(read.csv_records(data), expect=expect, cells=_csv_cell, progress=progress)


def read_xlsx(
    data: bytes,
    *,
    expect: str | None = None,
    only: bool = False,
    progress: Progress | None = None,
) -> Dataset:
    workbook = read.open_workbook(data)
    titles = workbook.sheet_names
    recognised, unrecognised = read.find_sheets(titles, SHEETS.values())
    found_any = bool(recognised)
    if only:
        recognised = {k: t for k, t in recognised.items() if k == expect}
    if not recognised:
        # A workbook of one sheet under another name ("Sheet1", "Data pegawai"): read it as
        # the data the caller expects, or as what its header says.
        with_content = []
        for title in unrecognised:
            records = read.sheet_records(workbook, title)
            if any(filled(r) for r in records):
                with_content.append(records)
        if not found_any and len(with_content) == 1:
            return _read_table(with_content[0], expect=expect, cells=_xlsx_cell, progress=progress)
        wanted = [SHEETS[expect].title] if only and expect else [SHEETS[k].title for k in ORDER]
        raise read.no_sheet_error(wanted, titles)
    dataset = Dataset()
    for key in ORDER:
        if key in recognised:
            records = read.sheet_records(workbook, recognised[key])
            part = _read_table(records, expect=key, cells=_xlsx_cell, progress=progress)
            dataset.rows.update(part.rows)
            dataset.errors.extend(part.errors)
    return dataset


# Cells: turn what the reader gives into the changeset's strings, or an error message.


def _csv_cell(column: str, value: str) -> tuple[str, str | None]:
    value = csv_unescape(value)  # an export's apostrophe before text that looks like a formula
    if column == "nip" and SCIENTIFIC.match(value):
        return "", _(
            "Excel turned the NIP into a number (%(value)s) and lost digits; format the column "
            "as Text, type the NIPs again and save as CSV UTF-8."
        ) % {"value": value.strip()}
    return value, None


def _xlsx_cell(column: str, value: object) -> tuple[str, str | None]:
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("ya" if value else "tidak"), None
    if isinstance(value, (int, float)):
        if column == "nip":
            return "", _(
                "The NIP is stored as a number, digits lost; format the column as Text and type "
                "the NIP again."
            )
        if isinstance(value, float) and value.is_integer():
            return str(int(value)), None
        return str(value), None
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(), None
    if isinstance(value, timedelta):
        return str(value), None
    return str(value), None


def _guess_sheet(names: list[str]) -> tuple[Sheet | None, Sheet | None]:
    """The sheet whose columns the header matches exactly, and otherwise the closest one."""
    present = set(names)
    exact = [
        s
        for s in SHEETS.values()
        if set(s.required) <= present <= set(s.column_names) and s.key_column in present
    ]
    if len(exact) == 1:
        return exact[0], exact[0]
    closest = max(SHEETS.values(), key=lambda s: len(present & set(s.column_names)))
    overlap = len(present & set(closest.column_names))
    ties = [s for s in SHEETS.values() if len(present & set(s.column_names)) == overlap]
    return None, (closest if overlap and len(ties) == 1 else None)


def _sheet_of(table: read.Table, expect: str | None) -> Sheet:
    """The dataset a table holds: the one expected, or the one its header names."""
    if expect is not None:
        return SHEETS[expect]
    sheet, closest = _guess_sheet([n for n in table.names if n])
    if sheet is not None:
        return sheet
    if closest is None:
        sheets = "; ".join(f"{s.title} ({', '.join(s.column_names)})" for s in SHEETS.values())
        message = _(
            "The columns do not tell which data this is. Row 1 must hold the column names of "
            "one of: %(sheets)s."
        ) % {"sheets": sheets}
        raise TabularError([RowError("", table.header_row, "", message)])
    return closest


def _read_table(
    records: list[list], *, expect: str | None, cells: Cells, progress: Progress | None
) -> Dataset:
    """One table (a CSV, a sheet): the first non-empty record is the header."""
    table = read.table_of(records)
    if table is None:
        return Dataset({expect: []} if expect else {})
    sheet = _sheet_of(table, expect)
    read.check_header(sheet, table.names, table.header_row)
    rows: list[Row] = []
    errors: list[RowError] = []
    total = len(table.rows)
    for done, (number, record) in enumerate(table.rows, start=1):
        if progress and done % 1000 == 0:
            progress("read", done, total)
        if filled(record):
            row = _read_row(sheet, table.names, number, record, cells, errors)
            if row is not None:
                rows.append(row)
    if progress:
        progress("read", total, total)
    return Dataset({sheet.key: rows}, sorted(errors, key=error_order))


def _read_row(
    sheet: Sheet, names: list[str], number: int, record: list, cells: Cells, errors: list
) -> Row | None:
    """One data row as the changeset's strings; ``None`` when a cell cannot be read."""
    values: dict[str, str] = {}
    bad = False
    for index, column in enumerate(names):
        if not column:
            continue
        value, problem = cells(column, record[index] if index < len(record) else "")
        if problem:
            errors.append(sheet.error(number, column, problem))
            bad = True
        values[column] = value
    nameless = [i for i, n in enumerate(names) if not n and i < len(record)]
    stray = next((i for i in nameless if filled([record[i]])), None)
    if stray is not None:
        message = _("Column %(letter)s has a value but no column name in row 1.") % {
            "letter": column_letter(stray)
        }
        errors.append(sheet.error(number, "", message))
    if filled(record[len(names) :]):
        message = _("The row has more values than row 1 has column names.")
        errors.append(sheet.error(number, "", message))
    return None if bad else Row(number, values)


# --- Writing -----------------------------------------------------------------------------------

WIDTHS = {"nip": 22, "nama": 40, "email": 32, "status": 9, "aktif": 8, "golongan": 10}
HELP_WIDTHS = (12, 24, 10, 70, 30)


def state_tables(state: State) -> dict[str, list[dict[str, str]]]:
    """The stored organisation (from :func:`~.changeset.load_state`) as rows per sheet."""
    return {key: list(state.table(key).values()) for key in ORDER}


def write_csv(key: str, records: Iterable[dict[str, str]]) -> bytes:
    """One dataset as CSV: UTF-8 with a byte-order mark (so that Excel reads it as UTF-8),
    comma-separated, a header row of column names."""
    return write.csv_bytes(SHEETS[key], records)


def _help_lines() -> list[str]:
    return [
        _("One sheet per kind of data; row 1 of each sheet holds the column names below."),
        _("Fill in one row per agency, unit, position or employee; empty rows are skipped."),
        _(
            "Leave out a column that is not required to keep the stored values of that column; an "
            "empty cell clears the value."
        ),
        _("Format the NIP column as Text, otherwise Excel loses digits."),
        _("Every row is checked first; if one row is wrong, nothing is stored."),
        _("This sheet is not imported."),
    ]


def write_xlsx(tables: dict[str, Iterable[dict[str, str]]], *, open_at_help: bool = False) -> bytes:
    """A workbook with one sheet per dataset given (in the order Instansi, Unit, Jabatan,
    Pegawai) and a last sheet "Petunjuk" that explains every column.

    Every column is formatted as Text and the NIPs are Text cells, so that Excel neither turns
    NIPs into numbers nor drops digits when someone types a new one.
    """
    workbook = write.new_workbook()
    keys = [key for key in ORDER if key in tables]
    for key in keys:
        sheet = SHEETS[key]
        write.add_data_sheet(
            workbook,
            sheet,
            tables[key],
            width=lambda column: WIDTHS.get(column, 28),
            text_columns=sheet.column_names,
            text_cells={"nip"},
            value=lambda _column, value: "" if value is None else value,
        )
    write.add_help_sheet(workbook, [SHEETS[key] for key in keys], _help_lines(), widths=HELP_WIDTHS)
    return write.workbook_bytes(workbook, active=len(keys) if open_at_help else None)


def template_xlsx() -> bytes:
    """The downloadable template: the four data sheets with their column names and no rows
    (an unchanged template imports as nothing), and the explanations with examples."""
    return write_xlsx({key: [] for key in ORDER}, open_at_help=True)
