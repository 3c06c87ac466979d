"""Rater overrides: a recorded exception to the position tree for one employee's rater."""

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
from ..models import Employee, RaterOverride
from .ending import end_now

OVERRIDE_FIELDS = ["employee", "rater", "reason", "starts_on", "ends_on", "ended_at"]


def _override_errors(
    *, employee: Employee, rater: Employee, reason: str, ends_on: date | None, by: Actor
) -> dict[str, str]:
    errors = {}
    if rater.pk == employee.pk:
        errors["rater"] = _("Nobody can rate themselves.")
    elif not Employee.objects.visible_to(by).filter(pk=rater.pk).exists():
        errors["rater"] = _("No employee with this NIP is visible to you.")
    elif not rater.active:
        errors["rater"] = _("This employee is no longer active.")
    if not reason.strip():
        errors["reason"] = _("Give the reason, e.g. the number of the decree (SK).")
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _("The planned end lies in the past.")
    return errors


@transaction.atomic
def override_start(
    *, employee: Employee, rater: Employee, reason: str, ends_on: date | None = None, by: Actor
) -> RaterOverride:
    """Record that ``rater`` rates ``employee``, whatever the tree says (ending the override
    before). Whoever may change the employee may, naming a rater they can see."""
    permissions.require_employee_editor(by, employee)
    errors = _override_errors(employee=employee, rater=rater, reason=reason, ends_on=ends_on, by=by)
    if errors:
        raise ValidationError(errors)
    current = RaterOverride.objects.select_for_update().filter(employee=employee, ended_at=None)
    for old in current:
        end_now(old)
    override = RaterOverride.objects.create(
        employee=employee,
        rater=rater,
        reason=reason.strip(),
        starts_on=timezone.localdate(),
        ends_on=ends_on,
    )
    audit.record("create", override, after=audit.snapshot(override, OVERRIDE_FIELDS))
    rater_chains_sync()
    return override


@transaction.atomic
def override_end(*, override: RaterOverride, by: Actor) -> RaterOverride:
    permissions.require_employee_editor(by, override.employee)
    end_now(override, already=_("This override has already ended."))
    rater_chains_sync()
    return override
