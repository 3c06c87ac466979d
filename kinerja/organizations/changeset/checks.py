"""Step 3 of a changeset: the rules that concern several rows — unknown codes, loops, one
holder per structural position, a position's holders in its unit, an agency's head in the
agency. Each rule reads the proposed state (``proposed``) and reports on the row that names the
record (see :class:`.engine.Changeset`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..models import LEVELS_BY_KIND, SINGLE_HOLDER_KINDS
from .records import State

Record = dict[str, str]


def loops_back(table: dict[str, Record], start: str, link: str) -> bool:
    """Whether following ``link`` from ``start`` comes back to ``start``.

    A loop that does not pass through ``start`` is reported from a row on that loop."""
    seen = set()
    current = table[start].get(link)
    while current and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = table.get(current, {}).get(link)
    return False


def some(codes: Iterable[str], limit: int = 3) -> str:
    codes = sorted(codes)
    shown = ", ".join(codes[:limit])
    return shown + (" …" if len(codes) > limit else "")


def agency_of_unit(units: dict[str, Record], unit_code: str) -> str | None:
    unit = units.get(unit_code)
    return unit["kode_instansi"] if unit else None


class Checks:
    """The rules across rows; mixed into :class:`.engine.Changeset`."""

    state: State
    proposed: dict[str, dict[str, Record]]
    touched: dict[str, dict[str, int | None]]
    cleaned: dict[str, dict[str, Record]]

    def error(self, sheet: str, code: str, column: str, message: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def check(self) -> None:
        self._check_units()
        self._check_positions()
        self._check_agencies()
        self._check_employees()

    def _holders(self) -> dict[str, list[str]]:
        """Active holders of each position after the change: position code → NIPs."""
        holders: dict[str, list[str]] = defaultdict(list)
        for nip, e in self.proposed["employees"].items():
            if e["kode_jabatan"] and e["aktif"] == "ya":
                holders[e["kode_jabatan"]].append(nip)
        return holders

    # --- units

    def _check_units(self) -> None:
        units, agencies = self.proposed["units"], self.proposed["agencies"]
        children: dict[str, list[str]] = defaultdict(list)
        for code, rec in units.items():
            if rec["kode_induk"]:
                children[rec["kode_induk"]].append(code)
        for code in self.touched["units"]:
            rec = units[code]
            if rec["kode_instansi"] and rec["kode_instansi"] not in agencies:
                self.error(
                    "units", code, "kode_instansi",
                    _("Unknown agency %(code)s.") % {"code": rec["kode_instansi"]},
                )  # fmt: skip
            left_behind = [
                child
                for child in children[code]
                if child not in self.touched["units"]
                and units[child]["kode_instansi"] != rec["kode_instansi"]
            ]
            if left_behind:
                self.error(
                    "units", code, "kode_instansi",
                    _("The sub-units %(units)s stay in another agency; move them in the same file.")
                    % {"units": some(left_behind)},
                )  # fmt: skip
            if rec["kode_induk"]:
                self._check_parent_unit(code, rec, units)

    def _check_parent_unit(self, code: str, rec: Record, units: dict[str, Record]) -> None:
        parent = rec["kode_induk"]
        if parent not in units:
            self.error("units", code, "kode_induk", _("Unknown unit %(code)s.") % {"code": parent})
        elif parent == code or loops_back(units, code, "kode_induk"):
            self.error(
                "units", code, "kode_induk",
                _("A unit cannot be inside itself (the parents form a loop)."),
            )  # fmt: skip
        elif units[parent]["kode_instansi"] != rec["kode_instansi"]:
            self.error(
                "units", code, "kode_induk",
                _("The parent unit %(code)s belongs to another agency.") % {"code": parent},
            )  # fmt: skip

    # --- positions

    def _check_positions(self) -> None:
        positions, units = self.proposed["positions"], self.proposed["units"]
        holders = self._holders()
        for code in self.touched["positions"]:
            rec = positions[code]
            if rec["kode_unit"] and rec["kode_unit"] not in units:
                self.error(
                    "positions", code, "kode_unit",
                    _("Unknown unit %(code)s.") % {"code": rec["kode_unit"]},
                )  # fmt: skip
            before = self.state.positions.get(code)
            if before is not None and before["kode_unit"] != rec["kode_unit"]:
                self._check_holders_move(code, rec, before)
            self._check_position_kind(code, rec, before, holders)
            if rec["kode_atasan"]:
                self._check_superior(code, rec, before, holders)

    def _check_holders_move(self, code: str, rec: Record, before: Record) -> None:
        """Holders must move with the position; those not in the file would not."""
        stay = [
            nip
            for nip, e in self.proposed["employees"].items()
            if e["kode_jabatan"] == code
            and nip not in self.touched["employees"]
            and e["kode_unit"] != rec["kode_unit"]
        ]
        if stay:
            self.error(
                "positions", code, "kode_unit",
                _(
                    "The holders of this position (%(nips)s) stay in unit %(unit)s; "
                    "put them in the file with the new unit."
                )
                % {"nips": some(stay), "unit": before["kode_unit"]},
            )  # fmt: skip

    def _check_position_kind(
        self, code: str, rec: Record, before: Record | None, holders: dict[str, list[str]]
    ) -> None:
        """Rules of the row itself apply when it changes; links are checked always."""
        kind, level = rec["jenis"], rec["jenjang"]
        if before is not None and (before["jenis"], before["jenjang"]) == (kind, level):
            return
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
        if kind in SINGLE_HOLDER_KINDS and len(holders[code]) > 1:
            self.error(
                "positions", code, "jenis",
                _("A position of kind %(kind)s is held by one person, but %(nips)s hold it.")
                % {"kind": kind, "nips": some(holders[code])},
            )  # fmt: skip

    def _check_superior(
        self, code: str, rec: Record, before: Record | None, holders: dict[str, list[str]]
    ) -> None:
        positions = self.proposed["positions"]
        target = rec["kode_atasan"]
        if target not in positions:
            self.error(
                "positions", code, "kode_atasan",
                _("Unknown position %(code)s.") % {"code": target},
            )  # fmt: skip
        elif target == code or loops_back(positions, code, "kode_atasan"):
            self.error(
                "positions", code, "kode_atasan",
                _("The reporting line forms a loop: a position cannot report to itself."),
            )  # fmt: skip
        elif len(holders[target]) > 1 and (before is None or before["kode_atasan"] != target):
            # (holders who join the superior's position are refused on their own rows)
            self.error(
                "positions", code, "kode_atasan",
                _(
                    "%(code)s has %(count)d holders; a position that others report to must "
                    "be held by one person."
                )
                % {"code": target, "count": len(holders[target])},
            )  # fmt: skip

    # --- agencies

    def _check_agencies(self) -> None:
        positions, units = self.proposed["positions"], self.proposed["units"]
        for code, rec in self.proposed["agencies"].items():
            head = rec["kode_jabatan_pimpinan"]
            touched = code in self.touched["agencies"]
            if not head or (not touched and head not in positions):
                continue
            position = positions.get(head)
            if position is None:
                self.error(
                    "agencies", code, "kode_jabatan_pimpinan",
                    _("Unknown position %(code)s.") % {"code": head},
                )  # fmt: skip
            elif agency_of_unit(units, position["kode_unit"]) != code:
                self._refuse_head_elsewhere(code, head, position, touched)

    def _refuse_head_elsewhere(self, code: str, head: str, position: Record, touched: bool) -> None:
        """The head position of agency ``code`` lies in another agency: tell the row that
        made it so."""
        if touched:
            self.error(
                "agencies", code, "kode_jabatan_pimpinan",
                _("Position %(code)s belongs to another agency.") % {"code": head},
            )  # fmt: skip
        elif head in self.touched["positions"]:
            self.error(
                "positions", head, "kode_unit",
                _("This position leads agency %(agency)s; it cannot move to another agency.")
                % {"agency": code},
            )  # fmt: skip
        elif position["kode_unit"] in self.touched["units"]:
            self.error(
                "units", position["kode_unit"], "kode_instansi",
                _("Position %(position)s in this unit leads agency %(agency)s; the unit "
                  "cannot move to another agency.")
                % {"position": head, "agency": code},
            )  # fmt: skip

    # --- employees

    def _check_employees(self) -> None:
        positions = self.proposed["positions"]
        holders = self._holders()
        reported_to = {p["kode_atasan"] for p in positions.values() if p["kode_atasan"]}
        for nip in self.touched["employees"]:
            rec = self.proposed["employees"][nip]
            position_code = rec["kode_jabatan"]
            position = positions.get(position_code) if position_code else None
            self._check_employee_place(nip, rec, position)
            before = self.state.employees.get(nip)
            moved_in = before is None or (
                (before["kode_jabatan"], before["aktif"]) != (position_code, rec["aktif"])
            )
            if (
                position is not None
                and moved_in
                and rec["aktif"] == "ya"
                and len(holders[position_code]) > 1
                and (position["jenis"] in SINGLE_HOLDER_KINDS or position_code in reported_to)
            ):
                others = [other for other in holders[position_code] if other != nip]
                self.error(
                    "employees", nip, "kode_jabatan",
                    _("Position %(code)s is held by one person only; %(other)s holds it already.")
                    % {"code": position_code, "other": some(others)},
                )  # fmt: skip

    def _check_employee_place(self, nip: str, rec: Record, position: Record | None) -> None:
        """The position exists, lies in the employee's unit, and the unit exists."""
        position_code = rec["kode_jabatan"]
        if position_code and position is None:
            self.error(
                "employees", nip, "kode_jabatan",
                _("Unknown position %(code)s.") % {"code": position_code},
            )  # fmt: skip
        if position is not None and rec["kode_unit"] != position["kode_unit"]:
            self.error(
                "employees", nip, "kode_jabatan",
                _("Position %(position)s is in unit %(unit)s, not in %(given)s.")
                % {
                    "position": position_code,
                    "unit": position["kode_unit"],
                    "given": rec["kode_unit"],
                },
            )  # fmt: skip
        if not rec["kode_unit"]:
            cleaned = self.cleaned["employees"][nip]
            column = "kode_unit" if "kode_unit" in cleaned else "kode_jabatan"
            self.error("employees", nip, column, _("Give the unit or the position."))
        elif rec["kode_unit"] not in self.proposed["units"]:
            self.error(
                "employees", nip, "kode_unit",
                _("Unknown unit %(code)s.") % {"code": rec["kode_unit"]},
            )  # fmt: skip
