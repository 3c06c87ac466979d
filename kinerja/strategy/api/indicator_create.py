"""Creating an indicator with its targets: ``POST /indicators``. The endpoint reads the body
(numbers, the quarterly targets, the codes of what the indicator hangs under) and calls
:func:`kinerja.strategy.services.indicator_create`, which decides the rights and stores the
indicator and its targets in one step."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Status
from pydantic import WithJsonSchema

from kinerja.core.api import COMMON_ERRORS, ErrorOut, Line, NumberIn, call_service, invalid
from kinerja.core.numbers import NumberError, optional_decimal, to_decimal
from kinerja.organizations.models import Agency, Position, Unit

from .. import services
from ..models import (
    Aggregation,
    DataSource,
    Indicator,
    LowerFormula,
    PeriodType,
    Polarity,
    RangeAbove,
    StrategicTarget,
)
from .common import INDICATOR_RELATED, operation_id, router
from .indicators import IndicatorOut, rows

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

#: The body's fields: a refusal of the operation on one of these is a 422 naming it.
BODY_FIELDS = frozenset(
    {
        "code", "name", "agency", "unit_of_measure", "polarity", "aggregation", "year",
        "period_type", "target", "target_low", "target_high", "quarterly_targets", "formula",
        "strategic_target", "owner_unit", "owner_position", "lower_formula", "range_above",
    }
)  # fmt: skip


def _numbers(errors: list, **raw: Any) -> dict[str, Decimal | None]:
    """The target and the bounds as decimals; an unreadable one is an error on its field."""
    numbers = {}
    for field, value in raw.items():
        try:
            numbers[field] = optional_decimal(value)
        except NumberError as exc:
            errors.append((field, str(exc)))
    return numbers


def _parse_quarters(raw: Any, is_range: bool, errors: list) -> list | None:
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


def _agency(user, code: str) -> Agency:
    """The agency by its code, among those the caller may see; any other is unknown (422)."""
    found = Agency.objects.visible_to(user).filter(code=code.strip()).first()
    if found is None:
        raise invalid([("agency", _("Unknown agency."))])
    return found


def _related(
    user,
    agency: Agency,
    errors: list,
    strategic_target: str | None,
    owner_unit: str | None,
    owner_position: str | None,
) -> dict[str, Any]:
    """The strategic target, unit and position named by code, among those of the agency the
    caller may see (through each one's ``visible_to``)."""
    return {
        "strategic_target": _lookup(
            StrategicTarget.objects.visible_to(user).filter(agency=agency),
            strategic_target,
            "strategic_target",
            _("No strategic target with this code in the agency."),
            errors,
        ),
        "owner_unit": _lookup(
            Unit.objects.visible_to(user).filter(agency=agency),
            owner_unit,
            "owner_unit",
            _("No unit with this code in the agency."),
            errors,
        ),
        "owner_position": _lookup(
            Position.objects.visible_to(user).filter(unit__agency=agency),
            owner_position,
            "owner_position",
            _("No position with this code in the agency."),
            errors,
        ),
    }


@router.post(
    "/indicators",
    response={201: IndicatorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Create an indicator with its target",
    exclude_unset=True,  # ``provenance`` only for stream-bound indicators
    operation_id=operation_id("indicator_create"),
)
def indicator_create(
    request: HttpRequest,
    code: Annotated[Line, Body(description="Unique in the agency, e.g. IKU-01")],
    name: Annotated[Line, Body(description="e.g. Waktu respons penanganan kegawatdaruratan")],
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
    found = _agency(user, agency)
    errors: list[tuple[str, str]] = []
    numbers = _numbers(errors, target=target, target_low=target_low, target_high=target_high)
    quarters = _parse_quarters(quarterly_targets, polarity == Polarity.RANGE, errors)
    related = _related(user, found, errors, strategic_target, owner_unit, owner_position)
    if errors:
        raise invalid(errors)
    values = {
        "code": code, "name": name, "unit_of_measure": unit_of_measure.strip(),
        "polarity": polarity, "aggregation": aggregation, "period_type": period_type,
        "data_source": DataSource.FORMULA if (formula or "").strip() else DataSource.MANUAL,
        "formula": formula or "", "lower_formula": lower_formula, "range_above": range_above,
        **related,
    }  # fmt: skip
    indicator = call_service(
        services.indicator_create,
        fields=BODY_FIELDS,
        by=user,
        agency=found,
        values=values,
        year=year,
        quarterly_targets=quarters,
        **numbers,
    )
    indicator = Indicator.objects.select_related(*INDICATOR_RELATED).get(pk=indicator.pk)
    return Status(201, rows([indicator], year, user)[0])
