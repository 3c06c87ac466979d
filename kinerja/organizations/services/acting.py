"""Acting officials (Plt/Plh): while recorded, they rate the reports of the position."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor

from .. import permissions
from ..chains import rater_chains_sync
from ..models import ActingKind, ActingOfficial, Employee, Position
from .ending import end_now

ACTING_FIELDS = ["position", "employee", "kind", "reason", "starts_on", "ends_on", "ended_at"]


def _acting_errors(
    *,
    position: Position,
    employee: Employee,
    kind: str,
    reason: str,
    ends_on: date | None,
    by: Actor,
) -> dict[str, str]:
    errors = {}
    if kind not in ActingKind.values:
        errors["kind"] = _("Choose Plt or Plh.")
    if not reason.strip():
        errors["reason"] = _("Give the reason, e.g. the number of the decree (SK).")
    if not Employee.objects.visible_to(by).filter(pk=employee.pk).exists():
        errors["employee"] = _("No employee with this NIP is visible to you.")
    elif not employee.active:
        errors["employee"] = _("This employee is no longer active.")
    if employee.position_id == position.pk:
        errors["employee"] = _("This employee already holds the position.")
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _("The planned end lies in the past.")
    if ActingOfficial.objects.select_for_update().filter(position=position, ended_at=None).exists():
        errors["position"] = _("This position already has an acting official; end that first.")
    return errors


@transaction.atomic
def acting_start(
    *,
    position: Position,
    employee: Employee,
    kind: str,
    reason: str,
    ends_on: date | None = None,
    by: Actor,
) -> ActingOfficial:
    """Record an acting official (Plt/Plh) for a position; takes effect at once. Whoever may
    change the position (its agency's Pengelola Kinerja, the regional administrator) may, for
    an employee they can see."""
    permissions.require_position_editor(by, position)
    errors = _acting_errors(
        position=position, employee=employee, kind=kind, reason=reason, ends_on=ends_on, by=by
    )
    if errors:
        raise ValidationError(errors)
    acting = ActingOfficial.objects.create(
        position=position,
        employee=employee,
        kind=kind,
        reason=reason.strip(),
        starts_on=timezone.localdate(),
        ends_on=ends_on,
    )
    audit.record("create", acting, after=audit.snapshot(acting, ACTING_FIELDS))
    rater_chains_sync()
    return acting


@transaction.atomic
def acting_end(*, acting: ActingOfficial, by: Actor) -> ActingOfficial:
    permissions.require_position_editor(by, acting.position)
    end_now(acting, already=_("This acting assignment has already ended."))
    rater_chains_sync()
    return acting
