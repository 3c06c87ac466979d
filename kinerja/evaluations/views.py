"""Evaluation pages: the rater's overview (this module), the rating screen, self-assessment and
objections (:mod:`.views_rate`), feedback (:mod:`.views_feedback`), development plans
(:mod:`.views_development`), the organisation predicate with the curve, the completion monitor
and the agency's rhythm (this module).

Views only parse, call and render: plans come through ``Skp.objects.visible_to`` (404
otherwise), changes go through :mod:`.services`, whose ``PermissionDenied`` is a 403 and whose
``ValidationError`` is shown on the field it names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core.forms import errors_to_form
from kinerja.core.periods import ALL_KINDS, MAX_YEAR, MIN_YEAR, Period, PeriodError, parse_period
from kinerja.organizations.heads import units_headed_by_those_rated
from kinerja.organizations.models import Agency, Employee, RaterChain, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rules import annual_deadline, periodic_deadline, skp_calendar

from . import rules, selectors, services
from .forms import OrgPredicateForm, RhythmForm
from .models import (
    PREDICATE_ORDER,
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    Objection,
    OrgEvaluation,
    Rhythm,
    SelfAssessment,
)
from .periods import periods_of

# --- Helpers shared by the evaluation views ---------------------------------------------------


def this_year() -> int:
    return timezone.localdate().year


def year_from(raw: str | None) -> int:
    """A year from a query string; an unreadable one means this year (a page filter, not data)."""
    try:
        year = int(raw or "")
    except ValueError:
        return this_year()
    return year if MIN_YEAR <= year <= MAX_YEAR else this_year()


def skp_or_404(user, pk: int) -> Skp:
    skp = (
        Skp.objects.visible_to(user)
        .select_related("employee", "unit__agency", "rater", "rater_superior")
        .filter(pk=pk)
        .first()
    )
    if skp is None:
        raise Http404
    return skp


def period_or_404(text: str, year: int | None = None) -> Period:
    try:
        period = parse_period(text, kinds=ALL_KINDS)
    except PeriodError:
        raise Http404 from None
    if year is not None and period.year != year:
        raise Http404
    return period


def plan_url(skp_id: int) -> str | None:
    """The plan's own page (built by the SKP pages), if it is there."""
    try:
        return reverse("skp:detail", args=[skp_id])
    except NoReverseMatch:
        return None


def my_plan_url() -> str | None:
    try:
        return reverse("skp:mine")
    except NoReverseMatch:
        return None


def employee_id(user) -> int | None:
    return scope_for(user).employee_id


def rate_url(skp_id: int, period) -> str:
    return reverse("evaluations:rate", args=[skp_id, str(period)])


def current_period(rhythm: str, year: int) -> Period:
    """The latest period of ``rhythm`` in ``year`` that has begun (the first one before)."""
    today = timezone.localdate()
    periods = periods_of(rhythm, year)
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else periods[0]


# --- The rater's overview ---------------------------------------------------------------------


@dataclass
class PeriodCell:
    period: Period
    evaluation: Evaluation | None
    deadline: date
    begun: bool
    url: str
    overdue: bool = False


@dataclass
class RatedRow:
    skp: Skp
    cells: list[PeriodCell]
    annual: PeriodCell
    plan_url: str | None


def _cells(skp: Skp, rhythm: str, evaluations: dict, cal, today: date) -> tuple[list, PeriodCell]:
    cells = []
    for period in periods_of(rhythm, skp.year):
        evaluation = evaluations.get((skp.pk, str(period)))
        deadline = periodic_deadline(period.end, cal)
        cells.append(
            PeriodCell(
                period,
                evaluation,
                deadline,
                period.start <= today,
                rate_url(skp.pk, period),
                overdue=evaluation is None and deadline < today,
            )
        )
    annual_period = Period(skp.year)
    deadline = annual_deadline(skp.year, cal)
    evaluation = evaluations.get((skp.pk, str(annual_period)))
    annual = PeriodCell(
        annual_period,
        evaluation,
        deadline,
        annual_period.start <= today,
        rate_url(skp.pk, annual_period),
        overdue=evaluation is None and deadline < today,
    )
    return cells, annual


