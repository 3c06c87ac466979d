"""The agency overview: its goals, strategic targets and indicators with the year's
achievement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.core.periods import year_filter
from kinerja.core.rules import achievement_rules

from .. import permissions
from ..models import Goal, Indicator, PerformanceAgreement, StrategicTarget
from ..selectors import IndicatorResult, indicator_results
from .common import QUARTERS, chosen_agency, visible_agencies


@dataclass
class TargetGroup:
    target: StrategicTarget | None
    results: list[IndicatorResult] = field(default_factory=list)


@dataclass
class GoalGroup:
    goal: Goal | None
    targets: list[TargetGroup] = field(default_factory=list)


def _grouped(goals: list[Goal], indicators: list[Indicator], results) -> list[GoalGroup]:
    by_target: dict[int | None, list[IndicatorResult]] = defaultdict(list)
    for ind in indicators:
        by_target[ind.strategic_target_id].append(results[ind.pk])
    groups = [
        GoalGroup(goal, [TargetGroup(t, by_target.pop(t.pk, [])) for t in goal.targets.all()])
        for goal in goals
    ]
    rest = [r for rows in by_target.values() for r in rows]
    if rest:
        rest.sort(key=lambda r: r.indicator.code)
        groups.append(GoalGroup(None, [TargetGroup(None, rest)]))
    return groups


@require_GET
def overview(request):
    user = request.user
    agencies = visible_agencies(user)
    agency = chosen_agency(request, agencies)
    year = year_filter(request.GET.get("year"))
    goals = list(
        Goal.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("mission")
        .prefetch_related(Prefetch("targets", queryset=StrategicTarget.objects.order_by("code")))
        .order_by("code")
    )
    indicators = list(Indicator.objects.visible_to(user).filter(agency=agency).order_by("code"))
    results = indicator_results(indicators, year, viewer=user)
    return render(
        request,
        "strategy/overview.html",
        {
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "groups": _grouped(goals, indicators, results),
            "count": len(indicators),
            "agreement": PerformanceAgreement.objects.visible_to(user)
            .filter(agency=agency, year=year)
            .first(),
            "can_manage": permissions.can_manage(user, agency.pk),
            "bands": achievement_rules(year).bands,
            "quarters": QUARTERS,
        },
    )
