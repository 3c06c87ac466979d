"""Operations that change the organisation. Each runs in one transaction, validates, and
writes its own audit record. Rows of units, positions and employees change through
:mod:`.changeset` (one path for forms and imports); the operations here cover the rest."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit

from .models import (
    ActingKind,
    ActingOfficial,
    Employee,
    Position,
    RaterChain,
    RaterOverride,
    Region,
)
from .raters import OrgGraph, resolve

REGION_FIELDS = ["code", "name", "head_title", "head_name"]


def org_graph() -> OrgGraph:
    """Load what the rater rule needs in four queries."""
    reports_to = dict(Position.objects.values_list("pk", "reports_to_id"))
    position_of: dict[int, int | None] = {}
    holders: dict[int, list[int]] = {}
    for emp_id, pos_id in Employee.objects.filter(active=True).values_list("pk", "position_id"):
        position_of[emp_id] = pos_id
        if pos_id is not None:
            holders.setdefault(pos_id, []).append(emp_id)
    acting = dict(
        ActingOfficial.objects.filter(ended_at=None, employee__active=True).values_list(
            "position_id", "employee_id"
        )
    )
    overrides = dict(
        RaterOverride.objects.filter(ended_at=None, rater__active=True).values_list(
            "employee_id", "rater_id"
        )
    )
    return OrgGraph(reports_to, holders, acting, position_of, overrides)


@transaction.atomic
def raters_recompute() -> int:
    """Bring the stored rater chains in line with the tree; returns how many rows changed."""
    links = resolve(org_graph())
    stored = {
        row[0]: row[1:]
        for row in RaterChain.objects.values_list(
            "employee_id", "rater_id", "rater_basis", "rater_superior_id", "superior_basis"
        )
    }
    create, update = [], []
    for emp_id, link in links.items():
        values = (link.rater_id, link.rater_basis, link.superior_id, link.superior_basis)
        if emp_id not in stored:
            create.append(RaterChain(emp_id, *values))
        elif stored[emp_id] != values:
            update.append(RaterChain(emp_id, *values))
    gone = [emp_id for emp_id in stored if emp_id not in links]
    RaterChain.objects.bulk_create(create, batch_size=1000)
    RaterChain.objects.bulk_update(
        update, ["rater", "rater_basis", "rater_superior", "superior_basis"], batch_size=1000
    )
    RaterChain.objects.filter(employee_id__in=gone).delete()
    return len(create) + len(update) + len(gone)


@transaction.atomic
def region_set(*, code: str, name: str, head_title: str, head_name: str = "") -> Region:
    """Create or update the region this installation serves (there is one)."""
    region = Region.objects.select_for_update().first()
    before = audit.snapshot(region, REGION_FIELDS) if region else None
    if region is None:
        region = Region()
    region.code, region.name = code, name
    region.head_title, region.head_name = head_title, head_name
    region.full_clean()
    region.save()
    after = audit.snapshot(region, REGION_FIELDS)
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", region, before=b, after=a)
    return region


ACTING_FIELDS = ["position", "employee", "kind", "reason", "starts_on", "ends_on", "ended_at"]


@transaction.atomic
def acting_start(
    *, position: Position, employee: Employee, kind: str, reason: str, ends_on: date | None = None
) -> ActingOfficial:
    """Record an acting official (Plt/Plh) for a position; takes effect at once."""
    today = timezone.localdate()
    errors = {}
    if kind not in ActingKind.values:
        errors["kind"] = _("Choose Plt or Plh.")
    if not reason.strip():
        errors["reason"] = _("Give the reason, e.g. the number of the decree (SK).")
    if not employee.active:
        errors["employee"] = _("This employee is no longer active.")
    if employee.position_id == position.pk:
        errors["employee"] = _("This employee already holds the position.")
    if ends_on is not None and ends_on < today:
        errors["ends_on"] = _("The planned end lies in the past.")
    if ActingOfficial.objects.select_for_update().filter(position=position, ended_at=None).exists():
        errors["position"] = _("This position already has an acting official; end that first.")
    if errors:
        raise ValidationError(errors)
    acting = ActingOfficial.objects.create(
        position=position,
        employee=employee,
        kind=kind,
        reason=reason.strip(),
        starts_on=today,
        ends_on=ends_on,
    )
    audit.record("create", acting, after=audit.snapshot(acting, ACTING_FIELDS))
    raters_recompute()
    return acting


@transaction.atomic
def acting_end(*, acting: ActingOfficial) -> ActingOfficial:
    if acting.ended_at is not None:
        raise ValidationError(_("This acting assignment has already ended."))
    before = audit.snapshot(acting, ["ended_at"])
    acting.ended_at = timezone.now()
    acting.save(update_fields=["ended_at"])
    audit.record("end", acting, before=before, after=audit.snapshot(acting, ["ended_at"]))
    raters_recompute()
    return acting


OVERRIDE_FIELDS = ["employee", "rater", "reason", "starts_on", "ends_on", "ended_at"]


@transaction.atomic
def override_start(
    *, employee: Employee, rater: Employee, reason: str, ends_on: date | None = None
) -> RaterOverride:
    """Record that ``rater`` rates ``employee``, whatever the tree says."""
    today = timezone.localdate()
    errors = {}
    if rater.pk == employee.pk:
        errors["rater"] = _("Nobody can rate themselves.")
    elif not rater.active:
        errors["rater"] = _("This employee is no longer active.")
    if not reason.strip():
        errors["reason"] = _("Give the reason, e.g. the number of the decree (SK).")
    if ends_on is not None and ends_on < today:
        errors["ends_on"] = _("The planned end lies in the past.")
    if errors:
        raise ValidationError(errors)
    current = RaterOverride.objects.select_for_update().filter(employee=employee, ended_at=None)
    for old in current:
        _end_override(old)
    override = RaterOverride.objects.create(
        employee=employee, rater=rater, reason=reason.strip(), starts_on=today, ends_on=ends_on
    )
    audit.record("create", override, after=audit.snapshot(override, OVERRIDE_FIELDS))
    raters_recompute()
    return override


def _end_override(override: RaterOverride) -> None:
    before = audit.snapshot(override, ["ended_at"])
    override.ended_at = timezone.now()
    override.save(update_fields=["ended_at"])
    audit.record("end", override, before=before, after=audit.snapshot(override, ["ended_at"]))


@transaction.atomic
def override_end(*, override: RaterOverride) -> RaterOverride:
    if override.ended_at is not None:
        raise ValidationError(_("This override has already ended."))
    _end_override(override)
    raters_recompute()
    return override


@transaction.atomic
def raters_refresh(*, today: date | None = None) -> tuple[int, int]:
    """End acting assignments and overrides whose planned end has passed (run daily).

    Returns how many assignments ended and how many rater chains changed (including any
    drift the recomputation repaired)."""
    today = today or timezone.localdate()
    ended = 0
    for acting in ActingOfficial.objects.select_for_update().filter(
        ended_at=None, ends_on__lt=today
    ):
        before = audit.snapshot(acting, ["ended_at"])
        acting.ended_at = timezone.now()
        acting.save(update_fields=["ended_at"])
        audit.record("end", acting, before=before, after=audit.snapshot(acting, ["ended_at"]))
        ended += 1
    for override in RaterOverride.objects.select_for_update().filter(
        ended_at=None, ends_on__lt=today
    ):
        _end_override(override)
        ended += 1
    return ended, raters_recompute()
