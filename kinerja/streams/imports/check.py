"""Step 2 of an events import: mapping the rows of a file to the contract's events (the JSON
values the API would receive), with, for each event, the columns its fields came from.

Two layouts of tables:

* **events**: one row per event, columns ``id``, ``case``, ``stage``, ``at`` and optionally
  ``unit``, ``officer`` and ``attributes`` (a JSON object as text); every other column becomes
  an attribute of the event (header → cell text; empty cells left out), unless
  ``attribute_columns`` names the ones to keep.
* **case per row** (:class:`CasePerRow`), as real exports are written: one row per case with
  one time column per stage. Each non-empty stage cell becomes one event with the id
  ``<case>:<stage>``, the unit and officer of the row's columns. No attributes unless
  ``attribute_columns`` names them (exports carry dozens of odd columns).

Times without an offset are refused, as the contract says, unless the caller states which
zone the file's naive times are local times of (``assume_zone``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import orjson

from ..ingest import Validator, parse_time, parse_time_without_offset
from .read import FileRow, ImportFileError, RowError

if TYPE_CHECKING:  # pragma: no cover - for the type hints only
    from .store import ImportResult

EVENT_COLUMNS = ("id", "case", "stage", "at", "unit", "officer", "attributes")
REQUIRED_COLUMNS = ("id", "case", "stage", "at")
UNKNOWN_UNITS = ("refuse", "ignore")
HEADER_SEARCH = 10  # non-empty rows looked at for the header


@dataclass(frozen=True)
class CasePerRow:
    """One row per case; ``stages`` pairs each stage with the column holding its time."""

    case_column: str
    stages: tuple[tuple[str, str], ...]
    unit_column: str | None = None
    officer_column: str | None = None


@dataclass(slots=True)
class Mapped:
    """What one row gives: events with, for each, the columns its fields came from."""

    events: list[tuple[object, dict[str, str] | None]]
    errors: list[RowError]


class EventMapping:
    """Turns rows into raw events (the JSON values the API would receive)."""

    def __init__(
        self,
        *,
        validator: Validator,
        assume_zone: ZoneInfo | None,
        unknown_units: str,
        result: ImportResult,
    ) -> None:
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

    def row(self, row: FileRow) -> Mapped:  # pragma: no cover - abstract
        raise NotImplementedError


class NdjsonMapping(EventMapping):
    def row(self, row: FileRow) -> Mapped:
        return Mapped([(self.event(row.value), None)], [])


def find_column(header: list[str], wanted: str, option: str) -> int:
    if wanted in header:
        return header.index(wanted)
    folded = [h.strip().lower() for h in header]
    matches = [i for i, h in enumerate(folded) if h == wanted.strip().lower()]
    if len(matches) == 1:
        return matches[0]
    raise ImportFileError(
        f"{option}: the file has no column {wanted!r} (it has: {', '.join(header)[:300]})."
    )


def attribute_indexes(
    header: list[str], names: list[str] | None, default: list[int]
) -> list[tuple[int, str]]:
    if names is None:
        chosen = default
    else:
        chosen = [find_column(header, n, "--attribute-columns") for n in names]
    return [(i, header[i].strip() or f"column {i + 1}") for i in chosen]


class TableMapping(EventMapping):
    """Shared by both layouts of a table: the header, and attributes from columns."""

    header: list[str]
    attribute_columns: list[tuple[int, str]]  # (index, name) of the columns kept as attributes

    def start(self, header: list[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def attributes(self, cells: list[str]) -> dict[str, object] | None:
        found: dict[str, object] = {}
        for index, name in self.attribute_columns:
            value = cells[index] if index < len(cells) else ""
            if value.strip():
                found[name] = value
        return found or None


class EventColumns(TableMapping):
    def __init__(self, *, attribute_columns: list[str] | None, **kwargs: Any) -> None:
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
        self.attribute_columns = attribute_indexes(header, self.wanted_attributes, others)
        self.header = header

    def row(self, row: FileRow) -> Mapped:
        cells = row.cells or []  # a table's row has cells
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
                given = orjson.loads(str(raw["attributes"]))  # the cell's text
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
            return Mapped([], errors)
        return Mapped([(self.event(raw), columns)], [])


class CaseColumns(TableMapping):
    def __init__(
        self, *, layout: CasePerRow, attribute_columns: list[str] | None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.layout = layout
        self.wanted_attributes = attribute_columns

    def start(self, header: list[str]) -> None:
        layout = self.layout
        self.case = find_column(header, layout.case_column, "--case-column")
        self.stages = [
            (stage, find_column(header, column, f"--stage {stage}={column}"))
            for stage, column in layout.stages
        ]
        self.unit_index = (
            find_column(header, layout.unit_column, "--unit-column") if layout.unit_column else None
        )
        self.officer_index = (
            find_column(header, layout.officer_column, "--officer-column")
            if layout.officer_column
            else None
        )
        self.attribute_columns = attribute_indexes(header, self.wanted_attributes, [])
        self.header = header

    def row(self, row: FileRow) -> Mapped:
        cells = row.cells or []  # a table's row has cells

        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        case_key = cell(self.case)
        times = [(stage, index, cell(index)) for stage, index in self.stages]
        if not any(value for _stage, _index, value in times):
            self.result.rows_without_events += 1
            return Mapped([], [])
        case_column = self.header[self.case]
        if not case_key:
            return Mapped(
                [], [RowError(row.line, "case", case_column, "The case column is empty.")]
            )
        unit = self.unit(cell(self.unit_index), sum(1 for _s, _i, v in times if v))
        officer = cell(self.officer_index)
        attributes = self.attributes(cells)
        events: list[tuple[object, dict[str, str] | None]] = []
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
            if unit is not None and self.unit_index is not None:  # a unit needs its column
                raw["unit"] = unit
                columns["unit"] = self.header[self.unit_index]
            if officer and self.officer_index is not None:  # an officer needs its column
                raw["officer"] = officer
                columns["officer"] = self.header[self.officer_index]
            if attributes is not None:
                raw["attributes"] = dict(attributes)
            events.append((raw, columns))
        return Mapped(events, [])


def after_header(rows: Iterator[FileRow], mapping: TableMapping) -> Iterator[FileRow]:
    """Rows after the header, empty rows skipped. The header is the first non-empty row with
    the columns needed, among the first few (exports often put a title above it)."""
    header_seen = False
    first_problem: ImportFileError | None = None
    looked = 0
    for row in rows:
        if row.error is None and not any(c.strip() for c in row.cells or ()):
            continue
        if not header_seen:
            if row.error is not None:
                raise ImportFileError(f"Line {row.line}: {row.error.message}")
            try:
                mapping.start([c.strip() for c in row.cells or ()])
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
