"""Rater overrides: a recorded exception to the position tree for one employee's rater."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit

from .. import permissions
from ..chains import rater_chains_sync
from ..models import Employee, RaterOverride

OVERRIDE_FIELDS = ["employee", "rater", "reason", "starts_on", "ends_on", "ended_at"]


def _override_errors(
    *, employee: Employee, rater: Employee, reason: str, ends_on: date | None, by
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
    *, employee: Employee, rater: Employee, reason: str, ends_on: date | None = None, by: Any
) -> RaterOverride:
    """Record that ``rater`` rates ``employee``, whatever the tree says (ending the override
    before). Whoever may change the employee may, naming a rater they can see."""
    permissions.require_employee_editor(by, employee)
    errors = _override_errors(employee=employee, rater=rater, reason=reason, ends_on=ends_on, by=by)
    if errors:
        raise ValidationError(errors)
    current = RaterOverride.objects.select_for_update().filter(employee=employee, ended_at=None)
    for old in current:
        end_override(old)
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


def end_override(override: RaterOverride) -> None:
    """End ``override`` now, with its audit record (a step of the operations here and of
    :func:`~.raters.raters_refresh`)."""
    before = audit.snapshot(override, ["ended_at"])
    override.ended_at = timezone.now()
    override.save(update_fields=["ended_at"])
    audit.record("end", override, before=before, after=audit.snapshot(override, ["ended_at"]))


@transaction.atomic
def override_end(*, override: RaterOverride, by: Any) -> RaterOverride:
    permissions.require_employee_editor(by, override.employee)
    if override.ended_at is not None:
        raise ValidationError(_("This override has already ended."))
    end_override(override)
    rater_chains_sync()
    return override
