"""API of organisational performance: indicators with their targets, realisations and
achievement, creating indicators, entering and verifying realisations.

Everything goes through the one door: ``Indicator.objects.visible_to(user)`` and
``Realisation.objects.visible_to(user)``; an indicator or a realisation the caller may not see
is "not found", exactly like one that does not exist. Rights come from
:mod:`kinerja.strategy.permissions`; the changes themselves are the operations of
:mod:`kinerja.strategy.services` (which validate and write the audit trail).

Numbers
    Targets and realisations go out as JSON numbers rounded to 4 decimals, achievements to 2
    (half up), with no trailing zeros: ``16.6667``, ``100``. They come in as JSON numbers or
    decimal strings (``12.5``, ``"12.5"``, ``"12,5"``; at most 4 decimals) and are stored as
    decimals, so ``0.1`` is stored as exactly 0.1.

Answers that are not obvious
    * ``POST /indicators`` answers **409** ``{"error"}`` when the year's performance agreement
      is submitted or agreed (targets are frozen then; reopen the agreement first). The
      indicator is not created either: indicator and target are one transaction.
    * ``POST /indicators/{id}/realisations`` answers **200** with the current record when it
      already holds exactly this value and these texts (a resend changes nothing), **201** for
      a new value or a correction (``corrects`` names the superseded record).
    * ``POST /realisations/{id}/verify`` answers **409** when the record was superseded or is
      no longer awaiting verification.
    * A body field the service refuses is named as sent; a rule that concerns the indicator as
      a whole (computed by a formula, no longer active) is reported on the field
      ``indicator``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from kinerja.core.api import (
    COMMON_ERRORS,
    ErrorOut,
    Line,
    Number,
    NumberIn,
    Paging,
    Paragraph,
    Text,
    code_or_none,
    invalid,
    number,
    paginate,
    service_errors,
)
from kinerja.core.numbers import NumberError, optional_decimal, to_decimal
from kinerja.core.periods import PeriodError, parse_period
from kinerja.organizations.models import Agency, Position, Unit

from . import permissions, services
from .models import (
    Aggregation,
    DataSource,
    Indicator,
    LowerFormula,
    PeriodType,
    Polarity,
    RangeAbove,
    Realisation,
    RealisationState,
    StrategicTarget,
)
from .selectors import IndicatorResult, PeriodResult, Target, indicator_results

router = Router(tags=["performance"])

INDICATOR_RELATED = ("agency", "strategic_target", "owner_unit", "owner_position")
REALISATION_PLACES = 4
ACHIEVEMENT_PLACES = 2
# --- Numbers out ----------------------------------------------------------------------------------


def _quantity(value: Decimal | None) -> float | None:
    return number(value, REALISATION_PLACES)


def _pct(value: Decimal | None) -> float | None:
    return number(value, ACHIEVEMENT_PLACES)


# --- Text in --------------------------------------------------------------------------------------


QuarterTargetsIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [{"type": "array", "minItems": 4, "maxItems": 4}, {"type": "null"}],
            "description": (
                "The targets of TW I–IV: four numbers, or for a range indicator four "
                "[low, high] pairs; null for a quarter without a target."
            ),
            "examples": [[2, 4, 6, 8], [[80, 90], [80, 90], None, [85, 95]]],
        }
    ),
]


# --- Errors ---------------------------------------------------------------------------------------


# --- Indicators out -------------------------------------------------------------------------------

BAND_DESCRIPTION = (
    "The band of the achievement in the year's table (by default Sangat Baik, Baik, Cukup, "
    "Kurang or Sangat Kurang); null when not measurable."
)


class QuarterOut(Schema):
    quarter: int = Field(..., description="1–4 (TW I–IV)")
    target: Number = Field(..., description="The quarter's own target (null for a range).")
    target_low: Number
    target_high: Number
    realisation: Number = Field(..., description="The quarter's months combined.")
    achievement_pct: Number = Field(..., description="Null when not measurable.")
    band: str | None = Field(..., description=BAND_DESCRIPTION)


class MonthOut(Schema):
    period: str = Field(..., description="YYYY-MM")
    realisation: Number = Field(..., description="Entered, or computed for a formula.")
    state: RealisationState | None = Field(
        ..., description="Of the current record; null when none, or for a formula indicator."
    )
    id: int | None = Field(..., description="The current record (to verify it), or null.")


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
    realisation: Number = Field(..., description="The year's months combined.")
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
        "target": _quantity(target.value),
        "target_low": _quantity(target.low),
        "target_high": _quantity(target.high),
    }


def _outcome(result: PeriodResult) -> dict[str, Any]:
    return {
        "realisation": _quantity(result.realisation),
        "achievement_pct": _pct(result.achievement_pct),
        "band": result.band.label if result.band else None,
    }


def _indicator_row(ind: Indicator, result: IndicatorResult) -> dict[str, Any]:
    computed = ind.data_source != DataSource.MANUAL
    months = []
    for month in range(1, 13):
        record = None if computed else result.current.get(month)
        months.append(
            {
                "period": f"{result.year}-{month:02d}",
                "realisation": _quantity(result.months.get(month)),
                "state": record.state if record else None,
                "id": record.pk if record else None,
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


def _rows(indicators: list[Indicator], year: int, viewer=None) -> list[dict[str, Any]]:
    """The representation of ``indicators`` in ``year``: one call of the selector for all."""
    results = indicator_results(indicators, year, viewer=viewer)
    return [_indicator_row(ind, results[ind.pk]) for ind in indicators]


def _this_year() -> int:
    return timezone.localdate().year  # the region's calendar (WIB), not UTC's


def _visible_indicator(user, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.visible_to(user)
        .select_related(*INDICATOR_RELATED)
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None:
        raise HttpError(404, _("Indicator not found."))
    return indicator


YearField = Field(
    None, ge=2000, le=2100, description="The performance year; default: this year (WIB)."
)


class IndicatorFilters(Schema):
    year: int | None = YearField
    agency: Text | None = Field(None, description="Agency code")


class YearFilter(Schema):
    year: int | None = YearField


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **COMMON_ERRORS},
    summary="Indicators with targets, realisations and achievement",
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
    year = filters.year or _this_year()
    indicators = Indicator.objects.visible_to(request.auth).select_related(*INDICATOR_RELATED)
    if filters.agency:
        indicators = indicators.filter(agency__code=filters.agency)
    # The page first, then the selector once for the whole page (a bounded number of queries).
    page = paginate(
        request, response, indicators.order_by("agency__code", "code"), paging, lambda i: i
    )
    return _rows(page, year, request.auth)


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One indicator",
    exclude_unset=True,  # ``provenance`` only for stream-bound indicators
)
def indicator_detail(request: HttpRequest, indicator_id: int, filters: Query[YearFilter]):
    """One indicator with the year's targets, realisations and achievement; "not found" when
    the caller may not see it."""
    indicator = _visible_indicator(request.auth, indicator_id)
    return _rows([indicator], filters.year or _this_year(), request.auth)[0]


# --- Creating an indicator ------------------------------------------------------------------------


def _parse_quarters(raw: Any, *, is_range: bool, errors: list) -> list | None:
    """Four quarterly targets as the service takes them: Decimal or None, or for a range
    ``(low, high)`` or None."""
    if raw is None:
        return None
    shape = (
        _("Give four [low, high] pairs (TW I–IV), null for a quarter without a target.")
        if is_range
        else _("Give four numbers (TW I–IV), null for a quarter without a target.")
    )
    if not isinstance(raw, list) or len(raw) != 4:
        errors.append(("quarterly_targets", shape))
        return None
    parsed: list = []
    for index, item in enumerate(raw):
        field = f"quarterly_targets.{index}"
        if item is None:
            parsed.append(None)
        elif is_range:
            if not isinstance(item, list) or len(item) != 2:
                errors.append((field, _("Give the range as [low, high], e.g. [80, 90].")))
                continue
            try:
                parsed.append((to_decimal(item[0]), to_decimal(item[1])))
            except NumberError as exc:
                errors.append((field, str(exc)))
        else:
            try:
                parsed.append(to_decimal(item))
            except NumberError as exc:
                errors.append((field, str(exc)))
    return parsed


def _lookup(queryset, code: str | None, field: str, message: str, errors: list):
    if not code:
        return None
    found = queryset.filter(code=code.strip().upper()).first()
    if found is None:
        errors.append((field, message))
    return found


def _range_target_field(errors, *, value, low, high):
    """The service reports a bad range on ``target``; name the field the caller got wrong."""
    renamed = []
    for field, message in errors:
        if field == "target" and value is None:
            field = (
                "target_low" if low is None or (high is not None and low > high) else "target_high"
            )
        renamed.append((field, message))
    return renamed


@router.post(
    "/indicators",
    response={201: IndicatorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Create an indicator with its target",
    exclude_unset=True,  # ``provenance`` only for stream-bound indicators
)
def indicator_create(
    request: HttpRequest,
    code: Annotated[Line, Body(description="Unique in the agency, e.g. IKU-01")],
    name: Annotated[Line, Body(description="e.g. Waktu respon penanganan kegawatdaruratan")],
    agency: Annotated[Line, Body(description="Agency code, e.g. DINKES")],
    unit_of_measure: Annotated[Line, Body(description="e.g. menit, jam, %, orang")],
    polarity: Annotated[Polarity, Body()],
    aggregation: Annotated[Aggregation, Body(description="How the months combine.")],
    year: Annotated[int, Body(ge=2000, le=2100, description="Year of the target.")],
    period_type: Annotated[PeriodType, Body()] = PeriodType.MONTHLY,
    # Body(None): ninja loses the signature's default when the type is itself Annotated.
    target: Annotated[NumberIn, Body(None)] = None,
    target_low: Annotated[NumberIn, Body(None)] = None,
    target_high: Annotated[NumberIn, Body(None)] = None,
    quarterly_targets: Annotated[QuarterTargetsIn, Body(None)] = None,
    formula: Annotated[
        Line | None,
        Body(description="Makes the indicator computed, e.g. {IKU-01} / {IKU-02} * 100"),
    ] = None,
    strategic_target: Annotated[
        Line | None, Body(description="Code in the agency, e.g. S1.1")
    ] = None,
    owner_unit: Annotated[Line | None, Body(description="Unit code")] = None,
    owner_position: Annotated[
        Line | None, Body(description="Position code; its holder enters the realisations")
    ] = None,
    lower_formula: Annotated[LowerFormula, Body()] = LowerFormula.STANDARD,
    range_above: Annotated[RangeAbove, Body()] = RangeAbove.PENALIZE,
):
    """Create an indicator of an agency and, when a target is given, its yearly and quarterly
    targets for ``year`` — in one transaction. Only the agency's Pengelola Kinerja and Admin
    BKPSDM may (403 otherwise); an agency the caller cannot see is an unknown agency (422).
    Targets can be set only while the year's agreement is a draft or was returned (409)."""
    user = request.auth
    found = Agency.objects.visible_to(user).filter(code=agency.strip()).first()
    if found is None:
        raise invalid([("agency", _("Unknown agency."))])
    if not permissions.can_manage(user, found.pk):
        raise HttpError(403, _("Only the agency's performance administrators may do this."))

    errors: list[tuple[str, str]] = []
    numbers = {}
    for field, raw in (
        ("target", target),
        ("target_low", target_low),
        ("target_high", target_high),
    ):
        try:
            numbers[field] = optional_decimal(raw)
        except NumberError as exc:
            errors.append((field, str(exc)))
    quarters = _parse_quarters(
        quarterly_targets, is_range=polarity == Polarity.RANGE, errors=errors
    )
    related = {
        "strategic_target": _lookup(
            StrategicTarget.objects.visible_to(user).filter(agency=found),
            strategic_target,
            "strategic_target",
            _("No strategic target with this code in the agency."),
            errors,
        ),
        "owner_unit": _lookup(
            Unit.objects.visible_to(user).filter(agency=found),
            owner_unit,
            "owner_unit",
            _("No unit with this code in the agency."),
            errors,
        ),
        "owner_position": _lookup(
            Position.objects.visible_to(user).filter(unit__agency=found),
            owner_position,
            "owner_position",
            _("No position with this code in the agency."),
            errors,
        ),
    }
    if Indicator.objects.editable_by(user).filter(agency=found, code=code.strip().upper()).exists():
        errors.append(("code", _("The agency already has an indicator with this code.")))
    if errors:
        raise invalid(errors)

    wants_target = quarters is not None or any(v is not None for v in numbers.values())
    values = {
        "code": code,
        "name": name,
        "unit_of_measure": unit_of_measure.strip(),
        "polarity": polarity,
        "aggregation": aggregation,
        "period_type": period_type,
        "data_source": DataSource.FORMULA if (formula or "").strip() else DataSource.MANUAL,
        "formula": formula or "",
        "lower_formula": lower_formula,
        "range_above": range_above,
        **related,
    }
    try:
        with transaction.atomic():
            indicator = services.indicator_save(agency=found, values=values)
            if wants_target:
                try:
                    services.target_set(
                        indicator=indicator,
                        year=year,
                        value=numbers["target"],
                        low=numbers["target_low"],
                        high=numbers["target_high"],
                        quarters=quarters,
                    )
                except DjangoValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        # Its only rule without a field: the year's agreement is submitted or
                        # agreed, so targets are frozen. Leaving the block undoes the indicator.
                        raise HttpError(409, " ".join(exc.messages)) from None
                    problems = service_errors(exc, general="target")
                    if polarity == Polarity.RANGE:
                        problems = _range_target_field(
                            problems,
                            value=numbers["target"],
                            low=numbers["target_low"],
                            high=numbers["target_high"],
                        )
                    raise invalid(problems) from None
    except DjangoValidationError as exc:
        # indicator_save's only rule on several fields is the code's uniqueness in the agency.
        raise invalid(service_errors(exc, general="code")) from None
    indicator = Indicator.objects.select_related(*INDICATOR_RELATED).get(pk=indicator.pk)
    return Status(201, _rows([indicator], year, user)[0])


