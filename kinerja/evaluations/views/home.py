"""The evaluation overview (``/penilaian/``): the plans I rate with their periods, my own plan's
ratings and objection period, objections waiting for my decision, open development plans, and
the ways to the curve, the monitor and the agency's rhythm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kinerja.core.periods import Period, year_filter
from kinerja.organizations.heads import units_headed_by_those_rated
from kinerja.organizations.models import RaterChain, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import Rhythm, periods_of, rhythm_of
from kinerja.skp.rules import skp_calendar

from .. import lifecycle, rules
from ..models import (
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    Objection,
    SelfAssessment,
)
from ..selectors import coaching_items_to_act
from .common import plan_url, rate_url
from .completion import monitor_units

#: A plan in one of these states waits for its ratings.
RATEABLE = {SkpState.APPROVED, SkpState.EVALUATING}


@dataclass
class PeriodCell:
    period: Period
    evaluation: Evaluation | None
    deadline: date
    begun: bool
    url: str
    #: open for rating now and not rated: the rater's work (shown in red, with its deadline)
    to_rate: bool = False
    #: its deadline passed without a rating: shown as not rated, without alarm (issue 11)
    missed: bool = False
    #: the day rating opens, for a period not open yet (evaluations.lifecycle)
    opens_on: date | None = None


@dataclass
class RatedRow:
    skp: Skp
    cells: list[PeriodCell]
    annual: PeriodCell
    plan_url: str | None


def _cell(skp: Skp, period: Period, evaluations: dict, cal, today: date):
    evaluation = evaluations.get((skp.pk, str(period)))
    win = lifecycle.window(period, cal, today)
    return PeriodCell(
        period,
        evaluation,
        win.deadline,
        period.start <= today,
        rate_url(skp.pk, period),
        to_rate=evaluation is None and win.is_open and skp.state in RATEABLE,
        missed=evaluation is None and win.closed,
        opens_on=win.opens_on if win.upcoming else None,
    )


def _cells(skp: Skp, rhythm: str, evaluations: dict, cal, today: date) -> tuple[list, PeriodCell]:
    cells = [_cell(skp, period, evaluations, cal, today) for period in periods_of(rhythm, skp.year)]
    annual = _cell(skp, Period(skp.year), evaluations, cal, today)
    return cells, annual


def _own_block(own_plan: Skp, rhythm: str, evaluations: dict, cal, today: date) -> dict:
    """My own plan's periods, what I assessed myself, and the objection period."""
    cells, annual = _cells(own_plan, rhythm, evaluations, cal, today)
    assessed = set(SelfAssessment.objects.filter(skp=own_plan).values_list("period", flat=True))
    rating = annual.evaluation
    objection_deadline = None
    if rating is not None and rating.delivered_at:
        objection_deadline = rules.objection_deadline(rating.delivered_at, cal.objection_days)
    return {
        "skp": own_plan,
        "cells": cells,
        "annual": annual,
        "assessed": assessed,
        "rateable": own_plan.state not in {SkpState.DRAFT, SkpState.SUBMITTED, SkpState.RETURNED},
        "objection_deadline": objection_deadline,
        "objection_open": rating is not None
        and rules.objection_open(rating.delivered_at, timezone.now(), cal.objection_days),
    }


def _plans(user, me: int | None, year: int) -> tuple[list[Skp], Skp | None]:
    """The open plans of the year I rate, and my own."""
    if me is None:
        return [], None
    visible = Skp.objects.visible_to(user).filter(year=year, ends_on__isnull=True)
    rated = list(
        visible.filter(rater_id=me)
        .select_related("employee", "unit__agency")
        .order_by("employee__name")
    )
    own = visible.filter(employee_id=me).select_related("unit__agency", "rater").first()
    return rated, own


def _waiting(user, me: int | None, year: int) -> tuple[list, list]:
    """Objections waiting for my decision; open development plans of mine or of whom I rate."""
    if me is None:
        return [], []
    pending = list(
        Objection.objects.visible_to(user)
        .filter(decider_id=me, decided_at__isnull=True)
        .select_related("evaluation__skp__employee")
        .order_by("filed_at")
    )
    developments = list(
        DevelopmentPlan.objects.visible_to(user)
        .filter(Q(skp__employee_id=me) | Q(skp__rater_id=me), skp__year=year)
        .exclude(state=DevelopmentState.CLOSED)
        .select_related("skp__employee")
        .order_by("created_at")
    )
    return pending, developments


def _led_units(scope) -> list[Unit]:
    """The units whose head this person rates: the units whose predicate they set."""
    if scope.employee_id is None:
        return []
    chains = RaterChain.objects.filter(rater_id=scope.employee_id).select_related(
        "employee__position__reports_to", "employee__position__unit"
    )
    return units_headed_by_those_rated(scope.employee_id, chains)


@require_GET
def home(request):
    user = request.user
    scope = scope_for(user)
    year = year_filter(request.GET.get("year"))
    today = timezone.localdate()
    cal = skp_calendar(year)
    rated_plans, own_plan = _plans(user, scope.employee_id, year)
    plans = rated_plans + ([own_plan] if own_plan else [])
    evaluations = {
        (e.skp_id, e.period): e
        for e in Evaluation.objects.filter(skp__in=[p.pk for p in plans]).select_related(
            "objection"
        )
    }
    agencies = {p.unit.agency_id: p.unit.agency for p in plans}
    rhythm = {pk: rhythm_of(agency, year) for pk, agency in agencies.items()}
    rows = [
        RatedRow(skp, *_cells(skp, rhythm[skp.unit.agency_id], evaluations, cal, today),
                 plan_url(skp.pk))
        for skp in rated_plans
    ]  # fmt: skip
    own = None
    if own_plan is not None:
        own = _own_block(own_plan, rhythm[own_plan.unit.agency_id], evaluations, cal, today)
    pending, developments = _waiting(user, scope.employee_id, year)
    return render(
        request,
        "evaluations/home.html",
        {
            "year": year,
            "rows": rows,
            "rhythms_shown": [
                Rhythm(r).label for r in sorted({rhythm[p.unit.agency_id] for p in rated_plans})
            ],
            "own": own,
            "own_plan_url": reverse("evaluations:mine"),
            "pending": pending,
            "coaching": list(coaching_items_to_act(user)),
            "developments": developments,
            "monitors": scope.region_read or bool(scope.agencies_read) or bool(rated_plans),
            "led_units": _led_units(scope),
            "may_set_rhythm": scope.region_write
            or bool(scope.agencies_managed | scope.agencies_headed),
            "curve_units": monitor_units(user, scope),
        },
    )
