"""Organisational performance pages: the agency overview, the performance tree (pohon
kinerja), the region's plan, goals and strategic targets, indicators with their realisations
and evidence, and the performance agreement (PK).

Views only parse, call and render: scoped objects come through their ``visible_to`` door
(404 otherwise), rights come from :mod:`.permissions` (403 otherwise), changes go through
:mod:`.services`, whose ``ValidationError`` is shown on the form that caused it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dates import MONTHS
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.downloads import stored_file_response
from kinerja.core.models import AchievementBand
from kinerja.core.periods import MAX_YEAR, MIN_YEAR, Period, PeriodError, parse_period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.models import Agency, Region
from kinerja.organizations.scope import scope_for

from . import permissions, services
from .forms import (
    AgreementActionForm,
    EvidenceForm,
    GoalForm,
    IndicatorForm,
    PlanForm,
    RealisationForm,
    StrategicTargetForm,
    TargetsForm,
    VerifyForm,
    period_choices,
)
from .models import (
    DataSource,
    Evidence,
    Goal,
    Indicator,
    PerformanceAgreement,
    Plan,
    Realisation,
    RealisationState,
    StrategicTarget,
)
from .selectors import (
    IndicatorResult,
    Target,
    indicator_results,
    performance_tree,
    plan_for_year,
)

# --- Small helpers -------------------------------------------------------------------------------


def _this_year() -> int:
    return timezone.localdate().year


def _year(raw: str | None, default: int | None = None) -> int:
    """The year asked for in a query string; an unreadable one means the default (these are
    filters of a page, not data: a wrong one shows the current year rather than an error)."""
    fallback = default or _this_year()
    try:
        year = int(raw or "")
    except ValueError:
        return fallback
    return year if MIN_YEAR <= year <= MAX_YEAR else fallback


def _visible_agencies(user) -> list[Agency]:
    return list(Agency.objects.visible_to(user).order_by("name"))


def _chosen_agency(request, agencies: list[Agency]) -> Agency:
    """``?agency=CODE`` among those visible (404 otherwise); by default one's own agency, or
    the first for the region's readers."""
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").strip().upper()
    if wanted:
        agency = next((a for a in agencies if a.code == wanted), None)
        if agency is None:
            raise Http404
        return agency
    own = scope_for(request.user).own_agency_id
    return next((a for a in agencies if a.pk == own), agencies[0])


def _agency_or_404(user, code: str) -> Agency:
    agency = Agency.objects.visible_to(user).filter(code=code.upper()).first()
    if agency is None:
        raise Http404
    return agency


def _indicator_or_404(user, pk: int) -> Indicator:
    indicator = (
        Indicator.objects.visible_to(user)
        .select_related(
            "agency",
            "strategic_target__goal__mission",
            "owner_unit",
            "owner_position",
            "metric_binding__stream",
            "metric_binding__unit",
        )
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def _errors_to_form(form, exc: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it (``fields`` renames service keys to form fields), otherwise above the form."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        name = fields.get(key, key)
        for error in errors:
            target = name
            if key == NON_FIELD_ERRORS and getattr(error, "code", "") == "unique_together":
                target = fields.get("unique_together")
            if target not in form.fields:
                target = None
            form.add_error(target, error.messages)


def _indicator_url(indicator: Indicator, year: int, anchor: str = "") -> str:
    url = f"{reverse('strategy:indicator', args=[indicator.pk])}?year={year}"
    return f"{url}#{anchor}" if anchor else url


# --- Band colours --------------------------------------------------------------------------------

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


@require_GET
def bands_css(request):
    """``.band-<slug> { --band-colour: #hex; }`` for every row of the band table, so that no
    template holds a colour (and the strict CSP needs no inline style). Rows are written in
    order of their year; a later year's colour for the same label wins."""
    lines = ["/* Achievement bands (core.AchievementBand), generated. */"]
    for band in AchievementBand.objects.order_by("valid_from", "-min_pct"):
        slug = slugify(band.label)
        # Only a plain hex colour reaches the stylesheet: the table is data, the CSS is code.
        if slug and _HEX_COLOUR.match(band.colour or ""):
            lines.append(f".band-{slug} {{ --band-colour: {band.colour}; }}")
    body = "\n".join(lines) + "\n"
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        return conditional
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=600"
    return response


# --- The overview --------------------------------------------------------------------------------


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
    agencies = _visible_agencies(user)
    agency = _chosen_agency(request, agencies)
    year = _year(request.GET.get("year"))
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
            "quarters": ["I", "II", "III", "IV"],
        },
    )