# --- Realisations ---------------------------------------------------------------------------------


class RealisationOut(Schema):
    id: int
    indicator: int = Field(..., description="Id of the indicator.")
    period: str = Field(..., description="YYYY-MM")
    value: Number
    note: str
    supporting: str = Field(..., description="What helped.")
    hindering: str = Field(..., description="What hindered.")
    state: RealisationState
    corrects: int | None = Field(..., description="Id of the record this one superseded.")
    superseded_at: str | None = Field(
        ..., description="When a correction replaced this record (ISO 8601, WIB); null if current."
    )
    entered_by: str | None = Field(..., description="Username (an employee's NIP).")
    entered_at: str = Field(..., description="ISO 8601 with the region's UTC offset.")
    verified_by: str | None
    verified_at: str | None
    verification_note: str


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _username(user) -> str | None:
    return user.username if user is not None else None


def _realisation_row(record: Realisation, corrects: int | None) -> dict[str, Any]:
    return {
        "id": record.pk,
        "indicator": record.indicator_id,
        "period": f"{record.year}-{record.month:02d}",
        "value": _quantity(record.value),
        "note": record.note,
        "supporting": record.supporting,
        "hindering": record.hindering,
        "state": record.state,
        "corrects": corrects,
        "superseded_at": _when(record.superseded_at),
        "entered_by": _username(record.entered_by),
        "entered_at": _when(record.entered_at),
        "verified_by": _username(record.verified_by),
        "verified_at": _when(record.verified_at),
        "verification_note": record.verification_note,
    }


