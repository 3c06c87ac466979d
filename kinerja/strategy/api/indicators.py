"""Reading indicators: the list and one indicator, with the year's targets, realisations,
achievement and band per quarter and month, and where a stream-bound indicator's values come
from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Schema

from kinerja.core.api import COMMON_ERRORS, ErrorOut, Number, Paging, Text, code_or_none, paginate
from kinerja.core.periods import this_year

from ..models import (
    Aggregation,
    DataSource,
    Indicator,
    LowerFormula,
    PeriodType,
    Polarity,
    RangeAbove,
    RealisationState,
)
from ..selectors import IndicatorResult, PeriodResult, Target, indicator_results
from .common import (
    INDICATOR_RELATED,
    YearField,
    YearFilter,
    operation_id,
    pct,
    quantity,
    router,
    visible_indicator,
)

BAND_DESCRIPTION = (
    "The band of the achievement in the year's table (by default Sangat Baik, Baik, Cukup, "
    "Kurang or Sangat Kurang); null when not measurable."
)


class QuarterOut(Schema):
    quarter: int = Field(..., description="1–4 (TW I–IV)")
    target: Number = Field(..., description="The quarter's own target (null for a range).")
    target_low: Number
    target_high: Number
    realisation: Number = Field(
        ..., description="The quarter's months combined (verified values only)."
    )
    achievement_pct: Number = Field(..., description="Null when not measurable.")
    band: str | None = Field(..., description=BAND_DESCRIPTION)


class MonthOut(Schema):
    period: str = Field(..., description="YYYY-MM")
    realisation: Number = Field(..., description="Entered, or computed for a formula.")
    state: RealisationState | None = Field(
        ..., description="Of the current record; null when none, or for a formula indicator."
    )
    id: int | None = Field(..., description="The current record (to verify it), or null.")
    counted: bool = Field(
        ...,
        description="Whether the month's value counts in the quarter's and the year's "
        "achievement: a verified value, or one from a stream or a formula. A value awaiting "
        "verification or returned for correction is shown here but not counted.",
    )


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    agency: str = Field(..., description="Agency code")
    strategic_target: str | None = Field(..., description="Code of the strategic target.")
    unit_of_measure: str
    polarity: Polarity
    aggregation: Aggregation
    period_type: PeriodType
    data_source: DataSource
    formula: str | None
    lower_formula: LowerFormula
    range_above: RangeAbove
    owner_unit: str | None = Field(..., description="Unit code")
    owner_position: str | None = Field(..., description="Position code")
    active: bool
    year: int
    target: Number = Field(..., description="The yearly target; null for a range indicator.")
    target_low: Number = Field(..., description="Lower bound of a range target, else null.")
    target_high: Number = Field(..., description="Upper bound of a range target, else null.")
    realisation: Number = Field(
        ..., description="The year's months combined (verified values only)."
    )
    achievement_pct: Number = Field(..., description="Null when not measurable.")
    band: str | None = Field(..., description=BAND_DESCRIPTION)
    quarters: list[QuarterOut] = Field(..., description="Always four, TW I–IV.")
    months: list[MonthOut] = Field(..., description="Always twelve, January–December.")
    provenance: ProvenanceOut | None = Field(
        None,
        description=(
            "Only for data source `stream` (absent otherwise): the stream metric that fills "
            "the values — computed when read, each month, quarter and the year over its own "
            "days — with the cases each figure rests on."
        ),
    )


class StreamRefOut(Schema):
    code: str
    name: str


class ProvenancePeriodOut(Schema):
    period: str = Field(..., description="YYYY-MM, YYYY-Qn or YYYY")
    start: date = Field(..., description="First day (inclusive), region time")
    end: date = Field(..., description="Last day (inclusive), region time")
    cases: int = Field(..., description="How many cases the period's figure rests on.")


class ProvenanceOut(Schema):
    """Where a stream-bound indicator's values come from."""

    stream: StreamRefOut
    metric: str = Field(..., description="A figure of GET /streams/{code}/metrics.")
    unit: str | None = Field(..., description="Unit code of the filter, or null.")
    officer: str | None = Field(
        ..., description="NIP of an individual filter; null when none or not visible to you."
    )
    individual: bool = Field(..., description="Filtered to one officer.")
    from_stage: str | None
    to_stage: str | None
    duration_unit: str | None = Field(..., description="minutes, hours or days (durations).")
    start: date = Field(..., description="The year's first day")
    end: date = Field(..., description="The year's last day")
    visible: bool = Field(
        ...,
        description=(
            "False for an officer's own figures when you are neither the officer nor in their "
            "rater chain: then no value, no case count and no time is given."
        ),
    )
    cases: int | None = Field(..., description="Cases the year's figure rests on.")
    computed_at: datetime | None = Field(..., description="When the values were computed.")
    periods: list[ProvenancePeriodOut] = Field(
        ..., description="Months, quarters and the year that have begun, with their cases."
    )


