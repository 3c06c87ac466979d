"""A rater's team: the people they rate with their plans of the year, those awaiting approval
first."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.core.periods import year_filter
from kinerja.organizations.models import Employee
from kinerja.organizations.scope import scope_for

from ..models import Skp, SkpState
from ..rules import plan_deadline


@dataclass
class TeamRow:
    employee: Employee
    plans: list[Skp]

    @property
    def pending(self) -> bool:
        return any(p.state == SkpState.SUBMITTED for p in self.plans)


def _rows(user, year: int) -> list[TeamRow]:
    me_id = scope_for(user).employee_id
    if me_id is None:
        return []
    employees = list(
        Employee.objects.filter(rater_chain__rater_id=me_id, active=True)
        .select_related("position", "unit")
        .order_by("name")
    )
    plans: dict[int, list[Skp]] = {}
    for skp in (
        Skp.objects.visible_to(user)
        .filter(employee__in=employees, year=year)
        .order_by("starts_on", "pk")
    ):
        plans.setdefault(skp.employee_id, []).append(skp)
    return [TeamRow(e, plans.get(e.pk, [])) for e in employees]


@require_GET
def team(request):
    year = year_filter(request.GET.get("year"))
    rows = _rows(request.user, year)
    return render(
        request,
        "skp/team.html",
        {
            "year": year,
            "pending": [r for r in rows if r.pending],
            "others": [r for r in rows if not r.pending],
            "missing": sum(1 for r in rows if not r.plans),
            "rates_anyone": bool(rows),
            "deadline": plan_deadline(year),
        },
    )