@require_GET
def home(request):
    user = request.user
    scope = scope_for(user)
    me = scope.employee_id
    year = year_from(request.GET.get("year"))
    today = timezone.localdate()
    cal = skp_calendar(year)
    visible = Skp.objects.visible_to(user)

    rated_plans = []
    if me is not None:
        rated_plans = list(
            visible.filter(rater_id=me, year=year, ends_on__isnull=True)
            .select_related("employee", "unit__agency")
            .order_by("employee__name")
        )
    own_plan = None
    if me is not None:
        own_plan = (
            visible.filter(employee_id=me, year=year, ends_on__isnull=True)
            .select_related("unit__agency", "rater")
            .first()
        )
    plans = rated_plans + ([own_plan] if own_plan else [])
    evaluations = {
        (e.skp_id, e.period): e
        for e in Evaluation.objects.filter(skp__in=[p.pk for p in plans]).select_related(
            "objection"
        )
    }
    agencies = {p.unit.agency_id: p.unit.agency for p in plans}
    rhythm = {pk: services.rhythm_of(agency, year) for pk, agency in agencies.items()}
    rows = []
    for skp in rated_plans:
        cells, annual = _cells(skp, rhythm[skp.unit.agency_id], evaluations, cal, today)
        rows.append(RatedRow(skp, cells, annual, plan_url(skp.pk)))
    rhythms_shown = sorted({rhythm[p.unit.agency_id] for p in rated_plans})

    own = None
    if own_plan is not None:
        cells, annual = _cells(own_plan, rhythm[own_plan.unit.agency_id], evaluations, cal, today)
        assessed = set(SelfAssessment.objects.filter(skp=own_plan).values_list("period", flat=True))
        objection_deadline = None
        if annual.evaluation is not None and annual.evaluation.delivered_at:
            objection_deadline = rules.objection_deadline(
                annual.evaluation.delivered_at, cal.objection_days
            )
        own = {
            "skp": own_plan,
            "cells": cells,
            "annual": annual,
            "assessed": assessed,
            "rateable": own_plan.state
            not in {SkpState.DRAFT, SkpState.SUBMITTED, SkpState.RETURNED},
            "objection_deadline": objection_deadline,
            "objection_open": annual.evaluation is not None
            and rules.objection_open(
                annual.evaluation.delivered_at, timezone.now(), cal.objection_days
            ),
        }

    pending = []
    if me is not None:
        pending = list(
            Objection.objects.filter(
                decider_id=me,
                decided_at__isnull=True,
                evaluation__in=Evaluation.objects.visible_to(user).values("pk"),
            )
            .select_related("evaluation__skp__employee")
            .order_by("filed_at")
        )
    developments = (
        list(
            DevelopmentPlan.objects.visible_to(user)
            .filter(Q(skp__employee_id=me) | Q(skp__rater_id=me), skp__year=year)
            .exclude(state=DevelopmentState.CLOSED)
            .select_related("skp__employee")
            .order_by("created_at")
        )
        if me is not None
        else []
    )

    monitors = scope.region_read or bool(scope.agencies_read) or bool(rated_plans)
    return render(
        request,
        "evaluations/home.html",
        {
            "year": year,
            "rows": rows,
            "rhythms_shown": [Rhythm(r).label for r in rhythms_shown],
            "own": own,
            "own_plan_url": my_plan_url(),
            "pending": pending,
            "developments": developments,
            "monitors": monitors,
            "led_units": _led_units(user, scope),
            "may_set_rhythm": scope.region_write
            or bool(scope.agencies_managed | scope.agencies_headed),
            "curve_units": _curve_units(user, scope),
            "years": range(year - 2, year + 2),
        },
    )


def _led_units(user, scope) -> list[Unit]:
    """The units whose head this person rates: the units whose predicate they set."""
    if scope.employee_id is None:
        return []
    chains = RaterChain.objects.filter(rater_id=scope.employee_id).select_related(
        "employee__position__reports_to", "employee__position__unit"
    )
    return units_headed_by_those_rated(scope.employee_id, chains)


def _curve_units(user, scope) -> list[Unit]:
    """Units whose curve this person may watch as the agency's head or administrator."""
    return _monitor_units(user, scope)


# --- The agency's rhythm ------------------------------------------------------------------------


def _may_set_rhythm(user, agency: Agency) -> bool:
    scope = scope_for(user)
    return scope.region_write or agency.pk in scope.agencies_managed | scope.agencies_headed


