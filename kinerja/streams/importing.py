"""Importing events from a file (``kinerja events import``): streaming readers for ``.ndjson``,
``.csv`` and ``.xlsx``, the mapping of their rows to the contract's events, and the batches.

Every batch goes through exactly what the HTTP API applies — ``Validator.clean_all`` and
``store`` — so a file is held to the same rules as a request: a batch is stored whole or not
at all, and resending it is harmless (events stored before count as duplicates). What this
module adds is only what a file needs: reading it a row at a time (a CSV or NDJSON file is
never held whole, so memory stays flat whatever its size; for workbooks see ``_xlsx_rows``),
and translating an event's index in its batch back to the place in the file it came from
(line, or spreadsheet row, and column).

Two layouts of tables:

* **events**: one row per event, columns ``id``, ``case``, ``stage``, ``at`` and optionally
  ``unit``, ``officer`` and ``attributes`` (a JSON object as text); every other column becomes
  an attribute of the event (header → cell text; empty cells left out), unless
  ``attribute_columns`` names the ones to keep.
* **case per row** (``CasePerRow``), as real exports are written: one row per case with one
  time column per stage. Each non-empty stage cell becomes one event with the id
  ``<case>:<stage>``, the unit and officer of the row's columns. No attributes unless
  ``attribute_columns`` names them (exports carry dozens of odd columns).

Times without an offset are refused, as the contract says, unless the caller states which
zone the file's naive times are local times of (``assume_zone``).
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
from django.db import OperationalError, transaction

from kinerja.core.actors import SYSTEM

from .ingest import (
    MAX_EVENTS,
    BatchRefused,
    Stored,
    Validator,
    parse_time,
    parse_time_without_offset,
)
from .models import Stream
from .services import events_ingest

FORMATS = (".ndjson", ".csv", ".xlsx")
EVENT_COLUMNS = ("id", "case", "stage", "at", "unit", "officer", "attributes")
REQUIRED_COLUMNS = ("id", "case", "stage", "at")
SHEET_NAMES = ("events", "peristiwa")  # a workbook's sheet of events; else its first sheet
DELIMITERS = (",", ";", "\t")
UNKNOWN_UNITS = ("refuse", "ignore")
#: Errors kept for the report (a column of bad times gives one per row, a dry run of a large
#: file many more); all are counted.
MAX_KEPT_ERRORS = 20_000
#: Workbooks whose sheets unpack to more than this are streamed (see ``_xlsx_rows``).
CALAMINE_MAX_XML = 32 * 1024 * 1024
HEADER_SEARCH = 10  # non-empty rows looked at for the header
STORE_TRIES = 3  # a busy database: the same batch again after a pause (nothing was stored)


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, columns missing): nothing was read
    into the stream."""


@dataclass(frozen=True)
class CasePerRow:
    """One row per case; ``stages`` pairs each stage with the column holding its time."""

    case_column: str
    stages: tuple[tuple[str, str], ...]
    unit_column: str | None = None
    officer_column: str | None = None


@dataclass(frozen=True)
class RowError:
    """An error at a place in the file: ``line`` is the file's line (CSV, NDJSON; the header
    is line 1) or the spreadsheet's row number."""

    line: int
    field: str
    column: str | None
    message: str


@dataclass(frozen=True)
class BatchReport:
    number: int
    first_line: int
    last_line: int
    events: int
    accepted: int = 0
    duplicates: int = 0
    errors: tuple[RowError, ...] = ()
    error_count: int = 0
    unknown_units: tuple[tuple[str, int], ...] = ()  # (code, events) in a refused batch
    naive_times: int = 0  # events refused for a time without an offset


@dataclass
class ImportResult:
    place: str  # "line" or "row": how the file's places are named
    dry_run: bool
    rows: int = 0
    events: int = 0
    stored: list[BatchReport] = field(default_factory=list)
    refused: list[BatchReport] = field(default_factory=list)
    ignored_units: Counter = field(default_factory=Counter)  # code → events left without unit
    rows_without_events: int = 0
    seconds: float = 0.0

    @property
    def accepted(self) -> int:
        return sum(b.accepted for b in self.stored)

    @property
    def duplicates(self) -> int:
        return sum(b.duplicates for b in self.stored)


# --- Reading -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    line: int
    cells: list | None = None  # a table's row
    value: object = None  # an NDJSON line's value
    error: RowError | None = None  # the row cannot be read
    fatal: bool = False  # … nor anything after it


