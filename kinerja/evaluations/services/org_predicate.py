"""A unit's organisation predicate for a period, set by the leader above it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.organizations.models import Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.services import clean_text

from .. import permissions
from ..models import OrgEvaluation, OrgPredicate
from .common import rated_period


@transaction.atomic
def org_predicate_set(
    *, unit: Unit, period: str, predicate: str, reason: str = "", by: Actor
) -> OrgEvaluation:
    permissions.require(
        permissions.may_set_org_predicate(by, unit),
        _("Only the leader above the unit sets its predicate."),
    )
    parsed = rated_period(period)
    if predicate not in OrgPredicate.values:
        raise ValidationError(
            {"predicate": _("Choose Istimewa, Baik, Butuh Perbaikan, Kurang or Sangat Kurang.")}
        )
    me = scope_for(by).employee_id
    current = OrgEvaluation.objects.filter(unit=unit, period=str(parsed)).first()
    before = {"predicate": current.predicate} if current else None
    row, _created = OrgEvaluation.objects.update_or_create(
        unit=unit, period=str(parsed),
        defaults={
            "predicate": predicate, "set_by_id": me,
            "reason": clean_text(reason, "reason", required=False),
        },
    )  # fmt: skip
    if before != {"predicate": predicate}:
        audit.record(
            "update" if before else "create",
            row,
            object_id=f"{unit.code}/{parsed}",
            before=before,
            after={"predicate": predicate},
        )
    return row
