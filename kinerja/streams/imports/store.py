"""Step 3 of an events import: the batches. Every batch goes through exactly what the HTTP
API applies — ``Validator.clean_all`` and the operation ``events_ingest``, with the importing
person's rights — so a file is held to the same rules as a request: a batch is stored whole or
not at all, and resending it is harmless (events stored before count as duplicates). An
event's index in its batch is translated back to the place in the file it came from (line, or
spreadsheet row, and column)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.db import OperationalError, transaction

from kinerja.core import audit
from kinerja.core.actors import Actor

from ..ingest import (
    MAX_EVENTS,
    BatchRefused,
    CleanEvent,
    FieldError,
    Stored,
    Validator,
    catch_up,
    parse_time_without_offset,
)
from ..models import Stream
from ..services import events_ingest
from .check import (
    UNKNOWN_UNITS,
    CaseColumns,
    CasePerRow,
    EventColumns,
    EventMapping,
    Mapped,
    NdjsonMapping,
    TableMapping,
    after_header,
)
from .read import FileRow, ImportFileError, RowError, csv_rows, ndjson_rows, xlsx_rows

FORMATS = (".ndjson", ".csv", ".xlsx")
#: Errors kept for the report (a column of bad times gives one per row, a dry run of a large
#: file many more); all are counted.
MAX_KEPT_ERRORS = 20_000
STORE_TRIES = 3  # a busy database: the same batch again after a pause (nothing was stored)


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
    ignored_units: Counter[str] = field(default_factory=Counter)  # code → events left without unit
    rows_without_events: int = 0
    seconds: float = 0.0
    merged: int = 0  # events merged into the cases afterwards
    merge_seconds: float = 0.0

    @property
    def accepted(self) -> int:
        return sum(b.accepted for b in self.stored)

    @property
    def duplicates(self) -> int:
        return sum(b.duplicates for b in self.stored)


class _DryRun(Exception):
    def __init__(self, stored: Stored) -> None:
        self.stored = stored


#: Where each event of a batch came from: its line and the columns of its fields (if a table).
Origins = list[tuple[int, dict[str, str] | None]]


@dataclass
class _Batch:
    raws: list[object] = field(default_factory=list)
    origins: Origins = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0

    def __len__(self) -> int:
        return len(self.raws)

    def empty(self) -> bool:
        return not self.raws and not self.errors


class _Place(TypedDict):
    """Which batch, and which lines and events it spans (see :class:`BatchReport`)."""

    number: int
    first_line: int
    last_line: int
    events: int


def _place(error: FieldError, origins: Origins) -> RowError:
    line, columns = origins[error.index] if error.index is not None else (0, None)
    column = (columns or {}).get(error.field)
    return RowError(line, error.field, column, error.message)


def import_events(
    *,
    stream: Stream,
    path: Path,
    by: Actor,
    layout: CasePerRow | None = None,
    batch_size: int = MAX_EVENTS,
    dry_run: bool = False,
    assume_zone: ZoneInfo | None = None,
    unknown_units: str = "refuse",
    attribute_columns: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import the events of a ``.ndjson``, ``.csv`` or ``.xlsx`` file into ``stream``, in
    batches of ``batch_size`` events, each validated and stored exactly as the API does (each
    in its own transaction); then record the import in the audit trail and bring the cases up
    to date (``result.merged`` events merged).

    Stops at the first refused batch: the batches before it stay stored (``result.stored``),
    that batch and everything after are not (``result.refused``). With ``dry_run`` every batch
    is checked — also against the events already stored — and nothing is kept; all refused
    batches are reported. Raises ``ImportFileError`` when the file cannot be read at all.
    ``progress(rows)`` is called now and then with the rows read since its last call."""
    _check_request(stream, path, layout, batch_size, unknown_units)
    place = "row" if path.suffix.lower() == ".xlsx" else "line"
    result = ImportResult(place=place, dry_run=dry_run)
    options = {"assume_zone": assume_zone, "unknown_units": unknown_units, "result": result}
    _read_and_store(stream, path, by, layout, attribute_columns, batch_size, options, progress)
    # Only now: the reader, the mapping and the last batch are gone before the catch-up.
    if result.stored and not dry_run:
        _record(stream, path, result)
    return result


