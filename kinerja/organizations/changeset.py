"""Changing agencies, units, positions and employees from rows of values.

This is the one path for organisation data: an import file, the edit form of one employee and
the API all hand rows to :func:`apply_rows`. It validates every row against the state the
database would have afterwards, reports each problem with its sheet, row and column, and only
then writes everything in one transaction (or nothing, if anything is wrong or ``dry_run``).

Rows hold the file's canonical strings (see :mod:`.columns`). A column that is absent leaves
the stored value alone; a column that is present but empty clears it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.nip import NipError, parse_nip

from .columns import ORDER, SHEETS
from .models import (
    LEVELS_BY_KIND,
    SINGLE_HOLDER_KINDS,
    Agency,
    AgencyKind,
    Employee,
    EmployeeStatus,
    Position,
    PositionKind,
    PositionLevel,
    Region,
    Unit,
)
from .ranks import normalize_rank
from .services import raters_recompute

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "salah"}
MAX_TEXT = 200

Progress = Callable[[str, int, int], None]


@dataclass
class Row:
    number: int | None  # the row in the spreadsheet (header is row 1); None for a form
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": SHEETS[self.sheet].title if self.sheet in SHEETS else self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = SHEETS[self.sheet].title if self.sheet in SHEETS else self.sheet
        if self.row is not None:
            where = _("%(sheet)s, row %(row)d") % {"sheet": where, "row": self.row}
        if self.column:
            where = _("%(where)s, column %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"


@dataclass
class Outcome:
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def summary(self) -> dict:
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
        return getattr(self, key)


def _status_code(value: str) -> str:
    return value.upper()


def load_state(agency_codes: Iterable[str] | None = None) -> State:
    """The stored organisation as rows; limited to some agencies when ``agency_codes`` is set.

    Used both to validate changes (whole region) and to export (a viewer's agencies)."""
    agency_qs = Agency.objects.all()
    if agency_codes is not None:
        agency_qs = agency_qs.filter(code__in=list(agency_codes))
    agency_rows = list(agency_qs.values("pk", "code", "name", "kind", "head_position_id"))
    agency_ids = [a["pk"] for a in agency_rows]
    agency_code = {a["pk"]: a["code"] for a in agency_rows}

    unit_rows = list(
        Unit.objects.filter(agency_id__in=agency_ids).values(
            "pk", "code", "name", "agency_id", "parent_id"
        )
    )
    unit_code = dict(Unit.objects.values_list("pk", "code"))
    pos_rows = list(
        Position.objects.filter(unit__agency_id__in=agency_ids).values(
            "pk", "code", "name", "kind", "level", "unit_id", "reports_to_id"
        )
    )
    pos_code = dict(Position.objects.values_list("pk", "code"))
    emp_rows = Employee.objects.filter(unit__agency_id__in=agency_ids).values(
        "pk", "nip", "name", "status", "rank", "unit_id", "position_id", "email", "active"
    )

    state = State({}, {}, {}, {}, {"agencies": {}, "units": {}, "positions": {}, "employees": {}})
    for a in agency_rows:
        state.agencies[a["code"]] = {
            "kode": a["code"],
            "nama": a["name"],
            "jenis": a["kind"],
            "kode_jabatan_pimpinan": pos_code.get(a["head_position_id"], ""),
        }
        state.ids["agencies"][a["code"]] = a["pk"]
    for u in unit_rows:
        state.units[u["code"]] = {
            "kode": u["code"],
            "nama": u["name"],
            "kode_instansi": agency_code[u["agency_id"]],
            "kode_induk": unit_code.get(u["parent_id"], ""),
        }
        state.ids["units"][u["code"]] = u["pk"]
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
    for e in emp_rows.iterator(chunk_size=2000):
        state.employees[e["nip"]] = {
            "nip": e["nip"],
            "nama": e["name"],
            "status": _status_code(e["status"]),
            "golongan": e["rank"],
            "kode_unit": unit_code[e["unit_id"]],
            "kode_jabatan": pos_code.get(e["position_id"], ""),
            "email": e["email"],
            "aktif": "ya" if e["active"] else "tidak",
        }
        state.ids["employees"][e["nip"]] = e["pk"]
    return state


# --- Cleaning single values -----------------------------------------------------------------


def _text(value: str) -> str:
    return " ".join(str(value).split())


def _choice(value: str, choices: type) -> str | None:
    """Accept a choice by its code or its label, ignoring case, spaces and underscores."""
    wanted = _text(value).lower().replace(" ", "_")
    for code, label in choices.choices:
        if wanted in {code, str(label).lower().replace(" ", "_")}:
            return code
    return None


class _Cleaner:
    """Turns one raw row into canonical strings, collecting precise errors."""

    def __init__(self, sheet: str, row: Row, errors: list[RowError]):
        self.sheet, self.row, self.errors = sheet, row, errors
        self.out: dict[str, str] = {}

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row.number, column, message))

    def has(self, column: str) -> bool:
        return column in self.row.values

    def raw(self, column: str) -> str:
        return _text(self.row.values.get(column, ""))

    def required_text(self, column: str) -> None:
        if not self.has(column):
            return
        value = self.raw(column)
        if not value:
            self.error(column, _("This column must not be empty."))
        elif len(value) > MAX_TEXT:
            self.error(column, _("At most %(max)d characters.") % {"max": MAX_TEXT})
        else:
            self.out[column] = value

    def code(self, column: str, *, required: bool) -> None:
        if not self.has(column):
            return
        value = self.raw(column).upper()
        if not value:
            if required:
                self.error(column, _("This column must not be empty."))
            else:
                self.out[column] = ""
            return
        if not CODE_RE.match(value):
            self.error(
                column,
                _(
                    "'%(value)s' is not a valid code: use capital letters, digits, '.', '_' "
                    "or '-', at most 40 characters."
                )
                % {"value": value[:60]},
            )
            return
        self.out[column] = value

    def choice(self, column: str, choices: type, *, allowed: str, blank: bool = False) -> None:
        if not self.has(column):
            return
        raw = self.raw(column)
        if not raw and blank:
            self.out[column] = ""
            return
        code = _choice(raw, choices)
        if code is None:
            self.error(
                column,
                _("'%(value)s' is not allowed; use one of: %(allowed)s.")
                % {"value": raw[:60], "allowed": allowed},
            )
            return
        self.out[column] = code


