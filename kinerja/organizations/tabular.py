"""Reading and writing the organisation files: CSV and XLSX.

Reading turns a file into :class:`~.changeset.Row` objects per sheet key, with the values as
strings exactly as the changeset expects them; it knows nothing of the database. Problems with
the file as a whole (wrong type, not UTF-8, unknown or missing columns) raise
:class:`TabularError`; problems with single cells (a NIP that Excel stored as a number) are
collected in :attr:`Dataset.errors` and the affected rows are left out, so that the caller can
still validate the rest and report everything at once.

Writing produces the same layout: an export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from django.utils.translation import gettext as _

from .changeset import Row, RowError, State, error_order
from .columns import HELP_SHEET_TITLE, ORDER, SHEETS, Sheet, normalize_header, sheet_for_title

Progress = Callable[[str, int, int], None]

KINDS = {".csv": "csv", ".xlsx": "xlsx"}
XLSX_MARKER = "[Content_Types].xml"
#: An XLSX is a zip; refuse archives that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
# What Excel makes of a long number when it saves a CSV: 1.98503E+17
SCIENTIFIC = re.compile(r"^\s*\d+([.,]\d+)?[eE][+]?\d+\s*$")
DELIMITERS = [",", ";", "\t"]


class TabularError(Exception):
    """The file cannot be read; ``errors`` say why (row 1 is the header row)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _file_error(message: str) -> TabularError:
    return TabularError([RowError("", None, "", message)])


@dataclass
class Dataset:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


# --- What kind of file is it? -----------------------------------------------------------------