def _corrected(record: Realisation) -> int | None:
    """The record a realisation superseded: the month's record entered just before it (a
    correction always supersedes the month's current record, so the history is a chain)."""
    return (
        Realisation.objects.filter(
            indicator_id=record.indicator_id,
            year=record.year,
            month=record.month,
            pk__lt=record.pk,
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


class RealisationHistoryFilter(Schema):
    year: int | None = YearField


@router.get(
    "/indicators/{indicator_id}/realisations",
    response={200: list[RealisationOut], 404: ErrorOut, **COMMON_ERRORS},
    summary="The realisations of an indicator, with their history",
)
def realisation_list(
    request: HttpRequest,
    response: HttpResponse,
    indicator_id: int,
    paging: Query[Paging],
    filters: Query[RealisationHistoryFilter],
):
    """Every record of the year, superseded ones included (``superseded_at``), by month and
    newest first within a month."""
    indicator = _visible_indicator(request.auth, indicator_id)
    year = filters.year or _this_year()
    records = Realisation.objects.visible_to(request.auth).filter(indicator=indicator, year=year)
    # Each record corrects the one entered before it in the same month.
    previous: dict[int, int | None] = {}
    last: dict[int, int] = {}
    for pk, month in records.order_by("pk").values_list("pk", "month"):
        previous[pk] = last.get(month)
        last[month] = pk
    records = records.select_related("entered_by", "verified_by").order_by("month", "-pk")
    return paginate(
        request, response, records, paging, lambda r: _realisation_row(r, previous.get(r.pk))
    )


@router.post(
    "/indicators/{indicator_id}/realisations",
    response={200: RealisationOut, 201: RealisationOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="Enter (or correct) the realisation of a month",
)
def realisation_create(
    request: HttpRequest,
    indicator_id: int,
    period: Annotated[Line, Body(description="The month, YYYY-MM, e.g. 2026-03")],
    value: Annotated[NumberIn, Body()],
    note: Annotated[Paragraph | None, Body(description="e.g. from the daily queue report")] = None,
    supporting: Annotated[Paragraph | None, Body(description="What helped")] = None,
    hindering: Annotated[Paragraph | None, Body(description="What hindered")] = None,
):
    """Record the value of a month (quarterly indicators report in March, June, September and
    December; yearly ones in December; never a future month). A different value for a month
    that has one is a correction: the earlier record stays in the history, superseded (201).
    Sending exactly the current value and texts again changes nothing and answers 200 with
    the current record. Those who manage the agency and the holder of the owning position
    may enter (403 otherwise)."""
    user = request.auth
    indicator = _visible_indicator(user, indicator_id)
    if not permissions.can_enter_realisation(user, indicator):
        raise HttpError(403, _("You may not enter realisations of this indicator."))
    errors: list[tuple[str, str]] = []
    month_period = None
    try:
        month_period = parse_period(period)
        if month_period.kind != "month":
            errors.append(("period", _("Give a month, YYYY-MM, e.g. 2026-03.")))
    except PeriodError as exc:
        errors.append(("period", str(exc)))
    try:
        number = to_decimal(value)
    except NumberError as exc:
        errors.append(("value", str(exc)))
    if errors:
        raise invalid(errors)
    year, month = month_period.year, month_period.month
    before = (
        Realisation.objects.current()
        .filter(indicator=indicator, year=year, month=month)
        .values_list("pk", flat=True)
        .first()
    )
    try:
        record = services.realisation_record(
            indicator=indicator,
            year=year,
            month=month,
            value=number,
            note=note or "",
            supporting=supporting or "",
            hindering=hindering or "",
            by=user,
        )
    except DjangoValidationError as exc:
        raise invalid(service_errors(exc, general="indicator")) from None
    record = Realisation.objects.select_related("entered_by", "verified_by").get(pk=record.pk)
    if record.pk == before:
        return Status(200, _realisation_row(record, _corrected(record)))
    return Status(201, _realisation_row(record, before))


@router.post(
    "/realisations/{realisation_id}/verify",
    response={200: RealisationOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Verify a realisation, or return it for correction",
)
def realisation_verify(
    request: HttpRequest,
    realisation_id: int,
    accept: Annotated[bool, Body(description="true: verified; false: returned for correction")],
    note: Annotated[Paragraph | None, Body(description="Required when returning")] = None,
):
    """The owner's superior (the rater of the owning position's holder, or the agency head
    when the indicator has no owning position) accepts the value or returns it with a reason;
    never the person who entered it (403). 409 when the record was superseded or already
    verified or returned."""
    user = request.auth
    record = (
        Realisation.objects.visible_to(user)
        .select_related("indicator__agency")
        .filter(pk=realisation_id)
        .first()
    )
    if record is None:
        raise HttpError(404, _("Realisation not found."))
    if not permissions.can_verify(user, record):
        raise HttpError(403, _("You may not verify this realisation."))
    try:
        record = services.realisation_verify(
            realisation=record, by=user, accept=accept, note=note or ""
        )
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise invalid(service_errors(exc, general="note")) from None
        raise HttpError(409, " ".join(exc.messages)) from None
    record = Realisation.objects.select_related("entered_by", "verified_by").get(pk=record.pk)
    return _realisation_row(record, _corrected(record))
