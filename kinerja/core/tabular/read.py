"""Reading spreadsheets: what kind of file it is, CSV and XLSX records, the header row and
its check. Each app turns the records into its own rows (``organizations.tabular``,
``strategy.imports.read``, ``streams.imports.read``); everything here is the same for all.

The name of a file proves nothing: an XLSX must be a zip holding the Office Open XML content
types, a CSV must be UTF-8 text without NUL bytes. Messages name what to do in Excel.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .columns import HELP_SHEET_TITLE, Sheet, normalize_header, sheet_for_title
from .errors import TabularError, file_error

if TYPE_CHECKING:  # pragma: no cover - for the type hints only
    from python_calamine import CalamineWorkbook

KINDS = {".csv": "csv", ".xlsx": "xlsx"}
XLSX_MARKER = "[Content_Types].xml"
#: An XLSX is a zip; refuse archives that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
#: What separates a CSV's values: the one the header line holds most of.
DELIMITERS = (",", ";", "\t")
#: Byte-order marks of UTF-16 ("Unicode Text" in Excel).
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


# --- What kind of file is it? -----------------------------------------------------------------


def file_kind(name: str) -> str:
    """``"csv"`` or ``"xlsx"`` by the file name, or a precise :class:`TabularError`."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix in KINDS:
        return KINDS[suffix]
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
        raise file_error(
            _(
                "%(suffix)s files cannot be read; in Excel choose Save As and the type "
                "'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
            )
            % {"suffix": suffix}
        )
    raise file_error(
        _("Upload an Excel workbook (.xlsx) or a CSV file (.csv); %(name)s is neither.")
        % {"name": PurePath(name or "").name[:80] or "?"}
    )


def too_large(max_bytes: int) -> TabularError:
    return file_error(
        _("The file is larger than %(mb)d MB; split it into several files.")
        % {"mb": max_bytes // (1024 * 1024)}
    )


def check_file(name: str, data: bytes, *, max_bytes: int | None = None) -> str:
    """Check size, name and content before anything is stored; return the kind."""
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(max_bytes)
    kind = file_kind(name)
    if not data:
        raise file_error(_("The file is empty."))
    if kind == "xlsx":
        open_zip(data)
    else:
        decode_csv(data)
    return kind


def open_zip(data: bytes) -> zipfile.ZipFile:
    not_xlsx = _("The file is not an Excel workbook (.xlsx), although its name says so.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_error(not_xlsx) from None
    if XLSX_MARKER not in names:
        raise file_error(not_xlsx)
    if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
        raise file_error(_("The workbook is too large when unpacked; split it into several."))
    return archive


def decode_csv(data: bytes) -> str:
    if data[:2] in UTF16_MARKS:
        raise file_error(
            _(
                "The file is saved as UTF-16 ('Unicode Text'); in Excel choose Save As and the "
                "type 'CSV UTF-8 (Comma delimited)'."
            )
        )
    if b"\x00" in data:
        raise file_error(_("The file is not a text file, although its name ends in .csv."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_error(
            _(
                "The file is not UTF-8 text (first unreadable character in line %(line)d). In "
                "Excel choose Save As and the type 'CSV UTF-8 (Comma delimited)'."
            )
            % {"line": line}
        ) from None


def sniff_delimiter(first_line: str) -> str:
    """The delimiter a CSV's header line uses most (a comma for an empty line)."""
    return max(DELIMITERS, key=first_line.count) if first_line else ","


def csv_records(data: bytes) -> list[list[str]]:
    """A whole CSV file's records (UTF-8, any of the usual delimiters)."""
    text = decode_csv(data)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# --- Workbooks --------------------------------------------------------------------------------


def _calamine() -> ModuleType:
    """python-calamine, loaded when the first workbook is read (as openpyxl in
    :mod:`.write`: most processes never read one)."""
    import python_calamine

    return python_calamine


def open_workbook(data: bytes) -> CalamineWorkbook:
    """A workbook to read sheets from (python-calamine); an unreadable one is a file error."""
    open_zip(data)
    calamine = _calamine()
    try:
        workbook: CalamineWorkbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        workbook.sheet_names  # noqa: B018 - a damaged workbook fails here
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise file_error(
            _("The workbook cannot be read (%(reason)s); open it in Excel and save it again.")
            % {"reason": str(exc)[:120]}
        ) from None
    return workbook


def sheet_records(workbook: CalamineWorkbook, title: str) -> list[list[Any]]:
    """The cells of a sheet as rows from A1, so that row and column numbers are Excel's."""
    try:
        return workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except _calamine().CalamineError as exc:
        raise file_error(
            _("The sheet %(sheet)s cannot be read (%(reason)s).")
            % {"sheet": title, "reason": str(exc)[:120]}
        ) from None


def find_sheets(titles: Iterable[str], sheets: Iterable[Sheet]) -> tuple[dict[str, str], list[str]]:
    """The workbook's sheets that stand for ``sheets`` (key → the workbook's title; the first
    of each), and the titles of the others, the help sheet left out."""
    sheets = list(sheets)
    found: dict[str, str] = {}
    others: list[str] = []
    for title in titles:
        sheet = sheet_for_title(title, sheets)
        if sheet is not None and sheet.key not in found:
            found[sheet.key] = title
        elif sheet is None and title.strip().lower() != HELP_SHEET_TITLE.lower():
            others.append(title)
    return found, others


def no_sheet_error(wanted: Iterable[str], titles: Iterable[str]) -> TabularError:
    return file_error(
        _("The workbook has no sheet named %(wanted)s (it has: %(found)s).")
        % {"wanted": " / ".join(wanted), "found": ", ".join(titles) or "-"}
    )


# --- Tables -----------------------------------------------------------------------------------


def filled(cells: Iterable[Any]) -> bool:
    """Whether any cell holds something other than spaces."""
    return any(str(c).strip() for c in cells if c is not None and c != "")


@dataclass
class Table:
    """A CSV or a sheet: the first non-empty record is the header."""

    header_row: int  # as the spreadsheet numbers it (the first record is row 1)
    names: list[str]  # the header's column names, normalised; "" for an empty header cell
    rows: list[tuple[int, list[Any]]]  # every record after the header, with its row number


def table_of(records: list[list[Any]]) -> Table | None:
    """The header and the records after it; ``None`` for a table without any value."""
    header_at = next((i for i, r in enumerate(records) if filled(r)), None)
    if header_at is None:
        return None
    names = [normalize_header(c) for c in records[header_at]]
    rows = [(i + 1, records[i]) for i in range(header_at + 1, len(records))]
    return Table(header_at + 1, names, rows)


def check_header(sheet: Sheet, names: list[str], header_row: int) -> None:
    """Refuse a header with a column twice, an unknown column, or a required one missing."""
    errors = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(
                sheet.error(
                    header_row, name, _("The column %(name)s appears twice.") % {"name": name}
                )
            )
        seen.add(name)
    unknown = [n for n in names if n and n not in sheet.column_names]
    if unknown:
        message = _("Unknown columns: %(unknown)s. The columns of %(sheet)s are: %(known)s.") % {
            "unknown": ", ".join(unknown),
            "sheet": sheet.title,
            "known": ", ".join(sheet.column_names),
        }
        errors.append(sheet.error(header_row, "", message))
    missing = [c for c in sheet.required if c not in seen]
    if missing:
        message = _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(missing)}
        errors.append(sheet.error(header_row, "", message))
    if errors:
        raise TabularError(errors)


# --- Cells ------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: what a person sees in it (a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
