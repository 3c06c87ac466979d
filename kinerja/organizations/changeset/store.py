"""Step 6 of a changeset: writing what changed with bulk queries, one audit record per changed
row, and the rater chains afterwards. Runs inside :func:`.engine.apply_rows`' transaction,
only when every row is valid."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import models
from django.utils import timezone

from kinerja.core import audit

from ..chains import rater_chains_sync
from ..columns import ORDER
from ..models import Agency, Employee, Position, Region, Unit
from .checks import Record
from .records import State
from .rights import agency_of

BATCH = 1000
AUDIT_BATCH = 2000
MODELS = {"agencies": Agency, "units": Unit, "positions": Position, "employees": Employee}
EMPLOYEE_FIELDS = ["name", "status", "rank", "unit", "position", "email", "active", "updated_at"]


def save(
    model: type[models.Model],
    objects: Sequence[models.Model],
    fields: list[str],
    ids: dict[str, int],
) -> None:
    """Create the new ``objects`` and update the others in bulk; learn the new ids."""
    new = [o for o in objects if o.pk is None]
    old = [o for o in objects if o.pk is not None]
    model._default_manager.bulk_create(new, batch_size=BATCH)
    key = "nip" if model is Employee else "code"
    if new and new[0].pk is None:  # databases that do not return keys from bulk inserts
        found = dict(
            model._default_manager.filter(
                **{f"{key}__in": [getattr(o, key) for o in new]}
            ).values_list(key, "pk")
        )
        for o in new:
            o.pk = found[getattr(o, key)]
    if old:
        model._default_manager.bulk_update(old, fields, batch_size=BATCH)
    for o in new:
        ids[getattr(o, key)] = o.pk


class Store:
    """The write step; mixed into :class:`.engine.Changeset`."""

    state: State
    proposed: dict[str, dict[str, Record]]
    progress: Callable[[str, int, int], None]

    def write(self, kinds: dict[str, dict[str, str]]) -> None:
        changed = {
            key: [c for c, kind in kinds[key].items() if kind != "unchanged"] for key in ORDER
        }
        self.written, self.total = 0, sum(len(codes) for codes in changed.values())
        self.progress("write", 0, self.total)
        # Agencies, units and positions first without their links (a row may link to one
        # further down the file), then the links.
        agencies = self._write_agencies(changed["agencies"])
        self._write_units(changed["units"])
        self._write_positions(changed["positions"])
        ids = self.state.ids
        for agency in agencies:
            head = self.proposed["agencies"][agency.code]["kode_jabatan_pimpinan"]
            agency.head_position_id = ids["positions"].get(head)
        Agency.objects.bulk_update(agencies, ["head_position"], batch_size=BATCH)
        self._write_employees(changed["employees"])
        self._write_audit(changed)
        if changed["positions"] or changed["employees"]:
            self.progress("raters", 0, 0)
            rater_chains_sync()

    def _advance(self, count: int) -> None:
        self.written += count
        self.progress("write", self.written, self.total)

    def _write_agencies(self, codes: list[str]) -> list[Agency]:
        region = Region.objects.first()
        ids = self.state.ids["agencies"]
        agencies = []
        for code in codes:
            rec = self.proposed["agencies"][code]
            agencies.append(
                Agency(
                    pk=ids.get(code), region=region, code=code, name=rec["nama"], kind=rec["jenis"]
                )
            )
        save(Agency, agencies, ["name", "kind"], ids)
        self._advance(len(agencies))
        return agencies

    def _write_units(self, codes: list[str]) -> None:
        ids = self.state.ids

        def unit(code: str, rec: Record) -> Unit:
            agency_id = ids["agencies"][rec["kode_instansi"]]
            return Unit(pk=ids["units"].get(code), code=code, name=rec["nama"], agency_id=agency_id)

        self._write_linked("units", codes, unit, ["name", "agency"], link=("parent", "kode_induk"))

    def _write_positions(self, codes: list[str]) -> None:
        ids = self.state.ids

        def position(code: str, rec: Record) -> Position:
            return Position(
                pk=ids["positions"].get(code),
                code=code,
                name=rec["nama"],
                kind=rec["jenis"],
                level=rec["jenjang"],
                unit_id=ids["units"][rec["kode_unit"]],
            )

        fields = ["name", "kind", "level", "unit"]
        self._write_linked("positions", codes, position, fields, link=("reports_to", "kode_atasan"))

    def _write_linked(
        self,
        key: str,
        codes: list[str],
        build: Callable[[str, Record], Unit | Position],
        fields: list[str],
        *,
        link: tuple[str, str],
    ) -> None:
        """Units or positions: first without their link to another of their kind (it may be
        further down the file), then the links. ``link`` names the field and its column."""
        model, ids = MODELS[key], self.state.ids[key]
        objects = [build(code, self.proposed[key][code]) for code in codes]
        save(model, objects, fields, ids)
        field, column = link
        for obj in objects:
            setattr(obj, f"{field}_id", ids.get(self.proposed[key][obj.code][column]))
        model._default_manager.bulk_update(objects, [field], batch_size=BATCH)
        self._advance(len(objects))

    def _write_employees(self, nips: list[str]) -> None:
        ids = self.state.ids
        now = timezone.now()
        employees = []
        for nip in nips:
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
                save(Employee, employees, EMPLOYEE_FIELDS, ids["employees"])
                self._advance(len(employees))
                employees = []
        save(Employee, employees, EMPLOYEE_FIELDS, ids["employees"])
        self._advance(len(employees))

    def _write_audit(self, changed: dict[str, list[str]]) -> None:
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
                        agency_code=agency_of(key, after, self.proposed["units"]) or "",
                    )
                )
        # In parts, so that the progress moves; one chain and one transaction all the same.
        self.progress("audit", 0, len(entries))
        for start in range(0, len(entries), AUDIT_BATCH):
            audit.record_many(entries[start : start + AUDIT_BATCH])
            self.progress("audit", min(start + AUDIT_BATCH, len(entries)), len(entries))
