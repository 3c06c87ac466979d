"""What a changeset reads and answers: rows, errors, outcomes, and the stored state as rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from kinerja.core.tabular import errors as tabular_errors
from kinerja.core.tabular.errors import RowError

from ..columns import ORDER, SHEETS
from ..models import Agency, Employee, Position, Unit


@dataclass
class Row:
    number: int | None  # the row in the spreadsheet (header is row 1); None for a form
    values: dict[str, str]


def row_error(sheet: str, row: int | None, column: str, message: str) -> RowError:
    """A problem in ``row`` of the dataset ``sheet`` (a key of :data:`.columns.SHEETS`)."""
    return SHEETS[sheet].error(row, column, message)


def error_order(error: RowError) -> tuple[int, int, str]:
    """Errors in reading order: by sheet, then row, then column."""
    sheet = ORDER.index(error.sheet) if error.sheet in ORDER else -1
    return (sheet, error.row or 0, error.column)


@dataclass(frozen=True)
class Change:
    """One row that would be (or was) created or updated; ``columns`` names what differs."""

    sheet: str
    key: str
    kind: str  # created | updated
    columns: tuple[str, ...]


@dataclass
class Outcome(tabular_errors.Outcome):
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, int]]:
        """``{sheet key: {"created": n, "updated": n, "unchanged": n}}`` for the sheets given."""
        return {key: dict(counter) for key, counter in self.counts.items()}


class ChangesetError(ValidationError):
    """Raised by :func:`apply_rows_or_raise` with the row errors attached."""

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__([str(e) for e in errors])


# --- The state, in the files' canonical strings --------------------------------------------


@dataclass
class State:
    agencies: dict[str, dict[str, str]]
    units: dict[str, dict[str, str]]
    positions: dict[str, dict[str, str]]
    employees: dict[str, dict[str, str]]
    ids: dict[str, dict[str, int]]

    def table(self, key: str) -> dict[str, dict[str, str]]:
        table: dict[str, dict[str, str]] = getattr(self, key)
        return table


def load_state(agency_codes: Iterable[str] | None = None) -> State:
    """The stored organisation as rows; limited to some agencies when ``agency_codes`` is set.

    Used both to validate changes (whole region) and to export (a viewer's agencies). Links to
    rows outside those agencies (a parent unit, a superior's position) keep their codes.
    Seven queries whatever the size.
    """
    agency_qs = Agency.objects.order_by("code")
    if agency_codes is not None:
        agency_qs = agency_qs.filter(code__in=list(agency_codes))
    agency_rows = list(agency_qs.values("pk", "code", "name", "kind", "head_position_id"))
    agency_ids = [a["pk"] for a in agency_rows]
    unit_code = dict(Unit.objects.values_list("pk", "code"))
    pos_code = dict(Position.objects.values_list("pk", "code"))
    state = State({}, {}, {}, {}, {key: {} for key in ORDER})
    _load_agencies(state, agency_rows, pos_code)
    _load_units(state, agency_ids, {a["pk"]: a["code"] for a in agency_rows}, unit_code)
    _load_positions(state, agency_ids, unit_code, pos_code)
    _load_employees(state, agency_ids, unit_code, pos_code)
    return state


def _load_agencies(
    state: State, agency_rows: Sequence[Mapping[str, Any]], pos_code: dict[int, str]
) -> None:
    for a in agency_rows:
        state.agencies[a["code"]] = {
            "kode": a["code"],
            "nama": a["name"],
            "jenis": a["kind"],
            "kode_jabatan_pimpinan": pos_code.get(a["head_position_id"], ""),
        }
        state.ids["agencies"][a["code"]] = a["pk"]


def _load_units(
    state: State, agency_ids: list[int], agency_code: dict[int, str], unit_code: dict[int, str]
) -> None:
    unit_rows = (
        Unit.objects.filter(agency_id__in=agency_ids)
        .order_by("code")
        .values("pk", "code", "name", "agency_id", "parent_id")
    )
    for u in unit_rows:
        state.units[u["code"]] = {
            "kode": u["code"],
            "nama": u["name"],
            "kode_instansi": agency_code[u["agency_id"]],
            "kode_induk": unit_code.get(u["parent_id"], ""),
        }
        state.ids["units"][u["code"]] = u["pk"]


def _load_positions(
    state: State, agency_ids: list[int], unit_code: dict[int, str], pos_code: dict[int, str]
) -> None:
    pos_rows = (
        Position.objects.filter(unit__agency_id__in=agency_ids)
        .order_by("code")
        .values("pk", "code", "name", "kind", "level", "unit_id", "reports_to_id")
    )
    for p in pos_rows:
        state.positions[p["code"]] = {
            "kode": p["code"],
            "nama": p["name"],
            "jenis": p["kind"],
            "jenjang": p["level"],
            "kode_unit": unit_code[p["unit_id"]],
            "kode_atasan": pos_code.get(p["reports_to_id"], ""),
        }
        state.ids["positions"][p["code"]] = p["pk"]


def _load_employees(
    state: State, agency_ids: list[int], unit_code: dict[int, str], pos_code: dict[int, str]
) -> None:
    emp_rows = (
        Employee.objects.filter(unit__agency_id__in=agency_ids)
        .order_by("unit__code", "name", "nip")
        .values("pk", "nip", "name", "status", "rank", "unit_id", "position_id", "email", "active")
    )
    for e in emp_rows.iterator(chunk_size=2000):
        state.employees[e["nip"]] = {
            "nip": e["nip"],
            "nama": e["name"],
            "status": e["status"].upper(),
            "golongan": e["rank"],
            "kode_unit": unit_code[e["unit_id"]],
            "kode_jabatan": pos_code.get(e["position_id"], ""),
            "email": e["email"],
            "aktif": "ya" if e["active"] else "tidak",
        }
        state.ids["employees"][e["nip"]] = e["pk"]
