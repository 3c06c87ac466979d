"""An agency's goals (tujuan) under the region's missions, and its strategic targets
(sasaran strategis) under its goals. Changed by those who manage the agency."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.organizations.models import Agency

from ..models import Goal, Mission, StrategicTarget
from .common import full_clean, require_manager, unique_code

GOAL_FIELDS = ["code", "text", "mission"]
TARGET_FIELDS = ["code", "text", "goal"]


@transaction.atomic
def goal_save(
    *, by: Actor, agency: Agency, mission: Mission, code: str, text: str, goal: Goal | None = None
) -> Goal:
    """Create a goal of ``agency`` or change ``goal`` (which keeps its agency)."""
    if goal is not None:
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
    require_manager(by, goal.agency_id if goal else agency.pk)
    before = audit.snapshot(goal, GOAL_FIELDS) if goal else None
    goal = goal or Goal(agency=agency)
    goal.mission, goal.code, goal.text = mission, code.strip().upper(), text.strip()
    unique_code(Goal, goal.agency, goal.code, goal)
    full_clean(goal, unique_on="code")
    goal.save()
    after = audit.snapshot(goal, GOAL_FIELDS)
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", goal, before=b, after=a)
    return goal


@transaction.atomic
def strategic_target_save(
    *, by: Actor, goal: Goal, code: str, text: str, target: StrategicTarget | None = None
) -> StrategicTarget:
    """Create a strategic target under ``goal``, or change ``target`` (perhaps moving it to
    another goal of the same agency)."""
    if target is not None:
        target = StrategicTarget.objects.select_for_update().get(pk=target.pk)
        require_manager(by, target.agency_id)
    require_manager(by, goal.agency_id)
    before = audit.snapshot(target, TARGET_FIELDS) if target else None
    target = target or StrategicTarget(agency=goal.agency)
    if target.agency_id != goal.agency_id:
        raise ValidationError({"goal": _("The goal belongs to another agency.")})
    target.goal, target.code, target.text = goal, code.strip().upper(), text.strip()
    unique_code(StrategicTarget, target.agency, target.code, target)
    full_clean(target, unique_on="code")
    target.save()
    after = audit.snapshot(target, TARGET_FIELDS)
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", target, before=b, after=a)
    return target
