"""Ratings and objections: the periods of the plans I rate that are open for rating now and not
rated (``evaluation_rate``: ``rates_plan``; the window and its deadline from
:func:`kinerja.evaluations.lifecycle.window`, only the periods open today — a period long past
is no task), the objections whose rating I must explain (``objection_explain``: ``explains``,
due by the date the decider gave) and those I decide (``objection_decide``: ``decides``; not
while the rater's explanation is still awaited)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.periods import Period
from kinerja.evaluations.lifecycle import window
from kinerja.evaluations.models import Evaluation, Objection
from kinerja.organizations.models import RaterBasis
from kinerja.organizations.scope import Scope
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import periods_of, rhythm_of
from kinerja.skp.rules import skp_calendar

from .base import Task, task

#: A plan in one of these states waits for its ratings (as the reminders say).
TO_RATE = {SkpState.APPROVED, SkpState.EVALUATING}


def _rated_by_me(scope: Scope) -> Q:
    """The plans whose rater I am, or — for the region's administrator — the head of region's."""
    mine = Q(pk__in=[])
    if scope.employee_id is not None:
        mine |= Q(rater_id=scope.employee_id)
    if scope.region_write:
        mine |= Q(rater__isnull=True, employee__rater_chain__rater_basis=RaterBasis.REGION_HEAD)
    return mine


def _open_periods(skp: Skp, rhythms: dict, calendars: dict, today: date) -> list:
    """The windows of ``skp``'s periods (and its year) open for rating today."""
    key = (skp.unit.agency_id, skp.year)
    if key not in rhythms:
        rhythms[key] = rhythm_of(skp.unit.agency, skp.year)
    if skp.year not in calendars:
        calendars[skp.year] = skp_calendar(skp.year)
    periods = [*periods_of(rhythms[key], skp.year), Period(skp.year)]
    windows = [window(period, calendars[skp.year], today) for period in periods]
    return [w for w in windows if w.is_open and w.period.end >= skp.starts_on]


def periods_to_rate(user, scope: Scope, today: date) -> list[Task]:
    """``period_rate``: one task per plan and open period without a rating."""
    plans = list(
        Skp.objects.visible_to(user)
        .filter(_rated_by_me(scope), state__in=TO_RATE, year__in=[today.year - 1, today.year])
        .exclude(employee_id=scope.employee_id)
        .select_related("employee", "unit__agency")
        .order_by("employee__name", "pk")
    )
    rated = set(
        Evaluation.objects.filter(skp__in=[p.pk for p in plans]).values_list("skp_id", "period")
    )
    rhythms: dict = {}
    calendars: dict = {}
    tasks = []
    for skp in plans:
        for win in _open_periods(skp, rhythms, calendars, today):
            if (skp.pk, str(win.period)) in rated:
                continue
            tasks.append(
                task(
                    "period_rate",
                    _("Rate %(name)s for %(period)s")
                    % {"name": skp.employee.name, "period": win.period.label},
                    win.deadline,
                    reverse("evaluations:rate", args=[skp.pk, str(win.period)]),
                    f"{skp.pk}:{win.period}",
                    today,
                )
            )
    return tasks


def _pending() -> Q:
    return Q(decided_at__isnull=True)


def objections_to_explain(user, scope: Scope, today: date) -> list[Task]:
    """``objection_explain``: asked, not given yet, by the rater who gave the rating."""
    me = scope.employee_id
    if me is None:
        return []
    objections = (
        Objection.objects.visible_to(user)
        .filter(
            _pending(),
            Q(evaluation__rated_by_id=me)
            | Q(evaluation__rated_by__isnull=True, evaluation__skp__rater_id=me),
            explanation_requested_at__isnull=False,
            explained_at__isnull=True,
            for_region_head=False,
        )
        .exclude(evaluation__skp__employee_id=me)
        .select_related("evaluation__skp__employee")
        .order_by("filed_at")
    )
    return [
        task(
            "objection_explain",
            _("Explain your %(period)s rating of %(name)s, objected to")
            % {
                "period": Period(o.evaluation.skp.year).label,
                "name": o.evaluation.skp.employee.name,
            },
            o.explanation_due,
            reverse("evaluations:objection", args=[o.pk]),
            o.pk,
            today,
        )
        for o in objections
    ]


def objections_to_decide(user, scope: Scope, today: date) -> list[Task]:
    """``objection_decide``: the objections recorded with me as the decider (for the region's
    administrator: those the head of region decides), unless an explanation is still awaited."""
    me = scope.employee_id
    mine = Q(pk__in=[])
    if me is not None:
        mine |= Q(decider_id=me, for_region_head=False)
    if scope.region_write:
        mine |= Q(for_region_head=True)
    awaited = Q(
        explanation_requested_at__isnull=False,
        explained_at__isnull=True,
        explanation_due__gte=today,
    )
    objections = (
        Objection.objects.visible_to(user)
        .filter(mine, _pending())
        .exclude(awaited)
        .exclude(evaluation__skp__employee_id=me)
        .select_related("evaluation__skp__employee")
        .order_by("filed_at")
    )
    return [
        task(
            "objection_decide",
            _("Decide the objection of %(name)s to the %(year)s predicate")
            % {"name": o.evaluation.skp.employee.name, "year": o.evaluation.skp.year},
            None,
            reverse("evaluations:objection", args=[o.pk]),
            o.pk,
            today,
        )
        for o in objections
    ]