@require_http_methods(["GET", "POST"])
def rhythm(request):
    user = request.user
    scope = scope_for(user)
    code = request.GET.get("agency", "").strip().upper()
    agencies = Agency.objects.visible_to(user)
    if code:
        agency = agencies.filter(code=code).first()
    else:
        agency = agencies.filter(pk=scope.own_agency_id).first() if scope.own_agency_id else None
    if agency is None:
        raise Http404
    if not _may_set_rhythm(user, agency):
        raise PermissionDenied
    year = year_from(request.GET.get("year"))
    current = services.rhythm_of(agency, year)
    form = RhythmForm(request.POST or None, initial={"year": year, "rhythm": current})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.rhythm_set(
                agency=agency,
                year=form.cleaned_data["year"],
                rhythm=form.cleaned_data["rhythm"],
                by=user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(agency)s now evaluates %(rhythm)s from %(year)s.")
                % {
                    "agency": agency.name,
                    "rhythm": Rhythm(row.rhythm).label,
                    "year": row.valid_from,
                },
            )
            return redirect(
                f"{reverse('evaluations:rhythm')}?agency={agency.code}&year={row.valid_from}"
            )
    history = list(agency.rhythms.order_by("-valid_from"))
    return render(
        request,
        "evaluations/rhythm.html",
        {
            "agency": agency,
            "year": year,
            "current": Rhythm(current).label,
            "periods": periods_of(current, year),
            "form": form,
            "history": history,
        },
    )


# --- The organisation predicate and the curve ---------------------------------------------------


@dataclass
class CurveRow:
    predicate: str
    count: int
    share: float


@dataclass
class RuleRow:
    text: str
    broken: bool
    message: str = ""


def _may_watch_unit(user, unit: Unit) -> bool:
    scope = scope_for(user)
    if scope.region_read or unit.agency_id in scope.agencies_read:
        return True
    if services.may_set_org_predicate(user, unit):
        return True
    me = scope.employee_id
    return (
        me is not None
        and RaterChain.objects.filter(
            Q(rater_id=me) | Q(rater_superior_id=me), employee__unit=unit
        ).exists()
    )


def _rule_text(rule) -> str:
    group = " + ".join(rule.predicate_list)
    value = f"{rule.value.normalize():f}"
    texts = {
        "most": _("%(group)s is the most frequent predicate"),
        "max_pct": _("at most %(value)s %% %(group)s"),
        "min_pct": _("at least %(value)s %% %(group)s"),
        "min_count": _("at least %(value)s employee(s) %(group)s"),
        "max_count": _("at most %(value)s employee(s) %(group)s"),
    }
    return texts.get(rule.rule, rule.rule) % {"group": group, "value": value}


@require_GET
def unit_pick(request):
    """The unit and period chosen on the overview page, as the curve page's address."""
    code = request.GET.get("unit", "").strip().upper()
    unit = Unit.objects.visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    raw = request.GET.get("period", "").strip()
    if raw:
        period = period_or_404(raw)
    else:
        year = this_year()
        period = current_period(services.rhythm_of(unit.agency, year), year)
    return redirect("evaluations:unit", unit_code=unit.code, period=str(period))


@require_http_methods(["GET", "POST"])
def unit(request, unit_code: str, period: str):
    user = request.user
    unit = (
        Unit.objects.visible_to(user)
        .select_related("agency", "parent")
        .filter(code=unit_code.upper())
        .first()
    )
    if unit is None:
        raise Http404
    parsed = period_or_404(period)
    if not _may_watch_unit(user, unit):
        raise PermissionDenied
    may_set = services.may_set_org_predicate(user, unit)
    org = (
        OrgEvaluation.objects.filter(unit=unit, period=str(parsed)).select_related("set_by").first()
    )
    form = None
    if may_set:
        initial = {"predicate": org.predicate, "reason": org.reason} if org else None
        form = OrgPredicateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.org_predicate_set(
                    unit=unit, period=str(parsed), by=user, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("The predicate of %(unit)s for %(period)s is %(predicate)s.")
                    % {
                        "unit": unit.name,
                        "period": parsed.label,
                        "predicate": form.cleaned_data["predicate"],
                    },
                )
                return redirect("evaluations:unit", unit_code=unit.code, period=str(parsed))
    curve = selectors.unit_curve(unit, str(parsed))
    rows = [
        CurveRow(
            p,
            curve.counts.get(p, 0),
            curve.counts.get(p, 0) * 100 / curve.total if curve.total else 0,
        )
        for p in PREDICATE_ORDER
    ]
    rule_rows = []
    if curve.org_predicate:
        broken = {(w.predicates, w.rule, w.value): w.message for w in curve.warnings}
        for rule in rules.curve_rules(parsed.year).get(curve.org_predicate, []):
            key = (tuple(rule.predicate_list), rule.rule, rule.value)
            rule_rows.append(RuleRow(_rule_text(rule), key in broken, broken.get(key, "")))
    rhythm_now = services.rhythm_of(unit.agency, parsed.year)
    return render(
        request,
        "evaluations/unit.html",
        {
            "unit": unit,
            "period": parsed,
            "org": org,
            "form": form,
            "curve": curve,
            "rows": rows,
            "rule_rows": rule_rows,
            "periods": [*periods_of(rhythm_now, parsed.year), Period(parsed.year)],
            "completion_url": reverse("evaluations:completion")
            + f"?unit={unit.code}&year={parsed.year}&period={parsed}",
        },
    )


