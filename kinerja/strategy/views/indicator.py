"""An indicator's page: its months with their values, history and evidence; entering a
value, adding evidence, verifying a value; downloading evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.downloads import stored_file_response
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import PeriodError, parse_period, year_filter
from kinerja.core.rules import achievement_rules

from .. import permissions, services
from ..forms import EvidenceForm, RealisationForm, VerifyForm, period_choices
from ..models import DataSource, Evidence, Indicator, Realisation, RealisationState
from ..selectors import IndicatorResult, indicator_results
from .common import INDICATOR_RELATED, indicator_url


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
    uncounted: bool = False  # the value awaits verification or was returned: not counted


def _visible_indicator(user, pk: int) -> Indicator:
    return visible_or_404(Indicator.objects.select_related(*INDICATOR_RELATED), user, pk=pk)


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


def _month_rows(
    user, indicator: Indicator, year: int, result: IndicatorResult, verify_forms: dict
) -> list[MonthRow]:
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
        if (waiting := result.uncounted(month)) is not None:
            row.value, row.uncounted = _stored_precision(waiting.value), True
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
    return rows


def _trend(result) -> dict | None:
    """The monthly values the page draws as a line (``strategy/trend.js``); none when no value
    is shown (hidden individual data, or no value yet)."""
    values = [result.months.get(m) for m in range(1, 13)]
    if result.hidden or all(v is None for v in values):
        return None
    return {
        "months": [f"{m:02d}/{result.year}" for m in range(1, 13)],
        "values": [None if v is None else float(v) for v in values],
        "unit": result.indicator.unit_of_measure,
    }


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
    rows = _month_rows(user, indicator, year, result, verify_forms or {})
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
            "trend": _trend(result),
        },
    )


@require_GET
def indicator(request, pk: int):
    indicator = _visible_indicator(request.user, pk)
    return _indicator_page(request, indicator, year_filter(request.GET.get("year")))


def _posted_year(request, field_name: str, indicator) -> int:
    """The year of the period a form posts (``YYYY-MM``), so that its choices match it — or
    the page's year when the posted one has no open period yet (January of next year, posted
    in December): the form is then shown again there, with the period refused on its field."""
    try:
        year = parse_period(request.POST.get(field_name, "")).year
    except PeriodError:
        return year_filter(request.GET.get("year"))
    if not _open_periods(indicator, year):
        return year_filter(request.GET.get("year"))
    return year


@require_POST
def realisation_add(request, pk: int):
    indicator = _visible_indicator(request.user, pk)
    year = _posted_year(request, "r-period", indicator)
    form = RealisationForm(request.POST, periods=_open_periods(indicator, year))
    if form.is_valid():
        period = parse_period(form.cleaned_data["period"])
        try:
            services.realisation_record(
                by=request.user,
                indicator=indicator,
                year=period.year,
                month=period.month,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                supporting=form.cleaned_data["supporting"],
                hindering=form.cleaned_data["hindering"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The value has been recorded; it awaits verification."))
            return redirect(indicator_url(indicator, period.year, f"month-{period.month}"))
    return _indicator_page(request, indicator, year, realisation_form=form)


@require_POST
def evidence_add(request, pk: int):
    indicator = _visible_indicator(request.user, pk)
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
                by=request.user,
                indicator=indicator,
                year=period.year,
                month=period.month,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The evidence has been stored."))
            return redirect(indicator_url(indicator, period.year, f"month-{period.month}"))
    return _indicator_page(request, indicator, year, evidence_form=form)


@require_POST
def realisation_verify(request, pk: int):
    user = request.user
    realisation = visible_or_404(
        Realisation.objects.select_related("indicator__agency"), user, pk=pk
    )
    form = VerifyForm(request.POST, prefix=f"v{realisation.pk}")
    if form.is_valid():
        accept = form.cleaned_data["action"] == "accept"
        try:
            services.realisation_verify(
                realisation=realisation, by=user, accept=accept, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if accept:
                messages.success(request, _("The value has been verified."))
            else:
                messages.success(request, _("The value has been returned for correction."))
            return redirect(
                indicator_url(realisation.indicator, realisation.year, f"month-{realisation.month}")
            )
    indicator = _visible_indicator(user, realisation.indicator_id)
    return _indicator_page(
        request, indicator, realisation.year, verify_forms={realisation.pk: form}
    )


@require_GET
def evidence(request, pk: int):
    """The stored file, as a download only: never shown inline, never sniffed."""
    return stored_file_response(visible_or_404(Evidence, request.user, pk=pk))