def _provenance(result: IndicatorResult) -> dict[str, Any] | None:
    bound = result.binding
    if bound is None:
        return None
    b = bound.binding
    periods = []
    if bound.visible:
        labelled = [(f"{result.year}-{m:02d}", bound.months.get(m)) for m in range(1, 13)]
        labelled += [(f"{result.year}-Q{q}", bound.quarters[q - 1]) for q in range(1, 5)]
        labelled.append((str(result.year), bound.annual))
        periods = [
            {"period": label, "start": f.start, "end": f.end, "cases": f.cases}
            for label, f in labelled
            if f is not None
        ]
    return {
        "stream": {"code": b.stream.code, "name": b.stream.name},
        "metric": b.metric,
        "unit": b.unit.code if b.unit_id else None,
        "officer": (b.officer or None) if bound.visible else None,
        "individual": b.individual,
        "from_stage": b.from_stage or None,
        "to_stage": b.to_stage or None,
        "duration_unit": b.duration_unit or None,
        "start": date(result.year, 1, 1),
        "end": date(result.year, 12, 31),
        "visible": bound.visible,
        "cases": bound.annual.cases if bound.visible and bound.annual else None,
        "computed_at": timezone.localtime(bound.computed_at) if bound.computed_at else None,
        "periods": periods,
    }


def _target_fields(target: Target | None) -> dict[str, float | None]:
    if target is None:
        return {"target": None, "target_low": None, "target_high": None}
    return {
        "target": quantity(target.value),
        "target_low": quantity(target.low),
        "target_high": quantity(target.high),
    }


def _outcome(result: PeriodResult) -> dict[str, Any]:
    return {
        "realisation": quantity(result.realisation),
        "achievement_pct": pct(result.achievement_pct),
        "band": result.band.label if result.band else None,
    }


def _indicator_row(ind: Indicator, result: IndicatorResult) -> dict[str, Any]:
    computed = ind.data_source != DataSource.MANUAL
    months = []
    for month in range(1, 13):
        record = None if computed else result.current.get(month)
        waiting = None if computed else result.uncounted(month)
        value = waiting.value if waiting is not None else result.months.get(month)
        months.append(
            {
                "period": f"{result.year}-{month:02d}",
                "realisation": quantity(value),
                "state": record.state if record else None,
                "id": record.pk if record else None,
                "counted": value is not None and waiting is None,
            }
        )
    return {
        "id": ind.pk,
        "code": ind.code,
        "name": ind.name,
        "agency": ind.agency.code,
        "strategic_target": code_or_none(ind.strategic_target),
        "unit_of_measure": ind.unit_of_measure,
        "polarity": ind.polarity,
        "aggregation": ind.aggregation,
        "period_type": ind.period_type,
        "data_source": ind.data_source,
        "formula": ind.formula or None,
        "lower_formula": ind.lower_formula,
        "range_above": ind.range_above,
        "owner_unit": code_or_none(ind.owner_unit),
        "owner_position": code_or_none(ind.owner_position),
        "active": ind.active,
        "year": result.year,
        **_target_fields(result.target),
        **_outcome(result.annual),
        "quarters": [
            {"quarter": number, **_target_fields(q.target), **_outcome(q)}
            for number, q in enumerate(result.quarters, start=1)
        ],
        "months": months,
        # Only a stream-bound indicator has one: the key is left out otherwise.
        **({"provenance": _provenance(result)} if result.binding is not None else {}),
    }


def rows(indicators: list[Indicator], year: int, viewer=None) -> list[dict[str, Any]]:
    """The representation of ``indicators`` in ``year``: one call of the selector for all."""
    results = indicator_results(indicators, year, viewer=viewer)
    return [_indicator_row(ind, results[ind.pk]) for ind in indicators]


class IndicatorFilters(Schema):
    year: int | None = YearField
    agency: Text | None = Field(None, description="Agency code")


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **COMMON_ERRORS},
    summary="Indicators with targets, realisations and achievement",
    operation_id=operation_id("indicator_list"),
    exclude_unset=True,  # ``provenance`` only for stream-bound indicators
)
def indicator_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[IndicatorFilters],
):
    """The indicators the caller may see (their agency's; every agency for regional readers),
    by agency and code, with the year's targets, combined realisations, achievement and band,
    per quarter and per month. ``agency`` narrows to one agency; an agency the caller cannot
    see gives an empty list, like an unknown code."""
    year = filters.year or this_year()
    indicators = Indicator.objects.visible_to(request.auth).select_related(*INDICATOR_RELATED)
    if filters.agency:
        indicators = indicators.filter(agency__code=filters.agency)
    # The page first, then the selector once for the whole page (a bounded number of queries).
    page = paginate(
        request, response, indicators.order_by("agency__code", "code"), paging, lambda i: i
    )
    return rows(page, year, request.auth)


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One indicator",
    operation_id=operation_id("indicator_detail"),
    exclude_unset=True,  # ``provenance`` only for stream-bound indicators
)
def indicator_detail(request: HttpRequest, indicator_id: int, filters: Query[YearFilter]):
    """One indicator with the year's targets, realisations and achievement; "not found" when
    the caller may not see it."""
    indicator = visible_indicator(request.auth, indicator_id)
    return rows([indicator], filters.year or this_year(), request.auth)[0]
