"""Step 4 of a changeset: every row stays inside the agencies its author may change.

The agencies come from the author (``by``) through
:func:`~kinerja.organizations.selectors.allowed_agency_codes`: a regional administrator (and
:data:`~kinerja.core.actors.SYSTEM`) may change every agency, a Pengelola Kinerja the agencies
they manage, anyone else none."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.core.tabular.errors import RowError

from ..columns import ORDER, SHEETS
from .checks import Record, agency_of_unit
from .records import State


def agency_of(key: str, record: Record | None, units: dict[str, Record]) -> str | None:
    """The agency code a record of dataset ``key`` belongs to (through ``units``)."""
    if record is None:
        return None
    if key == "agencies":
        return record["kode"]
    if key == "units":
        return record["kode_instansi"] or None
    return agency_of_unit(units, record["kode_unit"])


class Rights:
    """The rights step; mixed into :class:`.engine.Changeset`."""

    allowed: set[str] | None
    errors: list[RowError]
    state: State
    proposed: dict[str, dict[str, Record]]
    touched: dict[str, dict[str, int | None]]

    def error(self, sheet: str, code: str, column: str, message: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def check_permissions(self) -> None:
        """A caller limited to some agencies may touch rows of those agencies only (before and
        after the change), may not add or change agencies themselves, and may not make a
        position report to another agency (that would give someone there a say over their
        staff's ratings).

        A refused row keeps only its refusal: its other errors could tell about data of an
        agency the caller may not see."""
        if self.allowed is None:
            return
        for key in ORDER:
            for code in self.touched[key]:
                refusal = self._refusal(key, code, self.allowed)
                if refusal is None:
                    continue
                row = self.touched[key][code]
                if row is not None:
                    self.errors = [e for e in self.errors if (e.sheet, e.row) != (key, row)]
                self.error(key, code, *refusal)

    def _refusal(self, key: str, code: str, allowed: set[str]) -> tuple[str, str] | None:
        """The (column, message) that refuses a row to a caller limited to some agencies."""
        before = self.state.table(key).get(code)
        after = self.proposed[key][code]
        if key == "agencies" and before != after:
            return "kode", _("Only a regional administrator may add or change agencies.")
        agencies = {
            agency_of(key, before, self.state.units),
            agency_of(key, after, self.proposed["units"]),
        } - {None}
        if not agencies <= allowed:
            return SHEETS[key].key_column, _(
                "This row concerns another agency; you may change data of %(agencies)s only."
            ) % {"agencies": ", ".join(sorted(allowed)) or "-"}
        target = after.get("kode_atasan") if key == "positions" else None
        if target and (before is None or before["kode_atasan"] != target):
            positions, units = self.proposed["positions"], self.proposed["units"]
            agency = agency_of("positions", positions.get(target), units)
            if agency is not None and agency not in allowed:
                return "kode_atasan", _(
                    "Only a regional administrator may let a position report to another agency."
                )
        return None
