"""The region's plan (RPJMD): its years, vision and numbered missions."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.organizations.models import Region

from .. import permissions
from ..models import Mission, Plan
from .common import full_clean

PLAN_FIELDS = ["title", "start_year", "end_year", "vision"]


@transaction.atomic
def plan_save(
    *,
    by: Actor,
    region: Region,
    title: str,
    start_year: int,
    end_year: int,
    vision: str,
    missions: Sequence[str],
    plan: Plan | None = None,
) -> Plan:
    """Create or change a regional plan with its missions (numbered in the given order).
    Only Admin BKPSDM may."""
    permissions.require(
        permissions.can_edit_plan(by), _("Only Admin BKPSDM may change the regional plan.")
    )
    missions = [" ".join(m.split()) for m in missions if m and m.strip()]
    if not missions:
        raise ValidationError({"missions": _("Give at least one mission.")})
    if end_year - start_year != 4:
        raise ValidationError({"end_year": _("A regional plan covers five years.")})
    before = None
    if plan is not None:
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = {
            **audit.snapshot(plan, PLAN_FIELDS),
            "missions": list(plan.missions.values_list("text", flat=True)),
        }
    else:
        plan = Plan(region=region)
    plan.title, plan.start_year, plan.end_year = title.strip(), start_year, end_year
    plan.vision = vision.strip()
    full_clean(plan, unique_on="start_year")
    plan.save()
    _missions_update(plan, missions)
    after = {**audit.snapshot(plan, PLAN_FIELDS), "missions": missions}
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", plan, before=b, after=a)
    return plan


def _missions_update(plan: Plan, texts: list[str]) -> None:
    """Match the new list of missions to the stored ones, so that goals stay with their mission.

    A line that equals a stored mission's text is that mission (perhaps moved); the remaining
    lines replace the remaining missions in order (a wording change); stored missions left over
    are removed — refused if goals hang under them; new lines left over are added."""
    stored = list(plan.missions.order_by("number"))
    by_text: dict[str, Mission] = {}
    mission: Mission | None
    for mission in stored:
        by_text.setdefault(mission.text, mission)
    assigned: list[Mission | None] = []
    used: set[int] = set()
    for text in texts:
        mission = by_text.get(text)
        if mission is not None and mission.pk not in used:
            used.add(mission.pk)
            assigned.append(mission)
        else:
            assigned.append(None)
    leftovers = [m for m in stored if m.pk not in used]
    for index, mission in enumerate(assigned):
        if mission is None and leftovers:
            assigned[index] = leftovers.pop(0)
    for mission in leftovers:
        if mission.goals.exists():
            raise ValidationError(
                {
                    "missions": _("Mission %(n)d (%(text)s) has goals; keep it.")
                    % {"n": mission.number, "text": mission.text[:60]}
                }
            )
        mission.delete()
    # Two steps, so that renumbering never meets the unique (plan, number) constraint.
    for mission in assigned:
        if mission is not None:
            mission.number += 1000
            mission.save(update_fields=["number"])
    for number, (mission, text) in enumerate(zip(assigned, texts, strict=True), start=1):
        mission = mission or Mission(plan=plan)
        mission.number, mission.text = number, text
        mission.save()
