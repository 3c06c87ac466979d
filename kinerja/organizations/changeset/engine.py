"""The changeset engine: the operation :func:`apply_rows` and the steps it runs.

The steps live beside it: cleaning single values (:mod:`.cleaning`), the rules across rows
(:mod:`.checks`), the author's rights (:mod:`.rights`) and writing (:mod:`.store`); see the
package's docstring for the order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.tabular.errors import RowError, fresh_counts

from ..columns import ORDER, SHEETS
from ..models import Region
from ..ranks import normalize_rank
from ..selectors import allowed_agency_codes
from .checks import Checks
from .cleaning import CLEANERS, DEFAULTS
from .records import Change, ChangesetError, Outcome, Row, error_order, load_state, row_error
from .rights import Rights
from .store import Store

Progress = Callable[[str, int, int], None]


class Changeset(Checks, Rights, Store):
    def __init__(
        self,
        rows: dict[str, list[Row]],
        *,
        allowed_agencies: set[str] | None,
        progress: Progress | None = None,
    ):
        self.rows = {key: list(rows.get(key) or []) for key in ORDER}
        self.allowed = allowed_agencies
        self.progress = progress or (lambda phase, done, total: None)
        self.errors: list[RowError] = []
        self.state = load_state()
        # proposed[key][code]: the full record after the change (records of untouched rows are
        # shared with the state: never change those in place).
        self.proposed = {key: dict(self.state.table(key)) for key in ORDER}
        # touched[key][code]: the row number of the row that names the record
        self.touched: dict[str, dict[str, int | None]] = {key: {} for key in ORDER}
        self.cleaned: dict[str, dict[str, dict[str, str]]] = {key: {} for key in ORDER}
        self.changes: list[Change] = []

    def error(self, sheet: str, code: str, column: str, message: str) -> None:
        self.errors.append(row_error(sheet, self.touched[sheet].get(code), column, message))

    # 1. clean every row and lay it over the stored state
    def merge(self) -> None:
        total = sum(len(r) for r in self.rows.values())
        done = 0
        self.progress("validate", 0, total)
        for key in ORDER:
            for row in self.rows[key]:
                done += 1
                if done % 500 == 0:
                    self.progress("validate", done, total)
                self._merge_row(key, row)
        self.progress("validate", total, total)

    def _merge_row(self, key: str, row: Row) -> None:
        sheet = SHEETS[key]
        values = CLEANERS[key](row, self.errors)
        if sheet.key_column not in row.values:
            self.errors.append(
                sheet.error(row.number, sheet.key_column, _("This column is missing."))
            )
        code = values.get(sheet.key_column)
        if not code:
            return
        if code in self.touched[key]:
            first = self.touched[key][code]
            message = _("%(code)s appears twice (first in row %(row)s).") % {
                "code": code,
                "row": first if first is not None else "-",
            }
            self.errors.append(sheet.error(row.number, sheet.key_column, message))
            return
        self.touched[key][code] = row.number
        self.cleaned[key][code] = values
        current = self.state.table(key).get(code)
        if current is None:
            for column in sheet.required:
                if column not in row.values:
                    self.error(key, code, column, _("A new row needs this column."))
            base = dict.fromkeys(sheet.column_names, "") | DEFAULTS[key]
        else:
            base = dict(current)
        self.proposed[key][code] = base | values

    # 2. derive what follows from other values
    def resolve(self) -> None:
        positions = self.proposed["positions"]
        for nip in self.touched["employees"]:
            rec = self.proposed["employees"][nip]
            self._resolve_rank(nip, rec)
            # The unit of a position holder follows from the position, unless the row names
            # the unit itself (then the two must agree; see Checks._check_employee_place).
            position = positions.get(rec["kode_jabatan"]) if rec["kode_jabatan"] else None
            if position is not None and not self.cleaned["employees"][nip].get("kode_unit"):
                rec["kode_unit"] = position["kode_unit"]

    def _resolve_rank(self, nip: str, rec: dict[str, str]) -> None:
        """The canonical spelling of the rank, or an error; a rank stored before these rules
        is left alone."""
        if not (rec["status"] and rec["golongan"]):
            return
        rank = normalize_rank(rec["status"].lower(), rec["golongan"])
        before = self.state.employees.get(nip)
        as_stored = before is not None and (before["status"], before["golongan"]) == (
            rec["status"],
            rec["golongan"],
        )
        if rank:
            rec["golongan"] = rank
        elif not as_stored:
            example = "III/a" if rec["status"] == "PNS" else "IX"
            self.error(
                "employees", nip, "golongan",
                _("'%(value)s' is not a rank of a %(status)s employee (e.g. %(example)s).")
                % {"value": rec["golongan"], "status": rec["status"], "example": example},
            )  # fmt: skip

    # 3. check what the rows mean together: Checks.check
    # 4. every row stays inside the caller's agencies: Rights.check_permissions

    def check_region(self) -> None:
        """New agencies need the region they belong to."""
        new_agencies = [c for c in self.touched["agencies"] if c not in self.state.agencies]
        if new_agencies and not Region.objects.exists():
            for code in new_agencies:
                self.error(
                    "agencies", code, "kode", _("Set up the region first (kinerja region set).")
                )

    # 5. tell what would change
    def diff(self) -> dict[str, dict[str, str]]:
        kinds: dict[str, dict[str, str]] = {key: {} for key in ORDER}
        for key in ORDER:
            for code in self.touched[key]:
                before = self.state.table(key).get(code)
                after = self.proposed[key][code]
                if before is None:
                    kind, columns = "created", tuple(c for c in after if after[c])
                elif before != after:
                    kind = "updated"
                    columns = tuple(c for c in after if before.get(c) != after[c])
                else:
                    kinds[key][code] = "unchanged"
                    continue
                kinds[key][code] = kind
                self.changes.append(Change(key, code, kind, columns))
        return kinds

    # 6. write: Store.write


@transaction.atomic
def apply_rows(
    *,
    rows: dict[str, list[Row]],
    by: Actor,
    dry_run: bool = False,
    progress: Progress | None = None,
    note: str = "",
) -> Outcome:
    """Validate ``rows`` (by sheet key) and, when all are valid and not ``dry_run``, store them.

    ``by`` may change the agencies :func:`~..selectors.allowed_agency_codes` gives (a regional
    administrator and :data:`~kinerja.core.actors.SYSTEM` all of them); rows of other agencies
    are refused as row errors. Returns counts of created, updated and unchanged rows per sheet
    given, what would change, and the errors (sorted by sheet, row, column). Writes one audit
    record per changed row through the current audit door, plus one record of the whole
    change when ``note`` is set.

    ``progress(phase, done, total)`` is called now and then with the phases "validate",
    "write", "audit" and "raters" (the last without a total).
    """
    if not dry_run:
        # Writers queue here, so that two imports cannot validate against the same state
        # and then both write.
        Region.objects.select_for_update().first()
    changes = Changeset(rows, allowed_agencies=allowed_agency_codes(by), progress=progress)
    changes.merge()
    changes.resolve()
    changes.check()
    changes.check_region()
    changes.check_permissions()
    kinds = changes.diff()
    counts = fresh_counts(key for key in ORDER if rows.get(key))
    for key, counter in counts.items():
        counter.update(kinds[key].values())
    outcome = Outcome(
        counts=counts,
        errors=sorted(changes.errors, key=error_order),
        dry_run=dry_run,
        changes=changes.changes,
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


def apply_rows_or_raise(**kwargs: Any) -> Outcome:
    """:func:`apply_rows`, raising :class:`ChangesetError` with the row errors."""
    outcome = apply_rows(**kwargs)
    if outcome.errors:
        raise ChangesetError(outcome.errors)
    return outcome
