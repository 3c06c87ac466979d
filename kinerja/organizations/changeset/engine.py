"""The changeset engine: changing agencies, units, positions and employees from rows of values.

This is the one path for organisation data: an import file, the edit form of one employee and
the API all hand rows to :func:`apply_rows`. It validates every row against the state the
database would have afterwards, reports each problem with its sheet, row and column, and only
then writes everything in one transaction (or nothing, if anything is wrong or ``dry_run``).

Rows hold the file's canonical strings (see :mod:`.columns`). A column that is absent leaves
the stored value alone; a column that is present but empty clears it.

The work runs in phases, each over plain dictionaries (no query per row):

1. *merge*: clean every row and lay it over the stored state (``proposed``);
2. *resolve*: derive what follows from other values (an employee's unit from the position,
   the canonical spelling of a rank);
3. *check*: the rules that concern several rows (unknown codes, loops, one holder per
   structural position, a position's holders in its unit, an agency's head in the agency);
4. *permissions*: every row must stay inside the caller's agencies;
5. *diff* and, when everything is valid, *write* with bulk queries and one audit record per
   changed row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit

from ..chains import rater_chains_sync
from ..columns import ORDER, SHEETS
from ..models import (
    LEVELS_BY_KIND,
    SINGLE_HOLDER_KINDS,
    Agency,
    Employee,
    Position,
    Region,
    Unit,
)
from ..ranks import normalize_rank
from .cleaning import CLEANERS, DEFAULTS
from .records import (
    Change,
    ChangesetError,
    Outcome,
    Row,
    RowError,
    error_order,
    load_state,
)

BATCH = 1000
AUDIT_BATCH = 2000

Progress = Callable[[str, int, int], None]
MODELS = {"agencies": Agency, "units": Unit, "positions": Position, "employees": Employee}


def _loops_back(table: dict[str, dict[str, str]], start: str, link: str) -> bool:
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


def _some(codes: Iterable[str], limit: int = 3) -> str:
    codes = sorted(codes)
    shown = ", ".join(codes[:limit])
    return shown + (" …" if len(codes) > limit else "")


# --- The changeset ----------------------------------------------------------------------------


class Changeset:
    def __init__(
        self,
        rows: dict[str, list[Row]],
        *,
        allowed_agencies: Iterable[str] | None,
        progress: Progress | None = None,
    ):
        self.rows = {key: list(rows.get(key) or []) for key in ORDER}
        self.allowed = None if allowed_agencies is None else set(allowed_agencies)
        self.progress = progress or (lambda phase, done, total: None)
        self.errors: list[RowError] = []
        self.state = load_state()
        # proposed[key][code]: the full record after the change (records of untouched rows are
        # shared with the state: never change those in place).
        self.proposed = {key: dict(self.state.table(key)) for key in ORDER}
        # touched[key][code]: the row number of the row that names the record
        self.touched: dict[str, dict[str, int | None]] = {key: {} for key in ORDER}
        self.cleaned: dict[str, dict[str, dict[str, str]]] = {key: {} for key in ORDER}

    def error(self, sheet: str, code: str, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, self.touched[sheet].get(code), column, message))

    # 1. clean every row and lay it over the stored state
    def merge(self) -> None:
        total = sum(len(r) for r in self.rows.values())
        done = 0
        self.progress("validate", 0, total)
        for key in ORDER:
            sheet = SHEETS[key]
            for row in self.rows[key]:
                done += 1
                if done % 500 == 0:
                    self.progress("validate", done, total)
                values = CLEANERS[key](row, self.errors)
                if sheet.key_column not in row.values:
                    self.errors.append(
                        RowError(key, row.number, sheet.key_column, _("This column is missing."))
                    )
                code = values.get(sheet.key_column)
                if not code:
                    continue
                if code in self.touched[key]:
                    first = self.touched[key][code]
                    self.errors.append(
                        RowError(
                            key,
                            row.number,
                            sheet.key_column,
                            _("%(code)s appears twice (first in row %(row)s).")
                            % {"code": code, "row": first if first is not None else "-"},
                        )
                    )
                    continue
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
        self.progress("validate", total, total)

    # 2. derive what follows from other values
    def resolve(self) -> None:
        positions = self.proposed["positions"]
        for nip in self.touched["employees"]:
            rec = self.proposed["employees"][nip]
            before = self.state.employees.get(nip)
            as_stored = before is not None and (before["status"], before["golongan"]) == (
                rec["status"],
                rec["golongan"],
            )
            if rec["status"] and rec["golongan"]:
                rank = normalize_rank(rec["status"].lower(), rec["golongan"])
                if rank:
                    rec["golongan"] = rank
                elif not as_stored:  # a rank stored before these rules is left alone
                    example = "III/a" if rec["status"] == "PNS" else "IX"
                    self.error(
                        "employees", nip, "golongan",
                        _("'%(value)s' is not a rank of a %(status)s employee (e.g. %(example)s).")
                        % {"value": rec["golongan"], "status": rec["status"], "example": example},
                    )  # fmt: skip
            # The unit of a position holder follows from the position, unless the row names
            # the unit itself (then the two must agree; see _check_employees).
            position = positions.get(rec["kode_jabatan"]) if rec["kode_jabatan"] else None
            if position is not None and not self.cleaned["employees"][nip].get("kode_unit"):
                rec["kode_unit"] = position["kode_unit"]

    # 3. check what the rows mean together
    def check(self) -> None:
        self._check_units()
        self._check_positions()
        self._check_agencies()
        self._check_employees()

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
                    % {"units": _some(left_behind)},
                )  # fmt: skip
            parent = rec["kode_induk"]
            if not parent:
                continue
            if parent not in units:
                self.error(
                    "units", code, "kode_induk", _("Unknown unit %(code)s.") % {"code": parent}
                )
            elif parent == code or _loops_back(units, code, "kode_induk"):
                self.error(
                    "units", code, "kode_induk",
                    _("A unit cannot be inside itself (the parents form a loop)."),
                )  # fmt: skip
            elif units[parent]["kode_instansi"] != rec["kode_instansi"]:
                self.error(
                    "units", code, "kode_induk",
                    _("The parent unit %(code)s belongs to another agency.") % {"code": parent},
                )  # fmt: skip

    def _holders(self) -> dict[str, list[str]]:
        """Active holders of each position after the change: position code → NIPs."""
        holders: dict[str, list[str]] = defaultdict(list)
        for nip, e in self.proposed["employees"].items():
            if e["kode_jabatan"] and e["aktif"] == "ya":
                holders[e["kode_jabatan"]].append(nip)
        return holders

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
                # Holders must move with the position; those not in the file would not.
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
                        % {"nips": _some(stay), "unit": before["kode_unit"]},
                    )  # fmt: skip
            kind, level = rec["jenis"], rec["jenjang"]
            levels = LEVELS_BY_KIND.get(kind, set())
            # Rules of the row itself apply when it changes; links are checked always.
            kind_changed = before is None or (before["jenis"], before["jenjang"]) != (kind, level)
            if not kind_changed:
                pass
            elif kind and levels and level not in levels:
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
            if kind_changed and kind in SINGLE_HOLDER_KINDS and len(holders[code]) > 1:
                self.error(
                    "positions", code, "jenis",
                    _("A position of kind %(kind)s is held by one person, but %(nips)s hold it.")
                    % {"kind": kind, "nips": _some(holders[code])},
                )  # fmt: skip
            target = rec["kode_atasan"]
            if not target:
                continue
            if target not in positions:
                self.error(
                    "positions", code, "kode_atasan",
                    _("Unknown position %(code)s.") % {"code": target},
                )  # fmt: skip
            elif target == code or _loops_back(positions, code, "kode_atasan"):
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

    def _agency_of_unit(self, units: dict[str, dict[str, str]], unit_code: str) -> str | None:
        unit = units.get(unit_code)
        return unit["kode_instansi"] if unit else None

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
                continue
            if self._agency_of_unit(units, position["kode_unit"]) == code:
                continue
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

    def _check_employees(self) -> None:
        employees, positions = self.proposed["employees"], self.proposed["positions"]
        units = self.proposed["units"]
        holders = self._holders()
        reported_to = {p["kode_atasan"] for p in positions.values() if p["kode_atasan"]}
        for nip in self.touched["employees"]:
            rec = employees[nip]
            cleaned = self.cleaned["employees"][nip]
            position_code = rec["kode_jabatan"]
            position = positions.get(position_code) if position_code else None
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
                column = "kode_unit" if "kode_unit" in cleaned else "kode_jabatan"
                self.error("employees", nip, column, _("Give the unit or the position."))
            elif rec["kode_unit"] not in units:
                self.error(
                    "employees", nip, "kode_unit",
                    _("Unknown unit %(code)s.") % {"code": rec["kode_unit"]},
                )  # fmt: skip
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
                    % {"code": position_code, "other": _some(others)},
                )  # fmt: skip

    # 4. every row stays inside the caller's agencies
    def _agency(self, key: str, record: dict[str, str] | None, units: dict) -> str | None:
        if record is None:
            return None
        if key == "agencies":
            return record["kode"]
        if key == "units":
            return record["kode_instansi"] or None
        return self._agency_of_unit(units, record["kode_unit"])

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
                refusal = self._refusal(key, code)
                if refusal is None:
                    continue
                row = self.touched[key][code]
                if row is not None:
                    self.errors = [e for e in self.errors if (e.sheet, e.row) != (key, row)]
                self.error(key, code, *refusal)

    def _refusal(self, key: str, code: str) -> tuple[str, str] | None:
        """The (column, message) that refuses a row to a caller limited to some agencies."""
        before = self.state.table(key).get(code)
        after = self.proposed[key][code]
        if key == "agencies" and before != after:
            return "kode", _("Only a regional administrator may add or change agencies.")
        agencies = {
            self._agency(key, before, self.state.units),
            self._agency(key, after, self.proposed["units"]),
        } - {None}
        if not agencies <= self.allowed:
            return SHEETS[key].key_column, _(
                "This row concerns another agency; you may change data of %(agencies)s only."
            ) % {"agencies": ", ".join(sorted(self.allowed)) or "-"}
        target = after.get("kode_atasan") if key == "positions" else None
        if target and (before is None or before["kode_atasan"] != target):
            positions, units = self.proposed["positions"], self.proposed["units"]
            agency = self._agency("positions", positions.get(target), units)
            if agency is not None and agency not in self.allowed:
                return "kode_atasan", _(
                    "Only a regional administrator may let a position report to another agency."
                )
        return None

    # 5. tell what would change
    def diff(self) -> dict[str, dict[str, str]]:
        kinds: dict[str, dict[str, str]] = {key: {} for key in ORDER}
        self.changes: list[Change] = []
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

    # 6. write
    def write(self, kinds: dict[str, dict[str, str]]) -> None:
        changed = {
            key: [c for c, kind in kinds[key].items() if kind != "unchanged"] for key in ORDER
        }
        total = sum(len(codes) for codes in changed.values())
        done = 0
        self.progress("write", 0, total)
        ids = self.state.ids
        region = Region.objects.first()

        # Agencies, units and positions first without their links (a row may link to one
        # further down the file), then the links.
        agencies = []
        for code in changed["agencies"]:
            rec = self.proposed["agencies"][code]
            agencies.append(
                Agency(
                    pk=ids["agencies"].get(code),
                    region=region,
                    code=code,
                    name=rec["nama"],
                    kind=rec["jenis"],
                )
            )
        self._save(Agency, agencies, ["name", "kind"], ids["agencies"])
        done += len(agencies)
        self.progress("write", done, total)

        units = []
        for code in changed["units"]:
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
        Unit.objects.bulk_update(units, ["parent"], batch_size=BATCH)
        done += len(units)
        self.progress("write", done, total)

        positions = []
        for code in changed["positions"]:
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
        Position.objects.bulk_update(positions, ["reports_to"], batch_size=BATCH)
        done += len(positions)
        self.progress("write", done, total)

        for agency in agencies:
            head = self.proposed["agencies"][agency.code]["kode_jabatan_pimpinan"]
            agency.head_position_id = ids["positions"].get(head)
        Agency.objects.bulk_update(agencies, ["head_position"], batch_size=BATCH)

        now = timezone.now()
        employees = []
        for nip in changed["employees"]:
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
                    updated_at=now,  # bulk_update does not apply auto_now
                )
            )
            if len(employees) == BATCH:
                done += self._save_employees(employees)
                self.progress("write", done, total)
                employees = []
        done += self._save_employees(employees)
        self.progress("write", done, total)

        entries: list[audit.Entry] = []
        for key in ORDER:
            model = MODELS[key]
            for code in changed[key]:
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
                        agency_code=self._agency(key, after, self.proposed["units"]) or "",
                    )
                )
        # In parts, so that the progress moves; one chain and one transaction all the same.
        self.progress("audit", 0, len(entries))
        for start in range(0, len(entries), AUDIT_BATCH):
            audit.record_many(entries[start : start + AUDIT_BATCH])
            self.progress("audit", min(start + AUDIT_BATCH, len(entries)), len(entries))
        if changed["positions"] or changed["employees"]:
            self.progress("raters", 0, 0)
            rater_chains_sync()

    def _save_employees(self, employees: list[Employee]) -> int:
        fields = ["name", "status", "rank", "unit", "position", "email", "active", "updated_at"]
        self._save(Employee, employees, fields, self.state.ids["employees"])
        return len(employees)

    @staticmethod
    def _save(model, objects: list, fields: list[str], ids: dict[str, int]) -> None:
        new = [o for o in objects if o.pk is None]
        old = [o for o in objects if o.pk is not None]
        model.objects.bulk_create(new, batch_size=BATCH)
        key = "nip" if model is Employee else "code"
        if new and new[0].pk is None:  # databases that do not return keys from bulk inserts
            found = dict(
                model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in new]}).values_list(
                    key, "pk"
                )
            )
            for o in new:
                o.pk = found[getattr(o, key)]
        if old:
            model.objects.bulk_update(old, fields, batch_size=BATCH)
        for o in new:
            ids[getattr(o, key)] = o.pk


def apply_rows(
    rows: dict[str, list[Row]],
    *,
    allowed_agencies: Iterable[str] | None,
    dry_run: bool = False,
    progress: Progress | None = None,
    note: str = "",
) -> Outcome:
    """Validate ``rows`` (by sheet key) and, when all are valid and not ``dry_run``, store them.

    ``allowed_agencies`` is the set of agency codes the caller may change (``None``: all).
    Returns counts of created, updated and unchanged rows per sheet given, what would change,
    and the errors (sorted by sheet, row, column). Writes one audit record per changed row
    through the current audit door, plus one record of the whole change when ``note`` is set.

    ``progress(phase, done, total)`` is called now and then with the phases "validate",
    "write", "audit" and "raters" (the last without a total).
    """
    with transaction.atomic():
        if not dry_run:
            # Writers queue here, so that two imports cannot validate against the same state
            # and then both write.
            Region.objects.select_for_update().first()
        changes = Changeset(rows, allowed_agencies=allowed_agencies, progress=progress)
        changes.merge()
        changes.resolve()
        changes.check()
        new_agencies = [c for c in changes.touched["agencies"] if c not in changes.state.agencies]
        if new_agencies and not Region.objects.exists():
            for code in new_agencies:
                changes.error(
                    "agencies", code, "kode", _("Set up the region first (kinerja region set).")
                )
        changes.check_permissions()
        kinds = changes.diff()
        counts = {}
        for key in ORDER:
            if rows.get(key):
                counts[key] = Counter({"created": 0, "updated": 0, "unchanged": 0})
                counts[key].update(kinds[key].values())
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


def apply_rows_or_raise(rows: dict[str, list[Row]], **kwargs) -> Outcome:
    outcome = apply_rows(rows, **kwargs)
    if outcome.errors:
        raise ChangesetError(outcome.errors)
    return outcome