def file_kind(name: str) -> str:
    """``"csv"`` or ``"xlsx"`` by the file name, or a precise :class:`TabularError`."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix in KINDS:
        return KINDS[suffix]
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
        raise _file_error(
            _(
                "%(suffix)s files cannot be read; in Excel choose Save As and the type "
                "'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
            )
            % {"suffix": suffix}
        )
    raise _file_error(
        _("Upload an Excel workbook (.xlsx) or a CSV file (.csv); %(name)s is neither.")
        % {"name": PurePath(name or "").name[:80] or "?"}
    )


def check_file(name: str, data: bytes, *, max_bytes: int | None = None) -> str:
    """Check size, name and content before anything is stored; return the kind.

    The name alone proves nothing: an XLSX must be a zip holding the Office Open XML content
    types, a CSV must be text (no NUL bytes) in UTF-8."""
    if max_bytes is not None and len(data) > max_bytes:
        raise _file_error(
            _("The file is larger than %(mb)d MB; split it into several files.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    kind = file_kind(name)
    if not data:
        raise _file_error(_("The file is empty."))
    if kind == "xlsx":
        _open_zip(data)
    else:
        _decode_csv(data)
    return kind


def _open_zip(data: bytes) -> zipfile.ZipFile:
    not_xlsx = _("The file is not an Excel workbook (.xlsx), although its name says so.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _file_error(not_xlsx) from None
    if XLSX_MARKER not in names:
        raise _file_error(not_xlsx)
    if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
        raise _file_error(_("The workbook is too large when unpacked; split it into several."))
    return archive


def _decode_csv(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _file_error(
            _(
                "The file is saved as UTF-16 ('Unicode Text'); in Excel choose Save As and the "
                "type 'CSV UTF-8 (Comma delimited)'."
            )
        )
    if b"\x00" in data:
        raise _file_error(_("The file is not a text file, although its name ends in .csv."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _file_error(
            _(
                "The file is not UTF-8 text (first unreadable character in line %(line)d). In "
                "Excel choose Save As and the type 'CSV UTF-8 (Comma delimited)'."
            )
            % {"line": line}
        ) from None


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
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count) if first_line else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _read_table(records, expect=expect, cells=_csv_cell, progress=progress)


def read_xlsx(
    data: bytes,
    *,
    expect: str | None = None,
    only: bool = False,
    progress: Progress | None = None,
) -> Dataset:
    from python_calamine import CalamineError, CalamineWorkbook

    _open_zip(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        titles = workbook.sheet_names
    except (CalamineError, OSError, ValueError) as exc:
        raise _file_error(
            _("The workbook cannot be read (%(reason)s); open it in Excel and save it again.")
            % {"reason": str(exc)[:120]}
        ) from None

    recognised: dict[str, str] = {}  # sheet key → title
    unrecognised: list[str] = []
    for title in titles:
        sheet = sheet_for_title(title)
        if sheet is not None and sheet.key not in recognised:
            recognised[sheet.key] = title
        elif sheet is None and title.strip().lower() != HELP_SHEET_TITLE.lower():
            unrecognised.append(title)
    found_any = bool(recognised)
    if only:
        recognised = {k: t for k, t in recognised.items() if k == expect}

    def rows_of(title: str) -> list[list]:
        try:
            return [list(r) for r in workbook.get_sheet_by_name(title).iter_rows()]
        except CalamineError as exc:
            raise _file_error(
                _("The sheet %(sheet)s cannot be read (%(reason)s).")
                % {"sheet": title, "reason": str(exc)[:120]}
            ) from None

    if not recognised:
        # A workbook of one sheet under another name ("Sheet1", "Data pegawai"): read it as
        # the data the caller expects, or as what its header says.
        with_content = [t for t in unrecognised if any(_filled(r) for r in rows_of(t))]
        if not found_any and len(with_content) == 1:
            return _read_table(
                rows_of(with_content[0]), expect=expect, cells=_xlsx_cell, progress=progress
            )
        wanted = [SHEETS[expect].title] if only and expect else [SHEETS[k].title for k in ORDER]
        raise _file_error(
            _("The workbook has no sheet named %(wanted)s (it has: %(found)s).")
            % {"wanted": " / ".join(wanted), "found": ", ".join(titles) or "-"}
        )

    dataset = Dataset()
    for key in ORDER:
        if key not in recognised:
            continue
        part = _read_table(
            rows_of(recognised[key]), expect=key, cells=_xlsx_cell, progress=progress
        )
        dataset.rows.update(part.rows)
        dataset.errors.extend(part.errors)
    return dataset


# Cells: turn what the reader gives into the changeset's strings, or an error message.


def _csv_cell(column: str, value: str) -> tuple[str, str | None]:
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


def _filled(cells: Iterable) -> bool:
    return any(str(c).strip() for c in cells if c is not None and c != "")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


def _read_table(
    records: list[list],
    *,
    expect: str | None,
    cells: Callable[[str, object], tuple[str, str | None]],
    progress: Progress | None,
) -> Dataset:
    """One table (a CSV, a sheet): the first non-empty record is the header."""
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    header_at = next((i for i, (_n, r) in enumerate(numbered) if _filled(r)), None)
    if header_at is None:
        return Dataset({expect: []} if expect else {})
    header_row, header = numbered[header_at]
    names = [normalize_header(c) for c in header]

    if expect is not None:
        sheet = SHEETS[expect]
    else:
        sheet, closest = _guess_sheet([n for n in names if n])
        if sheet is None:
            if closest is None:
                raise TabularError(
                    [
                        RowError(
                            "",
                            header_row,
                            "",
                            _(
                                "The columns do not tell which data this is. Row 1 must hold "
                                "the column names of one of: %(sheets)s."
                            )
                            % {
                                "sheets": "; ".join(
                                    f"{s.title} ({', '.join(s.column_names)})"
                                    for s in SHEETS.values()
                                )
                            },
                        )
                    ]
                )
            sheet = closest
    _check_header(sheet, names, header_row)

    columns = [(i, n) for i, n in enumerate(names) if n]
    nameless = [i for i, n in enumerate(names) if not n]
    rows: list[Row] = []
    errors: list[RowError] = []
    data_rows = numbered[header_at + 1 :]
    total = len(data_rows)
    for done, (number, record) in enumerate(data_rows, start=1):
        if progress and done % 1000 == 0:
            progress("read", done, total)
        if not _filled(record):
            continue
        values: dict[str, str] = {}
        bad = False
        for index, column in columns:
            raw = record[index] if index < len(record) else ""
            value, problem = cells(column, raw)
            if problem:
                errors.append(RowError(sheet.key, number, column, problem))
                bad = True
            values[column] = value
        for index in nameless:
            if index < len(record) and _filled([record[index]]):
                errors.append(
                    RowError(
                        sheet.key,
                        number,
                        "",
                        _("Column %(letter)s has a value but no column name in row 1.")
                        % {"letter": _column_letter(index)},
                    )
                )
                break
        extra = record[len(names) :]
        if _filled(extra):
            errors.append(
                RowError(
                    sheet.key,
                    number,
                    "",
                    _("The row has more values than row 1 has column names."),
                )
            )
        if not bad:
            rows.append(Row(number, values))
    if progress:
        progress("read", total, total)
    return Dataset({sheet.key: rows}, sorted(errors, key=error_order))


def _check_header(sheet: Sheet, names: list[str], header_row: int) -> None:
    errors = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(
                RowError(
                    sheet.key,
                    header_row,
                    name,
                    _("The column %(name)s appears twice.") % {"name": name},
                )
            )
        seen.add(name)
    unknown = [n for n in names if n and n not in sheet.column_names]
    if unknown:
        errors.append(
            RowError(
                sheet.key,
                header_row,
                "",
                _("Unknown columns: %(unknown)s. The columns of %(sheet)s are: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "sheet": sheet.title,
                    "known": ", ".join(sheet.column_names),
                },
            )
        )
    missing = [c for c in sheet.required if c not in seen]
    if missing:
        errors.append(
            RowError(
                sheet.key,
                header_row,
                "",
                _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(missing)},
            )
        )
    if errors:
        raise TabularError(errors)


# --- Writing -----------------------------------------------------------------------------------


def state_tables(state: State) -> dict[str, list[dict[str, str]]]:
    """The stored organisation (from :func:`~.changeset.load_state`) as rows per sheet."""
    return {key: list(state.table(key).values()) for key in ORDER}


def write_csv(key: str, records: Iterable[dict[str, str]]) -> bytes:
    """One dataset as CSV: UTF-8 with a byte-order mark (so that Excel reads it as UTF-8),
    comma-separated, a header row of column names."""
    sheet = SHEETS[key]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.column_names)
    for record in records:
        writer.writerow([record.get(c, "") for c in sheet.column_names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


WIDTHS = {"nip": 22, "nama": 40, "email": 32, "status": 9, "aktif": 8, "golongan": 10}


def write_xlsx(tables: dict[str, Iterable[dict[str, str]]], *, open_at_help: bool = False) -> bytes:
    """A workbook with one sheet per dataset given (in the order Instansi, Unit, Jabatan,
    Pegawai) and a last sheet "Petunjuk" that explains every column.

    Every cell is written as text, and the NIP column is formatted as Text, so that Excel
    neither turns NIPs into numbers nor drops digits when someone types a new one.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    keys = [key for key in ORDER if key in tables]
    for key in keys:
        sheet = SHEETS[key]
        ws = workbook.create_sheet(sheet.title)
        for index, column in enumerate(sheet.column_names):
            dimension = ws.column_dimensions[_column_letter(index)]
            dimension.width = WIDTHS.get(column, 28)
            dimension.number_format = "@"
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.column_names:
            cell = WriteOnlyCell(ws, value=column)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        nip_at = sheet.column_names.index("nip") if "nip" in sheet.column_names else None
        for record in tables[key]:
            values: list = [record.get(c, "") for c in sheet.column_names]
            if nip_at is not None:
                cell = WriteOnlyCell(ws, value=values[nip_at])
                cell.number_format = "@"
                values[nip_at] = cell
            ws.append(values)
    _write_help(workbook, keys, bold)
    if open_at_help:
        workbook.active = len(keys)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_help(workbook, keys: list[str], bold) -> None:
    from openpyxl.cell import WriteOnlyCell

    ws = workbook.create_sheet(HELP_SHEET_TITLE)
    for letter, width in zip("ABCDE", (12, 24, 10, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width

    def strong(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        return cell

    ws.append([strong(_("How to fill in this workbook"))])
    for line in (
        _("One sheet per kind of data; row 1 of each sheet holds the column names below."),
        _("Fill in one row per agency, unit, position or employee; empty rows are skipped."),
        _(
            "Leave out a column that is not required to keep the stored values of that column; an "
            "empty cell clears the value."
        ),
        _("Format the NIP column as Text, otherwise Excel loses digits."),
        _("Every row is checked first; if one row is wrong, nothing is stored."),
        _("This sheet is not imported."),
    ):
        ws.append([line])
    ws.append([])
    ws.append(
        [strong(t) for t in (_("Sheet"), _("Column"), _("Required"), _("Meaning"), _("Example"))]
    )
    for key in keys:
        sheet = SHEETS[key]
        for column in sheet.columns:
            ws.append(
                [
                    sheet.title,
                    column.name,
                    _("yes") if column.required else _("no"),
                    str(column.help),
                    column.example,
                ]
            )


def template_xlsx() -> bytes:
    """The downloadable template: the four data sheets with their column names and no rows
    (an unchanged template imports as nothing), and the explanations with examples."""
    return write_xlsx({key: [] for key in ORDER}, open_at_help=True)