def _ndjson_rows(path: Path) -> Iterator[_Row]:
    with path.open("rb") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield _Row(line, value=orjson.loads(text))
            except orjson.JSONDecodeError as exc:
                # orjson's own position counts within the line: the line number says more.
                why = re.sub(r":? *line \d+ column \d+ \(char \d+\)", "", str(exc))[:160]
                yield _Row(line, error=RowError(line, "", None, f"Not valid JSON: {why}"))


def _csv_rows(path: Path) -> Iterator[_Row]:
    """Records with the line each starts on (a quoted cell may span lines)."""
    with path.open("rb") as probe:
        start = probe.read(4)
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(
            "The file is saved as UTF-16 ('Unicode Text'); save it as 'CSV UTF-8' instead."
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise ImportFileError("The file is not UTF-8 text; save it as 'CSV UTF-8'.") from None
        delimiter = max(DELIMITERS, key=first.count) if first else ","
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                yield _Row(
                    line,
                    error=RowError(
                        line, "", None, "The file is not UTF-8 text here; save it as 'CSV UTF-8'."
                    ),
                    fatal=True,
                )
                return
            except csv.Error as exc:
                yield _Row(
                    line, error=RowError(line, "", None, f"Unreadable CSV: {exc}"[:200]), fatal=True
                )
                return
            yield _Row(line, cells=cells)
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


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


def _calamine_cells(path: Path) -> tuple[Iterator[list], int]:
    """python-calamine: fast, but it unpacks the whole sheet into its own (Rust) cells before
    the first row reaches Python — it has no lazier way. ``iter_rows`` starts at the sheet's
    first row (so the n-th row given is spreadsheet row n) and at its first used column."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_name(_sheet_choice(workbook.sheet_names))
    except (CalamineError, OSError, ValueError) as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise _unreadable(exc) from None
    return sheet.iter_rows(), (sheet.start[1] if sheet.start else 0)


def _openpyxl_cells(path: Path) -> tuple[Iterator[list], int]:
    """openpyxl's read-only mode parses the sheet's XML as it goes: flat memory, at about a
    tenth of calamine's speed. Rows start at row 1 and column A."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook[_sheet_choice(workbook.sheetnames)]
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _unreadable(exc) from None

    def rows() -> Iterator[list]:
        try:
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    return rows(), 0


def _xlsx_rows(path: Path) -> Iterator[_Row]:
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
            yield _Row(line, cells=[_xlsx_cell(c) for c in cells])
            continue
        letter = _column_letter(first_column + lossy)
        yield _Row(
            line,
            error=RowError(
                line,
                "",
                letter,
                f"Cell {letter}{line} is a number of more than 15 digits, which Excel keeps "
                "only approximately (a NIP?); format the column as Text and type it again.",
            ),
        )


# --- Mapping rows to events ----------------------------------------------------------------------


@dataclass(slots=True)
class _Mapped:
    """What one row gives: events with, for each, the columns its fields came from."""

    events: list[tuple[object, dict[str, str] | None]]
    errors: list[RowError]


class _Mapping:
    """Turns rows into raw events (the JSON values the API would receive)."""

    def __init__(
        self,
        *,
        validator: Validator,
        assume_zone: ZoneInfo | None,
        unknown_units: str,
        result: ImportResult,
    ):
        self.validator = validator
        self.zone = assume_zone
        self.ignore_unknown = unknown_units == "ignore"
        self.result = result

    def at(self, value: object) -> object:
        """A naive time made explicit in the stated zone; anything else as it is (so that the
        validator judges it)."""
        if self.zone is None or type(value) is not str:
            return value
        text = value.strip()
        if parse_time(text) is not None or not parse_time_without_offset(text):
            return value
        try:
            naive = datetime.fromisoformat(text.replace(" ", "T").replace("t", "T"))
        except ValueError:
            return value
        return naive.replace(tzinfo=self.zone).isoformat()

    def unit(self, value: object, events: int = 1) -> object:
        """``None`` for no unit; an unknown code dropped when told to ignore them (and
        counted: ``events`` name it)."""
        if value is None or (type(value) is str and not value.strip()):
            return None
        if self.ignore_unknown and type(value) is str:
            code = value.strip().upper()
            if code not in self.validator.units:
                self.result.ignored_units[code] += events
                return None
        return value

    def event(self, raw: object) -> object:
        if type(raw) is dict:
            if "at" in raw:
                raw["at"] = self.at(raw["at"])
            if "unit" in raw:
                unit = self.unit(raw["unit"])
                if unit is None:
                    del raw["unit"]
                else:
                    raw["unit"] = unit
        return raw


class _NdjsonMapping(_Mapping):
    def row(self, row: _Row) -> _Mapped:
        return _Mapped([(self.event(row.value), None)], [])


def _find_column(header: list[str], wanted: str, option: str) -> int:
    if wanted in header:
        return header.index(wanted)
    folded = [h.strip().lower() for h in header]
    matches = [i for i, h in enumerate(folded) if h == wanted.strip().lower()]
    if len(matches) == 1:
        return matches[0]
    raise ImportFileError(
        f"{option}: the file has no column {wanted!r} (it has: {', '.join(header)[:300]})."
    )


def _attribute_indexes(
    header: list[str], names: list[str] | None, default: list[int]
) -> list[tuple[int, str]]:
    if names is None:
        chosen = default
    else:
        chosen = [_find_column(header, n, "--attribute-columns") for n in names]
    return [(i, header[i].strip() or f"column {i + 1}") for i in chosen]


class _TableMapping(_Mapping):
    """Shared by both layouts of a table: the header, and attributes from columns."""

    def start(self, header: list[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def attributes(self, cells: list[str]) -> dict | None:
        found = {}
        for index, name in self.attribute_columns:
            value = cells[index] if index < len(cells) else ""
            if value.strip():
                found[name] = value
        return found or None


class _EventColumns(_TableMapping):
    def __init__(self, *, attribute_columns: list[str] | None, **kwargs):
        super().__init__(**kwargs)
        self.wanted_attributes = attribute_columns

    def start(self, header: list[str]) -> None:
        names = [h.strip().lower() for h in header]
        self.columns: dict[str, int] = {}
        for index, name in enumerate(names):
            if name in EVENT_COLUMNS:
                if name in self.columns:
                    raise ImportFileError(f"The column {name!r} appears twice in the header.")
                self.columns[name] = index
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            raise ImportFileError(
                f"The header lacks the column(s) {', '.join(missing)} (it has: "
                f"{', '.join(header)[:300]}). Needed: id, case, stage, at; optional: unit, "
                "officer, attributes (a JSON object); other columns become attributes."
            )
        others = [i for i, n in enumerate(names) if n not in self.columns]
        self.attribute_columns = _attribute_indexes(header, self.wanted_attributes, others)
        self.header = header

    def row(self, row: _Row) -> _Mapped:
        cells = row.cells
        raw: dict[str, object] = {}
        for name, index in self.columns.items():
            # Spaces around a cell are an accident of the export, never part of a code.
            value = cells[index].strip() if index < len(cells) else ""
            if name in ("unit", "officer", "attributes") and not value:
                continue
            raw[name] = value
        columns = {name: self.header[index] for name, index in self.columns.items()}
        errors = []
        attributes = self.attributes(cells)
        if "attributes" in raw:
            try:
                given = orjson.loads(raw["attributes"])
            except orjson.JSONDecodeError:
                given = None
                errors.append(
                    RowError(
                        row.line,
                        "attributes",
                        columns["attributes"],
                        '\'attributes\' must be a JSON object, e.g. {"channel": "loket"}.',
                    )
                )
            if type(given) is dict and attributes:
                attributes.update(given)  # the JSON object's own keys win
            else:
                attributes = given
        if attributes is not None:
            raw["attributes"] = attributes
        if errors:
            return _Mapped([], errors)
        return _Mapped([(self.event(raw), columns)], [])


class _CaseColumns(_TableMapping):
    def __init__(self, *, layout: CasePerRow, attribute_columns: list[str] | None, **kwargs):
        super().__init__(**kwargs)
        self.layout = layout
        self.wanted_attributes = attribute_columns

    def start(self, header: list[str]) -> None:
        layout = self.layout
        self.case = _find_column(header, layout.case_column, "--case-column")
        self.stages = [
            (stage, _find_column(header, column, f"--stage {stage}={column}"))
            for stage, column in layout.stages
        ]
        self.unit_index = (
            _find_column(header, layout.unit_column, "--unit-column")
            if layout.unit_column
            else None
        )
        self.officer_index = (
            _find_column(header, layout.officer_column, "--officer-column")
            if layout.officer_column
            else None
        )
        self.attribute_columns = _attribute_indexes(header, self.wanted_attributes, [])
        self.header = header

    def row(self, row: _Row) -> _Mapped:
        cells = row.cells

        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        case_key = cell(self.case)
        times = [(stage, index, cell(index)) for stage, index in self.stages]
        if not any(value for _stage, _index, value in times):
            self.result.rows_without_events += 1
            return _Mapped([], [])
        case_column = self.header[self.case]
        if not case_key:
            return _Mapped(
                [], [RowError(row.line, "case", case_column, "The case column is empty.")]
            )
        unit = self.unit(cell(self.unit_index), sum(1 for _s, _i, v in times if v))
        officer = cell(self.officer_index)
        attributes = self.attributes(cells)
        events = []
        for stage, index, value in times:
            if not value:
                continue
            raw: dict[str, object] = {
                "id": f"{case_key}:{stage}",
                "case": case_key,
                "stage": stage,
                "at": self.at(value),
            }
            columns = {"id": case_column, "case": case_column, "at": self.header[index]}
            if unit is not None:
                raw["unit"] = unit
                columns["unit"] = self.header[self.unit_index]
            if officer:
                raw["officer"] = officer
                columns["officer"] = self.header[self.officer_index]
            if attributes is not None:
                raw["attributes"] = dict(attributes)
            events.append((raw, columns))
        return _Mapped(events, [])


# --- Batches ---------------------------------------------------------------------------------


class _DryRun(Exception):
    def __init__(self, stored: Stored):
        self.stored = stored


@dataclass
class _Batch:
    raws: list = field(default_factory=list)
    origins: list[tuple[int, dict[str, str] | None]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0

    def __len__(self) -> int:
        return len(self.raws)

    def empty(self) -> bool:
        return not self.raws and not self.errors


def _place(error, origins) -> RowError:
    line, columns = origins[error.index] if error.index is not None else (0, None)
    column = (columns or {}).get(error.field)
    return RowError(line, error.field, column, error.message)


def import_events(
    *,
    stream: Stream,
    path: Path,
    layout: CasePerRow | None = None,
    batch_size: int = MAX_EVENTS,
    dry_run: bool = False,
    assume_zone: ZoneInfo | None = None,
    unknown_units: str = "refuse",
    attribute_columns: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import the events of a ``.ndjson``, ``.csv`` or ``.xlsx`` file into ``stream``, in
    batches of ``batch_size`` events, each validated and stored exactly as the API does.

    Stops at the first refused batch: the batches before it stay stored (``result.stored``),
    that batch and everything after are not (``result.refused``). With ``dry_run`` every batch
    is checked — also against the events already stored — and nothing is kept; all refused
    batches are reported. Raises ``ImportFileError`` when the file cannot be read at all.
    ``progress(rows)`` is called now and then with the rows read since its last call."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(f"Give a {', '.join(FORMATS)} file (not {path.name!r}).")
    if not 1 <= batch_size <= MAX_EVENTS:
        raise ImportFileError(f"The batch size must be 1–{MAX_EVENTS} (the API's limit).")
    if unknown_units not in UNKNOWN_UNITS:
        raise ImportFileError(f"--unknown-units is one of {', '.join(UNKNOWN_UNITS)}.")
    if layout is not None:
        if suffix == ".ndjson":
            raise ImportFileError("The case-per-row layout is for .csv and .xlsx files.")
        if not layout.stages:
            raise ImportFileError("Name at least one --stage STAGE=COLUMN.")
        for stage, _column in layout.stages:
            if stage not in stream.stages:
                raise ImportFileError(
                    f"--stage {stage}: not a stage of stream {stream.code} "
                    f"({', '.join(stream.stages)})."
                )
        if len({s for s, _c in layout.stages}) != len(layout.stages):
            raise ImportFileError("Each stage may be named once with --stage.")
    if not path.is_file():
        raise ImportFileError(f"There is no file {str(path)!r}.")

    result = ImportResult(place="row" if suffix == ".xlsx" else "line", dry_run=dry_run)
    validator = Validator(stream)
    common = {
        "validator": validator,
        "assume_zone": assume_zone,
        "unknown_units": unknown_units,
        "result": result,
    }
    if suffix == ".ndjson":
        rows = _ndjson_rows(path)
        mapping: _Mapping = _NdjsonMapping(**common)
    else:
        rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
        if layout is None:
            mapping = _EventColumns(attribute_columns=attribute_columns, **common)
        else:
            mapping = _CaseColumns(layout=layout, attribute_columns=attribute_columns, **common)
        rows = _after_header(rows, mapping)

    started = time.monotonic()
    batch = _Batch()
    number = 0
    unreported = 0
    going = True
    for row in rows:
        result.rows += 1
        unreported += 1
        if progress and unreported >= 1000:
            progress(unreported)
            unreported = 0
        mapped = _Mapped([], [row.error]) if row.error is not None else mapping.row(row)
        if not mapped.events and not mapped.errors:
            continue
        if not batch.empty() and len(batch) + len(mapped.events) > batch_size:
            number += 1
            going = _settle(stream, validator, batch, number, result, dry_run)
            batch = _Batch()
            if not going:
                break
        if batch.empty():
            batch.first_line = row.line
        batch.last_line = row.line
        for raw, columns in mapped.events:
            batch.raws.append(raw)
            batch.origins.append((row.line, columns))
        batch.errors.extend(mapped.errors)
        result.events += len(mapped.events)
        if row.fatal:
            break  # the rest of the file cannot be read
    if going and not batch.empty():
        number += 1
        _settle(stream, validator, batch, number, result, dry_run)
    if progress and unreported:
        progress(unreported)
    result.seconds = time.monotonic() - started
    return result


def _after_header(rows: Iterator[_Row], mapping: _TableMapping) -> Iterator[_Row]:
    """Rows after the header, empty rows skipped. The header is the first non-empty row with
    the columns needed, among the first few (exports often put a title above it)."""
    header_seen = False
    first_problem: ImportFileError | None = None
    looked = 0
    for row in rows:
        if row.error is None and not any(c.strip() for c in row.cells):
            continue
        if not header_seen:
            if row.error is not None:
                raise ImportFileError(f"Line {row.line}: {row.error.message}")
            try:
                mapping.start([c.strip() for c in row.cells])
            except ImportFileError as problem:
                first_problem = first_problem or problem
                looked += 1
                if looked >= HEADER_SEARCH:
                    raise first_problem from None
                continue
            header_seen = True
            continue
        yield row
    if not header_seen:
        raise first_problem or ImportFileError("The file is empty: no header row.")


def _settle(
    stream: Stream,
    validator: Validator,
    batch: _Batch,
    number: int,
    result: ImportResult,
    dry_run: bool,
) -> bool:
    """Validate and store (or, on a dry run, try and roll back) one batch; False when it was
    refused and the import must stop."""
    errors = list(batch.errors)
    stored = None
    unknown: Counter = Counter()
    naive = 0
    try:
        events = validator.clean_all(batch.raws)
    except BatchRefused as refused:
        errors.extend(_place(e, batch.origins) for e in refused.errors)
        unknown = _unknown_units(validator, batch, refused)
        naive = _naive_times(batch, refused)
    else:
        if not errors:
            try:
                stored = _store(stream, events, dry_run=dry_run)
            except BatchRefused as refused:
                errors.extend(_place(e, batch.origins) for e in refused.errors)
    if errors:
        errors.sort(key=lambda e: e.line)
        kept = max(0, MAX_KEPT_ERRORS - sum(len(b.errors) for b in result.refused))
        result.refused.append(
            BatchReport(
                number=number,
                first_line=batch.first_line,
                last_line=batch.last_line,
                events=len(batch),
                errors=tuple(errors[:kept]),
                error_count=len(errors),
                unknown_units=tuple(sorted(unknown.items())),
                naive_times=naive,
            )
        )
        return dry_run  # a dry run checks on; a real import stops here
    result.stored.append(
        BatchReport(
            number=number,
            first_line=batch.first_line,
            last_line=batch.last_line,
            events=len(batch),
            accepted=stored.accepted,
            duplicates=stored.duplicates,
        )
    )
    return True


def _unknown_units(validator: Validator, batch: _Batch, refused: BatchRefused) -> Counter:
    """The unknown unit codes of a refused batch, with how many events name each."""
    found: Counter = Counter()
    for error in refused.errors:
        if error.field != "unit" or error.index is None:
            continue
        raw = batch.raws[error.index]
        if type(raw) is dict and type(raw.get("unit")) is str:
            code = raw["unit"].strip().upper()
            if code not in validator.units:
                found[code] += 1
    return found


def _naive_times(batch: _Batch, refused: BatchRefused) -> int:
    """How many events of a refused batch have a time without an offset."""
    count = 0
    for error in refused.errors:
        if error.field == "at" and error.index is not None:
            raw = batch.raws[error.index]
            at = raw.get("at") if type(raw) is dict else None
            if type(at) is str and parse_time_without_offset(at.strip()):
                count += 1
    return count


def _store(stream: Stream, events, *, dry_run: bool) -> Stored:
    """``store`` — on a dry run inside a transaction that is rolled back, so that conflicts
    with events stored before are found and nothing is kept. A busy database (nothing
    stored) gets the same batch again after a pause."""
    for attempt in range(1, STORE_TRIES + 1):
        try:
            if not dry_run:
                # one catch-up at the end
                return events_ingest(stream=stream, events=events, by=SYSTEM, follow=False)
            try:
                with transaction.atomic():
                    raise _DryRun(
                        events_ingest(stream=stream, events=events, by=SYSTEM, follow=False)
                    )
            except _DryRun as done:
                return done.stored
        except OperationalError:
            if attempt == STORE_TRIES:
                raise
            time.sleep(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
