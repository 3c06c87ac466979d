""" "Kinerja saya" (``evaluations:mine``, ``/kinerja-saya/``): the signed-in employee's own
plan of the year with its deadline and the data behind each indicator per period, the feedback
received, the ratings history, the development plans and — for a functional position — the
credit points of the year (the ledger, :func:`kinerja.evaluations.ledger.credit_ledger`), and
the support the rater offered when a measure slipped (coaching items once answered, with the
data behind them: :func:`kinerja.evaluations.selectors.coaching_support_for`).

The page shows the plan and its evaluations together, so it is the evaluation app's. Starting
a plan from it is the plan's own page (``skp:start``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.core.periods import year_filter
from kinerja.organizations.models import Employee
from kinerja.organizations.scope import scope_for
from kinerja.skp.forms import StartForm
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rules import plan_deadline
from kinerja.skp.selectors import IkiRow, period_table, plans_with_content

from ..coaching import facts
from ..ledger import credit_ledger
from ..models import DevelopmentAction, DevelopmentPlan, Evaluation, Feedback
from ..selectors import coaching_support_for

#: States in which a plan has realisations to show (approved and after).
MEASURED_STATES = {
    SkpState.APPROVED,
    SkpState.EVALUATING,
    SkpState.RATED,
    SkpState.OBJECTED,
    SkpState.FINAL,
    SkpState.CLOSED,
}


@dataclass
class PlanView:
    skp: Skp
    periods: list
    rows: list[IkiRow]


def _plan_views(user, plans: list[Skp]) -> list[PlanView]:
    views = []
    for skp in plans:
        periods, rows = period_table(skp, user) if skp.state in MEASURED_STATES else ([], [])
        views.append(PlanView(skp, periods, rows))
    return views


def _feedback(plans: list[Skp]) -> list[Feedback]:
    """The threads started on the plans, newest first, with their replies."""
    return list(
        Feedback.objects.filter(skp__in=plans, parent__isnull=True)
        .select_related("author", "rhk", "value")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Feedback.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def _ratings(user, me_id: int) -> list[Evaluation]:
    return list(
        Evaluation.objects.visible_to(user)
        .filter(skp__employee_id=me_id)
        .select_related("skp", "rated_by")
        .order_by("-skp__year", "-annual", "-period")
    )


def _development(user, me_id: int) -> list[DevelopmentPlan]:
    plans = list(
        DevelopmentPlan.objects.visible_to(user)
        .filter(skp__employee_id=me_id)
        .select_related("skp", "opened_by_evaluation")
        .prefetch_related(
            Prefetch("actions", queryset=DevelopmentAction.objects.order_by("due_on", "pk"))
        )
        .order_by("-created_at", "-pk")
    )
    for plan in plans:
        if plan.opened_by_evaluation is not None:
            plan.opened_by_label = plan.opened_by_evaluation.period_label
    return plans


@require_GET
def mine(request):
    user = request.user
    year = year_filter(request.GET.get("year"))
    me_id = scope_for(user).employee_id
    context = {"year": year, "deadline": plan_deadline(year)}
    if me_id is None:
        return render(request, "evaluations/mine.html", {**context, "employee": None})
    employee = Employee.objects.select_related("position", "unit").get(pk=me_id)
    plans = list(
        plans_with_content(
            Skp.objects.visible_to(user).filter(employee_id=me_id, year=year)
        ).order_by("starts_on", "pk")
    )
    open_plan = next((p for p in plans if p.ends_on is None), None)
    return render(
        request,
        "evaluations/mine.html",
        {
            **context,
            "employee": employee,
            "plans": _plan_views(user, plans),
            "open_plan": open_plan,
            "start_form": StartForm(initial={"year": year}) if open_plan is None else None,
            "feedback": _feedback(plans),
            "support": [(item, facts(item)) for item in coaching_support_for(plans)],
            "ratings": _ratings(user, me_id),
            "development": _development(user, me_id),
            "credit": credit_ledger(employee, year)
            if employee.position is not None and employee.position.kind == "jf"
            else None,
        },
    )
