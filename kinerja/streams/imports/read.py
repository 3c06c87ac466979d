"""Step 1 of an events import: reading a ``.ndjson``, ``.csv`` or ``.xlsx`` file a row at a time
(a CSV or NDJSON file is never held whole, so memory stays flat whatever its size; for
workbooks see :func:`xlsx_rows`), each row with its place in the file (line, or spreadsheet
row)."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import orjson

from kinerja.core.tabular.columns import column_letter
from kinerja.core.tabular.read import UTF16_MARKS, sniff_delimiter

SHEET_NAMES = ("events", "peristiwa")  # a workbook's sheet of events; else its first sheet
#: Workbooks whose sheets unpack to more than this are streamed (see ``xlsx_rows``).
CALAMINE_MAX_XML = 32 * 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, columns missing): nothing was read
    into the stream."""


@dataclass(frozen=True)
class RowError:
    """An error at a place in the file: ``line`` is the file's line (CSV, NDJSON; the header
    is line 1) or the spreadsheet's row number."""

    line: int
    field: str
    column: str | None
    message: str


@dataclass(slots=True)
class FileRow:
    line: int
    cells: list[str] | None = None  # a table's row
    value: object = None  # an NDJSON line's value
    error: RowError | None = None  # the row cannot be read
    fatal: bool = False  # … nor anything after it


def ndjson_rows(path: Path) -> Iterator[FileRow]:
    with path.open("rb") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield FileRow(line, value=orjson.loads(text))
            except orjson.JSONDecodeError as exc:
                # orjson's own position counts within the line: the line number says more.
                why = re.sub(r":? *line \d+ column \d+ \(char \d+\)", "", str(exc))[:160]
                yield FileRow(line, error=RowError(line, "", None, f"Not valid JSON: {why}"))


def csv_rows(path: Path) -> Iterator[FileRow]:
    """Records with the line each starts on (a quoted cell may span lines)."""
    with path.open("rb") as probe:
        start = probe.read(4)
    if start[:2] in UTF16_MARKS:
        raise ImportFileError(
            "The file is saved as UTF-16 ('Unicode Text'); save it as 'CSV UTF-8' instead."
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise ImportFileError("The file is not UTF-8 text; save it as 'CSV UTF-8'.") from None
        delimiter = sniff_delimiter(first)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                yield FileRow(
                    line,
                    error=RowError(
                        line, "", None, "The file is not UTF-8 text here; save it as 'CSV UTF-8'."
                    ),
                    fatal=True,
                )
                return
            except csv.Error as exc:
                yield FileRow(
                    line, error=RowError(line, "", None, f"Unreadable CSV: {exc}"[:200]), fatal=True
                )
                return
            yield FileRow(line, cells=cells)
            line = reader.line_num + 1


def _xlsx_cell(value: object) -> str:
    """A cell as the text a CSV of the same data would hold, so that a workbook and its CSV
    give the same events (and resending one after the other stores nothing twice)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time_of_day)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _lost_digits(value: object) -> bool:
    """A number too long for a spreadsheet's floating point: its last digits are gone."""
    return isinstance(value, float) and value.is_integer() and abs(value) >= 2**53


def _sheet_choice(names: list[str]) -> str:
    chosen = next((n for n in names if n.strip().lower() in SHEET_NAMES), None)
    if chosen is None and names:
        chosen = names[0]
    if chosen is None:
        raise ImportFileError("The workbook has no sheet.")
    return chosen


def _unreadable(exc: Exception) -> ImportFileError:
    return ImportFileError(
        f"The workbook cannot be read ({str(exc)[:120]}); open it in Excel and save it again."
    )


def _sheets_xml_size(path: Path) -> int:
    """The unpacked size of the workbook's sheets and shared strings (a look at the zip's
    directory, nothing unpacked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/")
                or info.filename == "xl/sharedStrings.xml"
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(exc) from None


def _calamine_cells(path: Path) -> tuple[Iterator[Sequence[Any]], int]:
    """python-calamine: fast, but it unpacks the whole sheet into its own (Rust) cells before
    the first row reaches Python — it has no lazier way. ``iter_rows`` starts at the sheet's
    first row (so the n-th row given is spreadsheet row n) and at its first used column."""
    # Loaded here, for workbooks only: a CSV or NDJSON import does not carry it.
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_name(_sheet_choice(workbook.sheet_names))
    except (CalamineError, OSError, ValueError) as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise _unreadable(exc) from None
    return sheet.iter_rows(), (sheet.start[1] if sheet.start else 0)


def _openpyxl_cells(path: Path) -> tuple[Iterator[Sequence[Any]], int]:
    """openpyxl's read-only mode parses the sheet's XML as it goes: flat memory, at about a
    tenth of calamine's speed. Rows start at row 1 and column A."""
    import openpyxl  # for the largest workbooks only (see xlsx_rows)

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook[_sheet_choice(workbook.sheetnames)]
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _unreadable(exc) from None

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    return rows(), 0


def xlsx_rows(path: Path) -> Iterator[FileRow]:
    """The rows of the sheet "events"/"Peristiwa", or of the first sheet, numbered as the
    spreadsheet numbers them. A workbook whose sheets unpack to at most
    ``CALAMINE_MAX_XML`` bytes is read with python-calamine (fast; its cells then take about
    as much memory as that XML); a larger one streams through openpyxl's read-only mode, so
    that memory stays flat whatever the size."""
    if _sheets_xml_size(path) <= CALAMINE_MAX_XML:
        cells_of_rows, first_column = _calamine_cells(path)
    else:
        cells_of_rows, first_column = _openpyxl_cells(path)
    for line, cells in enumerate(cells_of_rows, start=1):
        lossy = next((i for i, c in enumerate(cells) if _lost_digits(c)), None)
        if lossy is None:
            yield FileRow(line, cells=[_xlsx_cell(c) for c in cells])
            continue
        letter = column_letter(first_column + lossy)
        yield FileRow(
            line,
            error=RowError(
                line,
                "",
                letter,
                f"Cell {letter}{line} is a number of more than 15 digits, which Excel keeps "
                "only approximately (a NIP?); format the column as Text and type it again.",
            ),
        )