def _clean_agency(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("agencies", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.choice("jenis", AgencyKind, allowed=", ".join(AgencyKind.values))
    c.code("kode_jabatan_pimpinan", required=False)
    return c.out


def _clean_unit(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("units", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.code("kode_instansi", required=True)
    c.code("kode_induk", required=False)
    return c.out


def _clean_position(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("positions", row, errors)
    c.code("kode", required=True)
    c.required_text("nama")
    c.choice("jenis", PositionKind, allowed=", ".join(PositionKind.values))
    c.choice("jenjang", PositionLevel, allowed=", ".join(PositionLevel.values), blank=True)
    c.code("kode_unit", required=True)
    c.code("kode_atasan", required=False)
    return c.out


def _clean_employee(row: Row, errors: list[RowError]) -> dict[str, str]:
    c = _Cleaner("employees", row, errors)
    if c.has("nip"):
        try:
            c.out["nip"] = parse_nip(row.values["nip"]).value
        except NipError as exc:
            c.error("nip", " ".join(exc.messages))
    c.required_text("nama")
    if c.has("status"):
        status = c.raw("status").lower()
        if status in EmployeeStatus.values:
            c.out["status"] = status.upper()
        else:
            c.error("status", _("'%(value)s' is not allowed; use PNS or PPPK.") % {"value": status})
    if c.has("golongan"):
        c.out["golongan"] = c.raw("golongan")  # checked against the status below
    c.code("kode_unit", required=False)
    c.code("kode_jabatan", required=False)
    if c.has("email"):
        email = c.raw("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                c.error("email", _("'%(value)s' is not an e-mail address.") % {"value": email[:80]})
                email = None
        if email is not None:
            c.out["email"] = email
    if c.has("aktif"):
        active = c.raw("aktif").lower()
        if active in TRUE_WORDS or active == "":
            c.out["aktif"] = "ya"
        elif active in FALSE_WORDS:
            c.out["aktif"] = "tidak"
        else:
            c.error("aktif", _("Write ya or tidak."))
    return c.out


CLEANERS = {
    "agencies": _clean_agency,
    "units": _clean_unit,
    "positions": _clean_position,
    "employees": _clean_employee,
}
DEFAULTS = {
    "agencies": {"kode_jabatan_pimpinan": ""},
    "units": {"kode_induk": ""},
    "positions": {"jenjang": "", "kode_atasan": ""},
    "employees": {"golongan": "", "kode_jabatan": "", "email": "", "aktif": "ya", "kode_unit": ""},
}


# --- The changeset ----------------------------------------------------------------------------


class Changeset:
    def __init__(
        self,
        rows: dict[str, list[Row]],
        *,
        allowed_agencies: set[str] | None,
        progress: Progress | None = None,
    ):
        self.rows = {key: rows.get(key, []) for key in ORDER}
        self.allowed = allowed_agencies
        self.progress = progress or (lambda phase, done, total: None)
        self.errors: list[RowError] = []
        self.state = load_state()
        # proposed[key][code] = full record after the change; touched[key][code] = row number
        self.proposed = {key: dict(self.state.table(key)) for key in ORDER}
        self.touched: dict[str, dict[str, int | None]] = {key: {} for key in ORDER}
        self.cleaned: dict[str, dict[str, dict[str, str]]] = {key: {} for key in ORDER}

    def error(self, sheet: str, code: str, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, self.touched[sheet].get(code), column, message))

    # 1. clean every row and lay it over the stored state
    def merge(self) -> None:
        total = sum(len(r) for r in self.rows.values())
        done = 0
        for key in ORDER:
            sheet = SHEETS[key]
            for row in self.rows[key]:
                done += 1
                if done % 500 == 0:
                    self.progress("validate", done, total)
                values = CLEANERS[key](row, self.errors)
                code = values.get(sheet.key_column)
                if not code:
                    continue
                if code in self.touched[key]:
                    self.errors.append(
                        RowError(
                            key,
                            row.number,
                            sheet.key_column,
                            _("%(code)s appears twice (first in row %(row)s).")
                            % {"code": code, "row": self.touched[key][code]},
                        )
                    )
                    continue
                self.touched[key][code] = row.number
                self.cleaned[key][code] = values
                current = self.state.table(key).get(code)
                if current is None:
                    missing = [c for c in sheet.required if c not in row.values]
                    if key == "employees" and "kode_unit" in missing:
                        missing.remove("kode_unit")
                    for column in missing:
                        self.error(key, code, column, _("A new row needs this column."))
                    base = {c: "" for c in sheet.column_names} | DEFAULTS[key]
                else:
                    base = dict(current)
                self.proposed[key][code] = base | values
        self.progress("validate", total, total)

    # 2. check what the rows mean together
    def check(self) -> None:
        self._check_permissions()
        self._check_units()
        self._check_positions()
        self._check_agencies()
        self._check_employees()

    def _agency_of(self, key: str, record: dict[str, str] | None) -> str | None:
        if record is None:
            return None
        if key == "agencies":
            return record["kode"]
        if key == "units":
            return record["kode_instansi"]
        if key == "positions":
            unit = self.proposed["units"].get(record["kode_unit"])
            return unit["kode_instansi"] if unit else None
        unit = self.proposed["units"].get(record["kode_unit"])
        return unit["kode_instansi"] if unit else None

    def _check_permissions(self) -> None:
        if self.allowed is None:
            return
        for key in ORDER:
            for code in self.touched[key]:
                if key == "agencies":
                    self.error(key, code, "kode", _("Only a regional administrator may change agencies."))
                    continue
                before = self.state.table(key).get(code)
                if before is not None and key != "units":
                    before_agency = self._agency_in_state(key, before)
                else:
                    before_agency = before["kode_instansi"] if before else None
                after_agency = self._agency_of(key, self.proposed[key][code])
                for agency in {before_agency, after_agency} - {None}:
                    if agency not in self.allowed:
                        self.error(
                            key,
                            code,
                            SHEETS[key].key_column,
                            _("You may not change data of agency %(agency)s.") % {"agency": agency},
                        )

    def _agency_in_state(self, key: str, record: dict[str, str]) -> str | None:
        unit = self.state.units.get(record["kode_unit"])
        return unit["kode_instansi"] if unit else None

    def _walk_cycle(self, table: dict[str, dict[str, str]], start: str, link: str) -> bool:
        seen = {start}
        current = table[start].get(link)
        while current:
            if current in seen:
                return True
            seen.add(current)
            nxt = table.get(current)
            current = nxt.get(link) if nxt else None
        return False

    def _check_units(self) -> None:
        units, agencies = self.proposed["units"], self.proposed["agencies"]
        for code in self.touched["units"]:
            rec = units[code]
            if rec["kode_instansi"] and rec["kode_instansi"] not in agencies:
                self.error(
                    "units", code, "kode_instansi",
                    _("Unknown agency %(code)s.") % {"code": rec["kode_instansi"]},
                )  # fmt: skip
            parent = rec["kode_induk"]
            if not parent:
                continue
            if parent not in units:
                self.error("units", code, "kode_induk", _("Unknown unit %(code)s.") % {"code": parent})
            elif parent == code or self._walk_cycle(units, code, "kode_induk"):
                self.error(
                    "units", code, "kode_induk",
                    _("A unit cannot be inside itself (the parents form a loop)."),
                )  # fmt: skip
            elif units[parent]["kode_instansi"] != rec["kode_instansi"]:
                self.error(
                    "units", code, "kode_induk",
                    _("The parent unit %(code)s belongs to another agency.") % {"code": parent},
                )  # fmt: skip

    def _holders(self) -> Counter:
        return Counter(
            e["kode_jabatan"]
            for e in self.proposed["employees"].values()
            if e["kode_jabatan"] and e["aktif"] == "ya"
        )

    def _check_positions(self) -> None:
        positions, units = self.proposed["positions"], self.proposed["units"]
        holders = self._holders()
        for code in self.touched["positions"]:
            rec = positions[code]
            if rec["kode_unit"] and rec["kode_unit"] not in units:
                self.error(
                    "positions", code, "kode_unit", _("Unknown unit %(code)s.") % {"code": rec["kode_unit"]}
                )
            kind, level = rec["jenis"], rec["jenjang"]
            levels = LEVELS_BY_KIND.get(kind, set())
            if kind and levels and level not in levels:
                self.error(
                    "positions", code, "jenjang",
                    _("A position of kind %(kind)s needs a level: %(levels)s.")
                    % {"kind": kind, "levels": ", ".join(sorted(levels))},
                )  # fmt: skip
            elif kind and not levels and level:
                self.error(
                    "positions", code, "jenjang",
                    _("A position of kind %(kind)s has no level; leave it empty.") % {"kind": kind},
                )  # fmt: skip
            target = rec["kode_atasan"]
            if not target:
                continue
            if target not in positions:
                self.error(
                    "positions", code, "kode_atasan", _("Unknown position %(code)s.") % {"code": target}
                )
            elif target == code or self._walk_cycle(positions, code, "kode_atasan"):
                self.error(
                    "positions", code, "kode_atasan",
                    _("The reporting line forms a loop: a position cannot report to itself."),
                )  # fmt: skip
            elif holders[target] > 1:
                self.error(
                    "positions", code, "kode_atasan",
                    _(
                        "%(code)s has %(count)d holders; a position that others report to must "
                        "be held by one person."
                    )
                    % {"code": target, "count": holders[target]},
                )  # fmt: skip

    def _check_agencies(self) -> None:
        positions, units = self.proposed["positions"], self.proposed["units"]
        for code in self.touched["agencies"]:
            head = self.proposed["agencies"][code]["kode_jabatan_pimpinan"]
            if not head:
                continue
            position = positions.get(head)
            if position is None:
                self.error(
                    "agencies", code, "kode_jabatan_pimpinan",
                    _("Unknown position %(code)s.") % {"code": head},
                )  # fmt: skip
            elif units.get(position["kode_unit"], {}).get("kode_instansi") != code:
                self.error(
                    "agencies", code, "kode_jabatan_pimpinan",
                    _("Position %(code)s belongs to another agency.") % {"code": head},
                )  # fmt: skip

    def _check_employees(self) -> None:
        employees, positions = self.proposed["employees"], self.proposed["positions"]
        units = self.proposed["units"]
        holders = self._holders()
        reported_to = {p["kode_atasan"] for p in positions.values() if p["kode_atasan"]}
        for nip in self.touched["employees"]:
            rec = employees[nip]
            cleaned = self.cleaned["employees"][nip]
            if rec["status"] and rec["golongan"]:
                rank = normalize_rank(rec["status"].lower(), rec["golongan"])
                if rank:
                    rec["golongan"] = rank
                else:
                    example = "III/a" if rec["status"] == "PNS" else "IX"
                    self.error(
                        "employees", nip, "golongan",
                        _("'%(value)s' is not a rank of a %(status)s employee (e.g. %(example)s).")
                        % {"value": rec["golongan"], "status": rec["status"], "example": example},
                    )  # fmt: skip
            position_code = rec["kode_jabatan"]
            position = positions.get(position_code) if position_code else None
            if position_code and position is None:
                self.error(
                    "employees", nip, "kode_jabatan",
                    _("Unknown position %(code)s.") % {"code": position_code},
                )  # fmt: skip
            if position is not None:
                if "kode_unit" not in cleaned or not cleaned["kode_unit"]:
                    rec["kode_unit"] = position["kode_unit"]
                elif cleaned["kode_unit"] != position["kode_unit"]:
                    self.error(
                        "employees", nip, "kode_jabatan",
                        _("Position %(position)s is in unit %(unit)s, not in %(given)s.")
                        % {
                            "position": position_code,
                            "unit": position["kode_unit"],
                            "given": cleaned["kode_unit"],
                        },
                    )  # fmt: skip
            if not rec["kode_unit"]:
                self.error("employees", nip, "kode_unit", _("Give the unit or the position."))
            elif rec["kode_unit"] not in units:
                self.error(
                    "employees", nip, "kode_unit", _("Unknown unit %(code)s.") % {"code": rec["kode_unit"]}
                )
            before = self.state.employees.get(nip)
            moved_in = before is None or (
                (before["kode_jabatan"], before["aktif"]) != (position_code, rec["aktif"])
            )
            if (
                position is not None
                and moved_in
                and rec["aktif"] == "ya"
                and holders[position_code] > 1
                and (position["jenis"] in SINGLE_HOLDER_KINDS or position_code in reported_to)
            ):
                others = [
                    other
                    for other, e in employees.items()
                    if other != nip and e["kode_jabatan"] == position_code and e["aktif"] == "ya"
                ]
                self.error(
                    "employees", nip, "kode_jabatan",
                    _("Position %(code)s is held by one person only; it is already held by %(other)s.")
                    % {"code": position_code, "other": ", ".join(sorted(others)[:3])},
                )  # fmt: skip

    # 3. tell what would change
    def diff(self) -> dict[str, dict[str, str]]:
        kinds: dict[str, dict[str, str]] = {key: {} for key in ORDER}
        for key in ORDER:
            for code in self.touched[key]:
                before = self.state.table(key).get(code)
                after = self.proposed[key][code]
                if before is None:
                    kinds[key][code] = "created"
                elif before != after:
                    kinds[key][code] = "updated"
                else:
                    kinds[key][code] = "unchanged"
        return kinds

    # 4. write
    def write(self, kinds: dict[str, dict[str, str]]) -> None:
        total = sum(1 for k in kinds.values() for v in k.values() if v != "unchanged")
        self.progress("write", 0, total)
        ids = self.state.ids
        region = Region.objects.first()
        entries: list[audit.Entry] = []

        def changed_codes(key: str) -> list[str]:
            return [c for c, kind in kinds[key].items() if kind != "unchanged"]

        # Agencies, units and positions first without their links (a row may link to one
        # further down the file), then the links.
        agencies = []
        for code in changed_codes("agencies"):
            rec = self.proposed["agencies"][code]
            agencies.append(
                Agency(pk=ids["agencies"].get(code), region=region, code=code, name=rec["nama"], kind=rec["jenis"])
            )
        self._save(Agency, agencies, ["name", "kind"], ids["agencies"])

        units = []
        for code in changed_codes("units"):
            rec = self.proposed["units"][code]
            units.append(
                Unit(
                    pk=ids["units"].get(code),
                    code=code,
                    name=rec["nama"],
                    agency_id=ids["agencies"][rec["kode_instansi"]],
                )
            )
        self._save(Unit, units, ["name", "agency"], ids["units"])
        for unit in units:
            unit.parent_id = ids["units"].get(self.proposed["units"][unit.code]["kode_induk"])
        Unit.objects.bulk_update(units, ["parent"], batch_size=1000)

        positions = []
        for code in changed_codes("positions"):
            rec = self.proposed["positions"][code]
            positions.append(
                Position(
                    pk=ids["positions"].get(code),
                    code=code,
                    name=rec["nama"],
                    kind=rec["jenis"],
                    level=rec["jenjang"],
                    unit_id=ids["units"][rec["kode_unit"]],
                )
            )
        self._save(Position, positions, ["name", "kind", "level", "unit"], ids["positions"])
        for position in positions:
            target = self.proposed["positions"][position.code]["kode_atasan"]
            position.reports_to_id = ids["positions"].get(target)
        Position.objects.bulk_update(positions, ["reports_to"], batch_size=1000)

        for agency in agencies:
            head = self.proposed["agencies"][agency.code]["kode_jabatan_pimpinan"]
            agency.head_position_id = ids["positions"].get(head)
        Agency.objects.bulk_update(agencies, ["head_position"], batch_size=1000)

        employees = []
        for nip in changed_codes("employees"):
            rec = self.proposed["employees"][nip]
            employees.append(
                Employee(
                    pk=ids["employees"].get(nip),
                    nip=nip,
                    name=rec["nama"],
                    status=rec["status"].lower(),
                    rank=rec["golongan"],
                    unit_id=ids["units"][rec["kode_unit"]],
                    position_id=ids["positions"].get(rec["kode_jabatan"]),
                    email=rec["email"],
                    active=rec["aktif"] == "ya",
                )
            )
        self._save(
            Employee,
            employees,
            ["name", "status", "rank", "unit", "position", "email", "active"],
            ids["employees"],
        )
        self.progress("write", total, total)

        for key in ORDER:
            model = {"agencies": Agency, "units": Unit, "positions": Position, "employees": Employee}[key]
            for code in changed_codes(key):
                before = self.state.table(key).get(code)
                after = self.proposed[key][code]
                b, a = audit.changed(before, after)
                entries.append(
                    audit.Entry(
                        action="create" if before is None else "update",
                        object_type=model._meta.label_lower,
                        object_id=code,
                        object_repr=after.get("nama", code),
                        before=b,
                        after=a,
                        agency_code=self._agency_of(key, after) or "",
                    )
                )
        audit.record_many(entries)
        raters_recompute()

    @staticmethod
    def _save(model, objects: list, fields: list[str], ids: dict[str, int]) -> None:
        new = [o for o in objects if o.pk is None]
        old = [o for o in objects if o.pk is not None]
        model.objects.bulk_create(new, batch_size=1000)
        if new and new[0].pk is None:  # databases that do not return keys from bulk inserts
            key = "nip" if model is Employee else "code"
            found = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in new]}).values_list(key, "pk"))
            for o in new:
                o.pk = found[getattr(o, key)]
        model.objects.bulk_update(old, fields, batch_size=1000)
        for o in new:
            ids[getattr(o, "nip", None) or o.code] = o.pk


def apply_rows(
    rows: dict[str, list[Row]],
    *,
    allowed_agencies: set[str] | None,
    dry_run: bool = False,
    progress: Progress | None = None,
    note: str = "",
) -> Outcome:
    """Validate ``rows`` (by sheet key) and, when all are valid and not ``dry_run``, store them.

    ``allowed_agencies`` is the set of agency codes the caller may change (``None``: all).
    Returns counts of created, updated and unchanged rows per sheet, and the errors.
    """
    with transaction.atomic():
        if not dry_run:
            # Writers queue here, so that two imports cannot validate against the same state
            # and then both write.
            Region.objects.select_for_update().first()
        changes = Changeset(rows, allowed_agencies=allowed_agencies, progress=progress)
        if any(rows.get(key) for key in ("agencies",)) and Region.objects.first() is None:
            changes.errors.append(
                RowError("agencies", None, "", _("Set up the region first (kinerja region set)."))
            )
        changes.merge()
        changes.check()
        kinds = changes.diff()
        outcome = Outcome(
            counts={key: Counter(kinds[key].values()) for key in ORDER if changes.touched[key]},
            errors=sorted(
                changes.errors,
                key=lambda e: (ORDER.index(e.sheet) if e.sheet in ORDER else 9, e.row or 0, e.column),
            ),
            dry_run=dry_run,
        )
        if outcome.errors or dry_run:
            return outcome
        if outcome.changed:
            changes.write(kinds)
            if note:
                audit.record(
                    "import",
                    object_type="organizations.import",
                    object_repr=note[:200],
                    after=outcome.summary(),
                )
        outcome.applied = True
        return outcome


def apply_rows_or_raise(rows: dict[str, list[Row]], **kwargs) -> Outcome:
    outcome = apply_rows(rows, **kwargs)
    if outcome.errors:
        raise ChangesetError(outcome.errors)
    return outcome