# --- The performance tree ------------------------------------------------------------------------


@require_GET
def tree(request):
    user = request.user
    agencies = _visible_agencies(user)
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").strip().upper()
    agency = None
    if wanted:
        agency = next((a for a in agencies if a.code == wanted), None)
        if agency is None:
            raise Http404
    year = _year(request.GET.get("year"))
    tw = request.GET.get("tw", "")
    quarter = int(tw) if tw in {"1", "2", "3", "4"} else None
    period = Period.of_quarter(year, quarter) if quarter else Period.of_year(year)
    plan = plan_for_year((agency or agencies[0]).region_id, year)
    root = None
    if plan is not None:
        root = performance_tree(
            user, plan=plan, period=period, agency_ids=[agency.pk] if agency else None
        )
    return render(
        request,
        "strategy/tree.html",
        {
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "tw": str(quarter or ""),
            "period": period,
            "plan": plan,
            "root": root,
            "bands": achievement_rules(year).bands,
            "periods": [("", _("the whole year"))]
            + [(str(q), f"TW {r}") for q, r in enumerate(["I", "II", "III", "IV"], start=1)],
        },
    )


# --- The region's plan ---------------------------------------------------------------------------


@require_GET
def plan(request):
    plans = list(Plan.objects.prefetch_related("missions").order_by("-start_year"))
    current = plan_for_year(None, _this_year())
    return render(
        request,
        "strategy/plan.html",
        {
            "plans": plans,
            "current": current,
            "can_edit": permissions.can_edit_plan(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request):
    if not permissions.can_edit_plan(request.user):
        raise PermissionDenied
    plan = None
    raw = request.GET.get("plan", "")
    if raw:
        plan = Plan.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if plan is None:
            raise Http404
    initial = {}
    if plan is not None:
        initial = {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "vision": plan.vision,
            "missions": "\n".join(m.text for m in plan.missions.all()),
        }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region = plan.region if plan else Region.objects.order_by("pk").first()
        if region is None:
            form.add_error(None, _("Record the region first (kinerja region set)."))
        else:
            try:
                services.plan_save(region=region, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc, fields={"unique_together": "start_year"})
            else:
                messages.success(request, _("The regional plan has been saved and recorded."))
                return redirect("strategy:plan")
    return render(request, "strategy/plan_form.html", {"form": form, "plan": plan})


# --- Goals and strategic targets -----------------------------------------------------------------


def _pk(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@require_http_methods(["GET", "POST"])
def goals(request, agency: str):
    user = request.user
    agency = _agency_or_404(user, agency)
    can_manage = permissions.can_manage(user, agency.pk)
    goal_qs = Goal.objects.visible_to(user).filter(agency=agency)
    edit_goal = edit_target = None
    if (pk := _pk(request.GET.get("goal"))) is not None:
        edit_goal = goal_qs.filter(pk=pk).first()
        if edit_goal is None:
            raise Http404
    if (pk := _pk(request.GET.get("target"))) is not None:
        edit_target = StrategicTarget.objects.visible_to(user).filter(agency=agency, pk=pk).first()
        if edit_target is None:
            raise Http404
    if (edit_goal or edit_target or request.method == "POST") and not can_manage:
        raise PermissionDenied
    which = request.POST.get("form") if request.method == "POST" else None
    goal_initial = (
        {"mission": edit_goal.mission_id, "code": edit_goal.code, "text": edit_goal.text}
        if edit_goal
        else None
    )
    target_initial = (
        {"goal": edit_target.goal_id, "code": edit_target.code, "text": edit_target.text}
        if edit_target
        else None
    )
    goal_form = GoalForm(request.POST if which == "goal" else None, initial=goal_initial)
    target_form = StrategicTargetForm(
        request.POST if which == "target" else None,
        initial=target_initial,
        goals=goal_qs.order_by("code"),
    )
    if which == "goal" and goal_form.is_valid():
        try:
            services.goal_save(
                agency=agency,
                goal=edit_goal,
                mission=goal_form.cleaned_data["mission"],
                code=goal_form.cleaned_data["code"],
                text=goal_form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _errors_to_form(goal_form, exc, fields={"unique_together": "code"})
        else:
            messages.success(request, _("The goal has been saved and recorded."))
            return redirect("strategy:goals", agency=agency.code)
    elif which == "target" and target_form.is_valid():
        try:
            services.strategic_target_save(
                goal=target_form.cleaned_data["goal"],
                target=edit_target,
                code=target_form.cleaned_data["code"],
                text=target_form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _errors_to_form(target_form, exc, fields={"unique_together": "code"})
        else:
            messages.success(request, _("The strategic target has been saved and recorded."))
            return redirect("strategy:goals", agency=agency.code)
    elif request.method == "POST" and which not in {"goal", "target"}:
        return HttpResponseBadRequest()
    rows = list(
        goal_qs.select_related("mission__plan")
        .prefetch_related(Prefetch("targets", queryset=StrategicTarget.objects.order_by("code")))
        .order_by("code")
    )
    return render(
        request,
        "strategy/goals.html",
        {
            "agency": agency,
            "goals": rows,
            "can_manage": can_manage,
            "goal_form": goal_form,
            "target_form": target_form,
            "edit_goal": edit_goal,
            "edit_target": edit_target,
            "year": _this_year(),
        },
    )


# --- Indicators: the form ------------------------------------------------------------------------


def _indicator_form(request, agency: Agency, indicator: Indicator | None):
    form = IndicatorForm(request.POST or None, instance=indicator, agency=agency, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.INDICATOR_FIELDS}
        try:
            saved = services.indicator_save(
                agency=agency, values=values, indicator=indicator, binding=form.binding()
            )
        except ValidationError as exc:
            _errors_to_form(
                form, exc, fields={"unique_together": "code", **IndicatorForm.BINDING_FORM_FIELDS}
            )
        else:
            messages.success(request, _("The indicator has been saved and recorded."))
            return redirect(_indicator_url(saved, _this_year()))
    return render(
        request,
        "strategy/indicator_form.html",
        {"form": form, "agency": agency, "indicator": indicator},
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request, agency: str):
    agency = _agency_or_404(request.user, agency)
    if not permissions.can_manage(request.user, agency.pk):
        raise PermissionDenied
    return _indicator_form(request, agency, None)


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = _indicator_or_404(request.user, pk)
    if not permissions.can_manage(request.user, indicator.agency_id):
        raise PermissionDenied
    return _indicator_form(request, indicator.agency, indicator)


# --- Indicators: the page, realisations, evidence, verification ----------------------------------


@dataclass
class MonthRow:
    month: int
    label: str
    value: Decimal | None  # the current value, or the computed one of a formula
    current: Realisation | None
    history: list[Realisation]  # superseded values, newest first
    evidence: list[Evidence]
    can_verify: bool = False
    verify_form: VerifyForm | None = None
    cases: int | None = None  # a stream-bound value: how many cases it rests on


def _stored_precision(value: Decimal | None) -> Decimal | None:
    """A formula's value to the four decimals a stored value has (for display)."""
    return None if value is None else value.quantize(Decimal("0.0001"))


def _reporting_months(indicator: Indicator) -> list[int]:
    if indicator.data_source != DataSource.MANUAL:
        return list(range(1, 13))
    return sorted(services.PERIOD_MONTHS[indicator.period_type])


def _open_periods(indicator: Indicator, year: int) -> list[tuple[str, str]]:
    """The months a value may be entered for: of the indicator's period type, not ahead."""
    today = timezone.localdate()
    months = [m for m in _reporting_months(indicator) if (year, m) <= (today.year, today.month)]
    return period_choices(year, months)


def _indicator_page(
    request,
    indicator: Indicator,
    year: int,
    *,
    realisation_form: RealisationForm | None = None,
    evidence_form: EvidenceForm | None = None,
    verify_forms: dict[int, VerifyForm] | None = None,
):
    user = request.user
    result = indicator_results([indicator], year, viewer=user)[indicator.pk]
    records = list(
        Realisation.objects.visible_to(user)
        .filter(indicator=indicator, year=year)
        .select_related("entered_by__employee", "verified_by__employee")
        .order_by("month", "-entered_at", "-pk")
    )
    files = list(
        Evidence.objects.visible_to(user)
        .filter(indicator=indicator, year=year)
        .select_related("uploaded_by__employee")
        .order_by("month", "uploaded_at", "pk")
    )
    verify_forms = verify_forms or {}
    # can_verify depends on the indicator and on who entered the value: ask once per person.
    verify_memo: dict[int | None, bool] = {}
    rows = []
    for month in _reporting_months(indicator):
        current = next((r for r in records if r.month == month and r.superseded_at is None), None)
        row = MonthRow(
            month=month,
            label=f"{MONTHS[month]} {year}",
            value=_stored_precision(result.months.get(month)),
            current=current,
            history=[r for r in records if r.month == month and r.superseded_at is not None],
            evidence=[e for e in files if e.month == month],
        )
        if result.binding is not None and result.binding.months.get(month) is not None:
            row.cases = result.binding.months[month].cases
        if current is not None and current.state == RealisationState.SUBMITTED:
            current.indicator = indicator
            if current.entered_by_id not in verify_memo:
                verify_memo[current.entered_by_id] = permissions.can_verify(user, current)
            row.can_verify = verify_memo[current.entered_by_id]
            if row.can_verify:
                row.verify_form = verify_forms.get(current.pk) or VerifyForm(
                    prefix=f"v{current.pk}"
                )
        rows.append(row)
    manual = indicator.data_source == DataSource.MANUAL
    can_enter = manual and indicator.active and permissions.can_enter_realisation(user, indicator)
    periods = _open_periods(indicator, year) if can_enter else []
    if can_enter and periods:
        realisation_form = realisation_form or RealisationForm(
            periods=periods, initial={"period": periods[-1][0]}
        )
        evidence_form = evidence_form or EvidenceForm(
            periods=periods,
            max_mb=settings.KINERJA_MAX_EVIDENCE_MB,
            initial={"period": periods[-1][0]},
        )
    return render(
        request,
        "strategy/indicator.html",
        {
            "indicator": indicator,
            "year": year,
            "result": result,
            "rows": rows,
            "manual": manual,
            "bound": result.binding,
            "can_enter": can_enter,
            "can_manage": permissions.can_manage(user, indicator.agency_id),
            "realisation_form": realisation_form if can_enter and periods else None,
            "evidence_form": evidence_form if can_enter and periods else None,
            "bands": achievement_rules(year).bands,
        },
    )


@require_GET
def indicator(request, pk: int):
    indicator = _indicator_or_404(request.user, pk)
    return _indicator_page(request, indicator, _year(request.GET.get("year")))


def _posted_year(request, field_name: str, indicator) -> int:
    """The year of the period a form posts (``YYYY-MM``), so that its choices match it — or
    the page's year when the posted one has no open period yet (January of next year, posted
    in December): the form is then shown again there, with the period refused on its field."""
    try:
        year = parse_period(request.POST.get(field_name, "")).year
    except PeriodError:
        return _year(request.GET.get("year"))
    if not _open_periods(indicator, year):
        return _year(request.GET.get("year"))
    return year


@require_POST
def realisation_add(request, pk: int):
    user = request.user
    indicator = _indicator_or_404(user, pk)
    if not permissions.can_enter_realisation(user, indicator):
        raise PermissionDenied
    year = _posted_year(request, "r-period", indicator)
    form = RealisationForm(request.POST, periods=_open_periods(indicator, year))
    if form.is_valid():
        period = parse_period(form.cleaned_data["period"])
        try:
            services.realisation_record(
                indicator=indicator,
                year=period.year,
                month=period.month,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                supporting=form.cleaned_data["supporting"],
                hindering=form.cleaned_data["hindering"],
                by=user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The value has been recorded; it awaits verification."))
            return redirect(_indicator_url(indicator, period.year, f"month-{period.month}"))
    return _indicator_page(request, indicator, year, realisation_form=form)


@require_POST
def evidence_add(request, pk: int):
    user = request.user
    indicator = _indicator_or_404(user, pk)
    if not permissions.can_enter_realisation(user, indicator):
        raise PermissionDenied
    year = _posted_year(request, "e-period", indicator)
    form = EvidenceForm(
        request.POST,
        request.FILES,
        periods=_open_periods(indicator, year),
        max_mb=settings.KINERJA_MAX_EVIDENCE_MB,
    )
    if form.is_valid():
        period = parse_period(form.cleaned_data["period"])
        try:
            services.evidence_add(
                indicator=indicator,
                year=period.year,
                month=period.month,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The evidence has been stored."))
            return redirect(_indicator_url(indicator, period.year, f"month-{period.month}"))
    return _indicator_page(request, indicator, year, evidence_form=form)


@require_POST
def realisation_verify(request, pk: int):
    user = request.user
    realisation = (
        Realisation.objects.visible_to(user)
        .select_related("indicator__agency")
        .filter(pk=pk)
        .first()
    )
    if realisation is None:
        raise Http404
    if not permissions.can_verify(user, realisation):
        raise PermissionDenied
    form = VerifyForm(request.POST, prefix=f"v{realisation.pk}")
    if form.is_valid():
        accept = form.cleaned_data["action"] == "accept"
        try:
            services.realisation_verify(
                realisation=realisation, by=user, accept=accept, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if accept:
                messages.success(request, _("The value has been verified."))
            else:
                messages.success(request, _("The value has been returned for correction."))
            return redirect(
                _indicator_url(
                    realisation.indicator, realisation.year, f"month-{realisation.month}"
                )
            )
    indicator = _indicator_or_404(user, realisation.indicator_id)
    return _indicator_page(
        request, indicator, realisation.year, verify_forms={realisation.pk: form}
    )


@require_GET
def evidence(request, pk: int):
    """The stored file, as a download only: never shown inline, never sniffed."""
    item = Evidence.objects.visible_to(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return stored_file_response(item)


# --- The performance agreement (PK) --------------------------------------------------------------


class _Undo(Exception):
    """Raised inside the save of all targets to roll every row back when one is refused."""


def _save_targets(form: TargetsForm, year: int) -> int | None:
    """Set every filled row through services.target_set, all or nothing; the number saved,
    or ``None`` with the errors put on their rows."""
    rows = form.targets()
    failed = False
    try:
        with transaction.atomic():
            for indicator, kwargs in rows:
                try:
                    services.target_set(indicator=indicator, year=year, **kwargs)
                except ValidationError as exc:
                    failed = True
                    if not hasattr(exc, "error_dict"):
                        form.add_error(None, exc.messages)
                        continue
                    for key, errors in exc.message_dict.items():
                        where = "quarters" if key == "quarterly_targets" else "target"
                        form.add_row_error(indicator, errors, where)
            if failed:
                raise _Undo
    except _Undo:
        return None
    return len(rows)


def _snapshot_rows(targets: dict) -> list[tuple[str, Target | None, list[Target | None]]]:
    """An AgreementEvent's targets (code → stored JSON, decimals as strings) for the history."""

    def number(raw) -> Decimal | None:
        return None if raw in (None, "") else Decimal(str(raw))

    def target(value, low, high) -> Target | None:
        found = Target(number(value), number(low), number(high))
        return found if found.is_set else None

    rows = []
    for code in sorted(targets):
        item = targets[code] or {}
        quarters = {q[0]: target(*q[1:4]) for q in item.get("quarters", []) if len(q) == 4}
        rows.append(
            (
                code,
                target(item.get("value"), item.get("low"), item.get("high")),
                [quarters.get(q) for q in range(1, 5)],
            )
        )
    return rows


@require_http_methods(["GET", "POST"])
def agreement(request, agency: str, year: int):
    user = request.user
    agency = _agency_or_404(user, agency)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    pk_agreement = PerformanceAgreement.objects.visible_to(user).filter(agency=agency, year=year)
    pk_agreement = pk_agreement.select_related("agreed_by__employee").first()
    indicators = list(
        Indicator.objects.visible_to(user).filter(agency=agency, active=True).order_by("code")
    )
    results = indicator_results(indicators, year, viewer=user)
    can_manage = permissions.can_manage(user, agency.pk)
    can_agree = pk_agreement is not None and permissions.can_agree(user, pk_agreement)
    editable = pk_agreement is None or pk_agreement.editable
    current = {pk: (r.target, [q.target for q in r.quarters]) for pk, r in results.items()}
    targets_form = None
    action_form = AgreementActionForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "save":
            if not can_manage:
                raise PermissionDenied
            targets_form = TargetsForm(request.POST, indicators=indicators, current=current)
            if not editable:
                targets_form.add_error(
                    None, _("The agreement is no longer a draft; reopen it to change targets.")
                )
            elif targets_form.is_valid():
                saved = _save_targets(targets_form, year)
                if saved is not None:
                    if saved:
                        messages.success(request, _("The targets have been saved and recorded."))
                    else:
                        messages.info(request, _("Nothing was filled in."))
                    return redirect("strategy:agreement", agency=agency.code, year=year)
        elif action in services.TRANSITIONS:
            allowed = can_manage if action in {"submit", "reopen"} else can_agree
            if not allowed:
                raise PermissionDenied
            action_form = AgreementActionForm(request.POST)
            if action_form.is_valid():
                if pk_agreement is None:
                    action_form.add_error(None, _("Set at least one target before submitting."))
                else:
                    try:
                        services.agreement_transition(
                            agreement=pk_agreement,
                            action=action,
                            by=user,
                            note=action_form.cleaned_data["note"],
                        )
                    except ValidationError as exc:
                        _errors_to_form(action_form, exc)
                    else:
                        messages.success(request, _("The agreement has been updated."))
                        return redirect("strategy:agreement", agency=agency.code, year=year)
        else:
            return HttpResponseBadRequest()
    if targets_form is None and editable and can_manage:
        targets_form = TargetsForm(indicators=indicators, current=current)
    events = []
    if pk_agreement is not None:
        events = [
            (event, _snapshot_rows(event.targets))
            for event in pk_agreement.events.select_related("by__employee").order_by("at", "pk")
        ]
    state = pk_agreement.state if pk_agreement else "draft"
    return render(
        request,
        "strategy/agreement.html",
        {
            "agency": agency,
            "year": year,
            "agreement": pk_agreement,
            "state": state,
            "results": [results[ind.pk] for ind in indicators],
            "targets_form": targets_form,
            "target_rows": targets_form.rows() if targets_form else [],
            "action_form": action_form,
            "events": events,
            "can_manage": can_manage,
            "can_agree": can_agree,
            "editable": editable,
            "can_submit": can_manage and state in {"draft", "returned"},
            "can_decide": can_agree and state == "submitted",
            "can_reopen": can_manage and state == "agreed",
            "quarters": ["I", "II", "III", "IV"],
        },
    )
