"""Values to verify: an individual indicator's (IKI) realisation waits for the plan's rater
(``kinerja.skp.services.realisation_verify``: ``rates_plan``); an organisational indicator's
(IKU) realisation waits for the owner's superior — the rater of the owning position's holder,
or the agency head when nobody rates a holder (``kinerja.strategy.permissions.can_verify``),
never for the person who entered it.

A value is due by the periodic deadline of its period (``kinerja.skp.rules.periodic_deadline``:
the 5th of the next month by default): it must be verified before the period is rated."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period
from kinerja.organizations.models import ActingOfficial, Employee, RaterBasis, RaterChain
from kinerja.organizations.scope import Scope
from kinerja.skp.models import IkiRealisation, Skp, SkpState
from kinerja.skp.rules import periodic_deadline, skp_calendar
from kinerja.skp.verification import IkiRealisationState
from kinerja.strategy.models import Realisation, RealisationState

from .base import Task, task


class _Deadlines:
    """The periodic deadline of a period's end, one calendar query per year."""

    def __init__(self) -> None:
        self._calendars: dict = {}

    def of(self, period: Period) -> date:
        year = period.end.year
        if year not in self._calendars:
            self._calendars[year] = skp_calendar(year)
        return periodic_deadline(period.end, self._calendars[year])


def _period(text: str) -> Period | None:
    try:
        return parse_period(text, kinds=ALL_KINDS)
    except PeriodError:
        return None


def iki_values_to_verify(user, scope: Scope, today: date) -> list[Task]:
    """``realisation_verify`` of the plans I rate (or, for the region's administrator, of the
    plans the head of region rates)."""
    mine = Q(pk__in=[])
    if scope.employee_id is not None:
        mine |= Q(iki__rhk__skp__rater_id=scope.employee_id)
    if scope.region_write:
        mine |= Q(
            iki__rhk__skp__rater__isnull=True,
            iki__rhk__skp__employee__rater_chain__rater_basis=RaterBasis.REGION_HEAD,
        )
    values = list(
        IkiRealisation.objects.filter(mine, state=IkiRealisationState.SUBMITTED)
        .filter(iki__rhk__skp__in=Skp.objects.visible_to(user).values("pk"))
        .exclude(iki__rhk__skp__employee_id=scope.employee_id)
        .exclude(iki__rhk__skp__state=SkpState.CLOSED)
        .select_related("iki__rhk__skp__employee")
        .order_by("period", "pk")
    )
    deadlines = _Deadlines()
    tasks = []
    for value in values:
        skp = value.iki.rhk.skp
        period = _period(value.period)
        tasks.append(
            task(
                "realisation_verify",
                _("Verify %(name)s's value for %(period)s: %(indicator)s")
                % {
                    "name": skp.employee.name,
                    "period": period.label if period else value.period,
                    "indicator": value.iki.text,
                },
                deadlines.of(period) if period else None,
                f"{reverse('skp:realisation', args=[skp.pk])}#iki-{value.iki_id}",
                f"iki:{value.pk}",
                today,
            )
        )
    return tasks


def _my_positions(employee_id: int) -> Q:
    """The positions I hold or act in (Plt/Plh), as a condition on a position id."""
    held = Employee.objects.filter(pk=employee_id, active=True).values("position_id")
    acting = ActingOfficial.objects.filter(employee_id=employee_id, ended_at=None).values(
        "position_id"
    )
    return Q(indicator__agency__head_position_id__in=held) | Q(
        indicator__agency__head_position_id__in=acting
    )


def iku_values_to_verify(user, scope: Scope, today: date) -> list[Task]:
    """``realisation_verify`` of the organisation's indicators (``can_verify``)."""
    if scope.employee_id is None:
        return []
    me = scope.employee_id
    rated_positions = RaterChain.objects.filter(rater_id=me, employee__active=True).values(
        "employee__position_id"
    )
    holder_rated = RaterChain.objects.filter(
        employee__position_id=OuterRef("indicator__owner_position_id"),
        employee__active=True,
        rater__isnull=False,
    )
    values = list(
        Realisation.objects.visible_to(user)
        .current()
        .filter(state=RealisationState.SUBMITTED)
        .exclude(entered_by_id=user.pk)
        .annotate(holder_rated=Exists(holder_rated))
        .filter(
            Q(indicator__owner_position_id__in=rated_positions, holder_rated=True)
            | (_my_positions(me) & Q(holder_rated=False))
        )
        .select_related("indicator__agency")
        .order_by("year", "month", "indicator__code")
    )
    deadlines = _Deadlines()
    tasks = []
    for value in values:
        period = Period.of_month(value.year, value.month)
        indicator = value.indicator
        url = reverse("strategy:indicator", args=[indicator.pk])
        tasks.append(
            task(
                "realisation_verify",
                _("Verify %(agency)s %(code)s for %(period)s: %(indicator)s")
                % {
                    "agency": indicator.agency.code,
                    "code": indicator.code,
                    "period": period.label,
                    "indicator": indicator.name,
                },
                deadlines.of(period),
                f"{url}?year={value.year}#month-{value.month}",
                f"iku:{value.pk}",
                today,
            )
        )
    return tasks
