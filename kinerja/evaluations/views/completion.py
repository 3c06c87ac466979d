"""The completion monitor (``/penilaian/pantauan/``): who has not planned, submitted, been
approved or been rated for a period yet — the whole agency for its head and performance
administrator (the region's readers choose a unit), the people they rate for a rater."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.access import visible_or_404
from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period, year_filter
from kinerja.organizations.models import Agency, Employee, RaterChain, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import DEFAULT_RHYTHM, periods_of, rhythm_of
from kinerja.skp.rules import skp_calendar
from kinerja.skp.selectors import unit_subtree

from .. import lifecycle, selectors
from .common import current_period, plan_url, rate_url

STATUS_ORDER = ["unplanned", "draft", "returned", "submitted", "unrated", "rated"]


def _status(row) -> str:
    if row.skp is None:
        return "unplanned"
    if row.rated:
        return "rated"
    if row.skp.state in {SkpState.DRAFT, SkpState.RETURNED, SkpState.SUBMITTED}:
        return row.skp.state
    return "unrated"


def _status_labels() -> dict[str, str]:
    return {
        "unplanned": _("no plan"),
        "draft": _("not submitted"),
        "returned": _("returned, not resubmitted"),
        "submitted": _("awaiting approval"),
        "unrated": _("approved, not rated"),
        "rated": _("rated"),
    }


@dataclass
class MonitorRow:
    employee: Employee
    skp: Skp | None
    status: str
    label: str
    rate_url: str | None = None
    plan_url: str | None = None


@dataclass
class Summary:
    key: str
    label: str
    count: int
    rows: list = field(default_factory=list)


def monitor_units(user, scope) -> list[Unit]:
    """The units this person may open the curve and the monitor of from a list: every unit
    (the first 1,000 by code) for the region's readers, the units of the agencies they read
    whole for an agency's head or performance administrator, none for anyone else (a rater
    follows the people they rate)."""
    if not (scope.region_read or scope.agencies_read):
        return []
    units = Unit.objects.visible_to(user).order_by("code")
    if scope.region_read:
        return list(units[:1000])
    return list(units.filter(agency_id__in=scope.agencies_read))


def _period_asked(request, rhythm: str, year: int) -> Period:
    """The period asked for, else the current one of the rhythm (a bad one says why)."""
    raw = request.GET.get("period", "").strip()
    try:
        period = parse_period(raw, kinds=ALL_KINDS) if raw else current_period(rhythm, year)
    except PeriodError as exc:
        period = current_period(rhythm, year)
        messages.error(request, str(exc))
    return period if period.year == year else current_period(rhythm, year)


def _employees(user, scope, unit: Unit | None):
    """Whom the monitor lists: the unit (and below) or the agencies read whole; a rater (or
    the rater's superior) follows the people they rate."""
    employees = Employee.objects.visible_to(user).filter(active=True)
    if unit is not None:
        employees = employees.filter(unit_id__in=unit_subtree(unit))
        whole = scope.region_read or unit.agency_id in scope.agencies_read
    elif scope.agencies_read:
        employees = employees.filter(unit__agency_id__in=scope.agencies_read)
        whole = True
    elif scope.region_read:
        # The region's readers choose a unit (or see their own agency).
        own = scope.own_agency_id
        employees = employees.filter(unit__agency_id=own) if own else employees.none()
        whole = True
    else:
        whole = False
    if not whole:
        me = scope.employee_id
        employees = employees.filter(
            Q(rater_chain__rater_id=me) | Q(rater_chain__rater_superior_id=me)
        )
    return employees.select_related("unit").order_by("unit__code", "name").distinct()


#: Only these states of a plan are rated: a draft, a returned or a submitted plan is not
#: (the monitor offers its plan instead, where the employee or the rater acts on it).
RATED_STATES = {"unrated", "rated"}


def _rows(employees, year: int, period: Period, me: int | None, rateable: bool) -> list[MonitorRow]:
    labels = _status_labels()
    rows = []
    for item in selectors.completion(employees, year, str(period)):
        status = _status(item)
        mine = rateable and item.skp is not None and item.skp.rater_id == me
        rows.append(
            MonitorRow(
                item.employee,
                item.skp,
                status,
                labels[status],
                rate_url=rate_url(item.skp.pk, period) if mine and status in RATED_STATES else None,
                plan_url=plan_url(item.skp.pk) if item.skp else None,
            )
        )
    return rows


@require_GET
def completion(request):
    user = request.user
    scope = scope_for(user)
    me = scope.employee_id
    rates_someone = (
        me is not None
        and RaterChain.objects.filter(Q(rater_id=me) | Q(rater_superior_id=me)).exists()
    )
    if not (scope.region_read or scope.agencies_read or rates_someone):
        raise PermissionDenied
    code = request.GET.get("unit", "").strip().upper()
    unit = visible_or_404(Unit.objects.select_related("agency"), user, code=code) if code else None
    year = year_filter(request.GET.get("year"))
    agency = unit.agency if unit else None
    if agency is None and scope.own_agency_id:
        agency = Agency.objects.visible_to(user).filter(pk=scope.own_agency_id).first()
    rhythm_now = rhythm_of(agency, year) if agency else DEFAULT_RHYTHM
    period = _period_asked(request, rhythm_now, year)
    win = lifecycle.window(period, skp_calendar(year), lifecycle.today_of())
    rows = _rows(_employees(user, scope, unit), year, period, me, not win.upcoming)
    labels = _status_labels()
    wanted = request.GET.get("status", "")
    shown = [r for r in rows if r.status == wanted] if wanted in labels else rows
    return render(
        request,
        "evaluations/completion.html",
        {
            "unit": unit,
            "year": year,
            "period": period,
            "opens_on": win.opens_on if win.upcoming else None,
            "periods": [*periods_of(rhythm_now, year), Period(year)],
            "summary": [
                Summary(key, labels[key], sum(1 for r in rows if r.status == key))
                for key in STATUS_ORDER
            ],
            "total": len(rows),
            "page": Paginator(shown, 100).get_page(request.GET.get("page")),
            "status": wanted if wanted in labels else "",
            "units": monitor_units(user, scope),
            "query": f"unit={unit.code if unit else ''}&year={year}&period={period}",
        },
    )


def completion_status(row) -> str:
    """The monitor's status of a ``selectors.completion`` row, for the pages that count them
    (the cockpit on the home page): one of ``STATUS_ORDER``."""
    return _status(row)


def status_labels() -> dict[str, str]:
    """The statuses' labels, in ``STATUS_ORDER``."""
    return _status_labels()