# --- The completion monitor ---------------------------------------------------------------------

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


def _descendants(unit: Unit) -> list[int]:
    children = defaultdict(list)
    for pk, parent in Unit.objects.filter(agency_id=unit.agency_id).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def _monitor_units(user, scope) -> list[Unit]:
    if scope.region_read:
        return list(Unit.objects.order_by("code")[:1000])
    if scope.agencies_read:
        return list(Unit.objects.filter(agency_id__in=scope.agencies_read).order_by("code"))
    return []


@require_GET
def completion(request):
    user = request.user
    scope = scope_for(user)
    me = scope.employee_id
    wide = scope.region_read or bool(scope.agencies_read)
    rates_someone = (
        me is not None
        and RaterChain.objects.filter(Q(rater_id=me) | Q(rater_superior_id=me)).exists()
    )
    if not wide and not rates_someone:
        raise PermissionDenied
    code = request.GET.get("unit", "").strip().upper()
    unit = None
    if code:
        unit = Unit.objects.visible_to(user).select_related("agency").filter(code=code).first()
        if unit is None:
            raise Http404
    year = year_from(request.GET.get("year"))
    agency = unit.agency if unit else Agency.objects.filter(pk=scope.own_agency_id).first()
    rhythm_now = services.rhythm_of(agency, year) if agency else Rhythm.QUARTERLY
    raw = request.GET.get("period", "").strip()
    try:
        period = parse_period(raw, kinds=ALL_KINDS) if raw else current_period(rhythm_now, year)
    except PeriodError as exc:
        period = current_period(rhythm_now, year)
        messages.error(request, str(exc))
    if period.year != year:
        period = current_period(rhythm_now, year)

    employees = Employee.objects.visible_to(user).filter(active=True)
    if unit is not None:
        employees = employees.filter(unit_id__in=_descendants(unit))
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
        # A rater (or the rater's superior) follows the people they rate.
        employees = employees.filter(
            Q(rater_chain__rater_id=me) | Q(rater_chain__rater_superior_id=me)
        )
    employees = employees.select_related("unit").order_by("unit__code", "name").distinct()
    found = selectors.completion(employees, year, str(period))
    labels = _status_labels()
    rows = []
    for item in found:
        status = _status(item)
        rows.append(
            MonitorRow(
                item.employee,
                item.skp,
                status,
                labels[status],
                rate_url=rate_url(item.skp.pk, period)
                if item.skp and item.skp.rater_id == me
                else None,
                plan_url=plan_url(item.skp.pk) if item.skp else None,
            )
        )
    summary = [
        Summary(key, labels[key], sum(1 for r in rows if r.status == key)) for key in STATUS_ORDER
    ]
    wanted = request.GET.get("status", "")
    shown = [r for r in rows if r.status == wanted] if wanted in labels else rows
    page = Paginator(shown, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/completion.html",
        {
            "unit": unit,
            "year": year,
            "period": period,
            "periods": [*periods_of(rhythm_now, year), Period(year)],
            "summary": summary,
            "total": len(rows),
            "page": page,
            "status": wanted if wanted in labels else "",
            "units": _monitor_units(user, scope),
            "query": f"unit={unit.code if unit else ''}&year={year}&period={period}",
        },
    )