def _read_and_store(
    stream: Stream,
    path: Path,
    by: Actor,
    layout: CasePerRow | None,
    attribute_columns: list[str] | None,
    batch_size: int,
    options: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> None:
    """Read the file a row at a time and settle its batches; the figures go to
    ``options["result"]``."""
    result: ImportResult = options["result"]
    validator = Validator(stream)
    rows, mapping = _rows(path, layout, attribute_columns, options | {"validator": validator})
    started = time.monotonic()
    batches = _Batches(stream, validator, result, dry_run=result.dry_run, size=batch_size, by=by)
    unreported = 0
    for row in rows:
        result.rows += 1
        unreported += 1
        if progress and unreported >= 1000:
            progress(unreported)
            unreported = 0
        mapped = Mapped([], [row.error]) if row.error is not None else mapping.row(row)
        if not batches.add(row.line, mapped) or row.fatal:
            break  # a refused batch stops the import; a fatal row, the reading
    batches.finish()
    if progress and unreported:
        progress(unreported)
    result.seconds = time.monotonic() - started


def _record(stream: Stream, path: Path, result: ImportResult) -> None:
    """The import in the audit trail (through the caller's door), and the cases brought up
    to date with the events stored (timed, for the report)."""
    audit.record(
        "import",
        stream,
        after={
            "file": path.name,
            "batches": len(result.stored),
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "refused_batch": result.refused[0].number if result.refused else None,
        },
        note=f"events import {path.name}",
    )
    began = time.monotonic()
    result.merged = catch_up(stream)
    result.merge_seconds = time.monotonic() - began


def _rows(
    path: Path,
    layout: CasePerRow | None,
    attribute_columns: list[str] | None,
    common: dict[str, Any],
) -> tuple[Iterator[FileRow], EventMapping]:
    """The file's rows (after the header of a table) and what maps them to events."""
    suffix = path.suffix.lower()
    if suffix == ".ndjson":
        return ndjson_rows(path), NdjsonMapping(**common)
    rows = csv_rows(path) if suffix == ".csv" else xlsx_rows(path)
    if layout is None:
        mapping: TableMapping = EventColumns(attribute_columns=attribute_columns, **common)
    else:
        mapping = CaseColumns(layout=layout, attribute_columns=attribute_columns, **common)
    return after_header(rows, mapping), mapping


def _check_request(
    stream: Stream, path: Path, layout: CasePerRow | None, batch_size: int, unknown_units: str
) -> None:
    """Refuse what cannot be imported before anything is read."""
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


class _Batches:
    """Gathers the events of rows into batches of at most ``size`` and settles each full
    one (see :func:`_settle`)."""

    def __init__(
        self,
        stream: Stream,
        validator: Validator,
        result: ImportResult,
        *,
        dry_run: bool,
        size: int,
        by: Actor,
    ) -> None:
        self.by = by
        self.stream, self.validator, self.result = stream, validator, result
        self.dry_run, self.size = dry_run, size
        self.batch = _Batch()
        self.number = 0
        self.going = True

    def add(self, line: int, mapped: Mapped) -> bool:
        """Add one row's events (or errors); False when a batch was refused and the import
        must stop."""
        if not mapped.events and not mapped.errors:
            return True
        batch = self.batch
        if not batch.empty() and len(batch) + len(mapped.events) > self.size:
            self.going = self._settle()
            batch = self.batch = _Batch()
            if not self.going:
                return False
        if batch.empty():
            batch.first_line = line
        batch.last_line = line
        for raw, columns in mapped.events:
            batch.raws.append(raw)
            batch.origins.append((line, columns))
        batch.errors.extend(mapped.errors)
        self.result.events += len(mapped.events)
        return True

    def finish(self) -> None:
        if self.going and not self.batch.empty():
            self._settle()

    def _settle(self) -> bool:
        self.number += 1
        return _settle(
            self.stream, self.validator, self.batch, self.number, self.result, self.dry_run, self.by
        )


def _settle(
    stream: Stream,
    validator: Validator,
    batch: _Batch,
    number: int,
    result: ImportResult,
    dry_run: bool,
    by: Actor,
) -> bool:
    """Validate and store (or, on a dry run, try and roll back) one batch; False when it was
    refused and the import must stop."""
    errors = list(batch.errors)
    stored: Stored | None = None
    unknown: Counter[str] = Counter()
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
                stored = _store(stream, events, dry_run=dry_run, by=by)
            except BatchRefused as refused:
                errors.extend(_place(e, batch.origins) for e in refused.errors)
    place: _Place = {
        "number": number,
        "first_line": batch.first_line,
        "last_line": batch.last_line,
        "events": len(batch),
    }
    if errors or stored is None:  # stored is None only after an error
        errors.sort(key=lambda e: e.line)
        kept = max(0, MAX_KEPT_ERRORS - sum(len(b.errors) for b in result.refused))
        result.refused.append(
            BatchReport(
                **place,
                errors=tuple(errors[:kept]),
                error_count=len(errors),
                unknown_units=tuple(sorted(unknown.items())),
                naive_times=naive,
            )
        )
        return dry_run  # a dry run checks on; a real import stops here
    result.stored.append(
        BatchReport(**place, accepted=stored.accepted, duplicates=stored.duplicates)
    )
    return True


def _unknown_units(validator: Validator, batch: _Batch, refused: BatchRefused) -> Counter[str]:
    """The unknown unit codes of a refused batch, with how many events name each."""
    found: Counter[str] = Counter()
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


def _store(stream: Stream, events: list[CleanEvent], *, dry_run: bool, by: Actor) -> Stored:
    """``events_ingest`` — on a dry run inside a transaction that is rolled back, so that
    conflicts with events stored before are found and nothing is kept. A busy database
    (nothing stored) gets the same batch again after a pause."""
    for attempt in range(1, STORE_TRIES + 1):
        try:
            if not dry_run:
                # One catch-up at the end.
                return events_ingest(stream=stream, events=events, by=by, follow=False)
            try:
                with transaction.atomic():
                    raise _DryRun(events_ingest(stream=stream, events=events, by=by, follow=False))
            except _DryRun as done:
                return done.stored
        except OperationalError:
            if attempt == STORE_TRIES:
                raise
            time.sleep(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
