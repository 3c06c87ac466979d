"""Plans (SKP): one's own plan to submit (a draft, or returned by the rater) and the plans
submitted to one as their rater — due by the plan deadline of the year
(:func:`kinerja.skp.rules.plan_deadline`)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.organizations.models import RaterBasis
from kinerja.organizations.scope import Scope
from kinerja.skp.models import EDITABLE_STATES, Skp, SkpState
from kinerja.skp.rules import plan_deadline, skp_calendar

from .base import Task, task


def _deadlines(years: set[int]) -> dict[int, date]:
    """The plan deadline of each year (one query per year, not per plan)."""
    return {year: plan_deadline(year, skp_calendar(year)) for year in years}


def plans_to_submit(user, scope: Scope, today: date) -> list[Task]:
    """``plan_submit``: my open plans in draft or returned, of any year — a plan never
    approved leaves its year without a rating, so an old one stays a task, overdue
    (``skp_submit``: the employee submits their own plan)."""
    if scope.employee_id is None:
        return []
    plans = list(
        Skp.objects.visible_to(user)
        .filter(
            employee_id=scope.employee_id,
            ends_on__isnull=True,
            state__in=EDITABLE_STATES,
        )
        .order_by("year")
    )
    deadlines = _deadlines({skp.year for skp in plans})
    tasks = []
    for skp in plans:
        if skp.state == SkpState.RETURNED:
            title = _("Correct your %(year)s plan and submit it again") % {"year": skp.year}
        else:
            title = _("Complete your %(year)s plan and submit it") % {"year": skp.year}
        url = reverse("skp:detail", args=[skp.pk])
        tasks.append(task("plan_submit", title, deadlines[skp.year], url, skp.pk, today))
    return tasks


def plans_to_approve(user, scope: Scope, today: date) -> list[Task]:
    """``plan_approve``: plans submitted to me as their rater (``skp_approve`` /
    ``skp_return``: ``rates_plan``) — for the region's administrator also the plans the head
    of region rates, whose approval they record."""
    mine = Q(pk__in=[])
    if scope.employee_id is not None:
        mine |= Q(rater_id=scope.employee_id)
    if scope.region_write:
        mine |= Q(rater__isnull=True, employee__rater_chain__rater_basis=RaterBasis.REGION_HEAD)
    plans = list(
        Skp.objects.visible_to(user)
        .filter(mine, state=SkpState.SUBMITTED, ends_on__isnull=True)
        .exclude(employee_id=scope.employee_id)
        .select_related("employee")
        .order_by("submitted_at", "pk")
    )
    deadlines = _deadlines({skp.year for skp in plans})
    return [
        task(
            "plan_approve",
            _("Approve or return the %(year)s plan of %(name)s")
            % {"year": skp.year, "name": skp.employee.name},
            deadlines[skp.year],
            reverse("skp:detail", args=[skp.pk]),
            skp.pk,
            today,
        )
        for skp in plans
    ]
